import { describe, expect, it } from "vitest";
import { checkSignIn, isAuthorized, isPublicPath, requestOrigin, safeNextPath, sessionDigest } from "./access-token";

describe("access token", () => {
  it("lets everything through when no token is configured", () => {
    expect(isAuthorized({ authorization: null, sessionCookie: undefined }, undefined)).toBe(true);
  });
  it("accepts the bearer token or the session digest, nothing else", () => {
    const t = "team-secret";
    expect(isAuthorized({ authorization: null, sessionCookie: undefined }, t)).toBe(false);
    expect(isAuthorized({ authorization: "Bearer team-secret", sessionCookie: undefined }, t)).toBe(true);
    expect(isAuthorized({ authorization: "Bearer team-secreT", sessionCookie: undefined }, t)).toBe(false);
    expect(isAuthorized({ authorization: null, sessionCookie: sessionDigest(t) }, t)).toBe(true);
    expect(isAuthorized({ authorization: null, sessionCookie: t }, t)).toBe(false);
    expect(sessionDigest(t)).not.toContain(t);
  });
  it("checks sign-in attempts and refuses open redirects", () => {
    expect(checkSignIn("x", undefined)).toBe(false);
    expect(checkSignIn("abc", "abc")).toBe(true);
    expect(safeNextPath("//evil.example")).toBe("/");
    expect(safeNextPath("https://evil.example")).toBe("/");
    expect(safeNextPath("/experiments/3?tab=a")).toBe("/experiments/3?tab=a");
    expect(isPublicPath("/signin")).toBe(true);
    expect(isPublicPath("/api/health")).toBe(false);
  });
});

describe("requestOrigin", () => {
  const h = (o: Record<string, string>) => ({ get: (n: string) => o[n] ?? null });
  it("keeps the host the browser used, honouring a reverse proxy", () => {
    expect(requestOrigin(h({ host: "127.0.0.1:4000" }), "http://localhost:4000/x")).toBe("http://127.0.0.1:4000");
    expect(requestOrigin(h({ host: "a", "x-forwarded-host": "lab.example.org", "x-forwarded-proto": "https" }), "http://localhost:4000/x")).toBe("https://lab.example.org");
    expect(requestOrigin(h({}), "http://localhost:4000/x")).toBe("http://localhost:4000");
  });
});
