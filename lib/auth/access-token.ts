/**
 * Optional team-server access control. When WRIT_ACCESS_TOKEN is set, every page and API
 * route needs it: browsers sign in once and carry a session cookie; the CLI and scripts
 * send `Authorization: Bearer <token>`. The cookie holds a digest of the token, never the
 * token itself, so a leaked cookie jar does not reveal the secret.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { safeRedirectPath } from "../http/same-origin-path";

export const SESSION_COOKIE = "writ_session";

export function sessionDigest(token: string): string {
  return createHash("sha256").update("writ-lab-session:" + token).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export interface AccessRequest {
  authorization: string | null;
  sessionCookie: string | undefined;
}

/**
 * How a request proved who it is: the bearer token, the session cookie, or neither. The
 * CSRF guard (lib/http/request-guard.ts) skips its Origin check only for "bearer": a
 * browser attaches the cookie to cross-site requests, never an Authorization header.
 */
export function authenticate(req: AccessRequest, token: string | undefined): "bearer" | "cookie" | "none" {
  if (!token) return "none";
  const bearer = req.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer && safeEqual(bearer, token)) return "bearer";
  if (req.sessionCookie !== undefined && safeEqual(req.sessionCookie, sessionDigest(token))) return "cookie";
  return "none";
}

/** True when access control is off, or the request carries the token or a valid session. */
export function isAuthorized(req: AccessRequest, token: string | undefined): boolean {
  return !token || authenticate(req, token) !== "none";
}

export function checkSignIn(candidate: string, token: string | undefined): boolean {
  return !!token && safeEqual(candidate, token);
}

/** Paths reachable without signing in: the sign-in page and its form handler, and static assets. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === "/signin" ||
    pathname === "/api/auth/signin" ||
    pathname.startsWith("/_next/") ||
    pathname === "/favicon.ico"
  );
}

/**
 * Where to go after sign-in: `next` when it is a path on this site after URL normalisation
 * ("/\t/evil.example", "/\\evil.example" and "/.//evil.example" all leave the site and
 * give "/"), in the normalised form that was checked.
 */
export function safeNextPath(next: string | null | undefined): string {
  return safeRedirectPath(next, "/");
}

/** The sign-in page for a request to `pathAndQuery`, as a relative URL. */
export function signInPath(pathAndQuery: string, failed = false): string {
  return `/signin?next=${encodeURIComponent(safeNextPath(pathAndQuery))}${failed ? "&error=1" : ""}`;
}
