import { describe, expect, it } from "vitest";
import { authenticate, checkSignIn, isAuthorized, isPublicPath, safeNextPath, sessionDigest, signInPath } from "./access-token";

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

describe("safeNextPath: where sign-in may send the browser", () => {
  // Each of these is read by a browser as another host (TAB/LF/CR are dropped by the URL
  // parser, "\\" is "/" in http URLs), or is not a path at all.
  const hostile = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\t\n/evil.example/x?y=1",
    "\t//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/.//evil.example",
    "/x/..//evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
  ];
  it.each(hostile)("sends %j home", (next) => {
    expect(safeNextPath(next)).toBe("/");
    // What the browser would make of the answer stays on our origin.
    expect(new URL(safeNextPath(next), "http://127.0.0.1:3000").origin).toBe("http://127.0.0.1:3000");
  });
  it("keeps same-site paths, normalised, with their query and fragment", () => {
    expect(safeNextPath("/experiments/3/calibrate?tier=soft#x")).toBe("/experiments/3/calibrate?tier=soft#x");
    expect(safeNextPath("/%09/evil.example")).toBe("/%09/evil.example");
    expect(safeNextPath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(safeNextPath("/jobs/../tasks")).toBe("/tasks");
    expect(safeNextPath(null)).toBe("/");
  });
  it("builds a relative sign-in URL that carries only a safe next", () => {
    expect(signInPath("/jobs?status=failed")).toBe("/signin?next=%2Fjobs%3Fstatus%3Dfailed");
    expect(signInPath("/\\evil.example", true)).toBe("/signin?next=%2F&error=1");
  });
});

describe("authenticate", () => {
  it("tells a bearer client from a cookie session", () => {
    const t = "team-secret";
    expect(authenticate({ authorization: "Bearer team-secret", sessionCookie: undefined }, t)).toBe("bearer");
    expect(authenticate({ authorization: "Bearer wrong", sessionCookie: sessionDigest(t) }, t)).toBe("cookie");
    expect(authenticate({ authorization: null, sessionCookie: "x" }, t)).toBe("none");
    expect(authenticate({ authorization: "Bearer team-secret", sessionCookie: undefined }, undefined)).toBe("none");
  });
});
