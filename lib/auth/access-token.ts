/**
 * Optional team-server access control. When WRIT_ACCESS_TOKEN is set, every page and API
 * route needs it: browsers sign in once and carry a session cookie; the CLI and scripts
 * send `Authorization: Bearer <token>`. The cookie holds a digest of the token, never the
 * token itself, so a leaked cookie jar does not reveal the secret.
 */
import { createHash, timingSafeEqual } from "node:crypto";

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

/** True when access control is off, or the request carries the token or a valid session. */
export function isAuthorized(req: AccessRequest, token: string | undefined): boolean {
  if (!token) return true;
  const bearer = req.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer && safeEqual(bearer, token)) return true;
  return req.sessionCookie !== undefined && safeEqual(req.sessionCookie, sessionDigest(token));
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

/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}

/**
 * The origin the browser used (Host / X-Forwarded-* headers). Next.js may report
 * "localhost" for a server bound to 127.0.0.1 or sitting behind a reverse proxy, and a
 * redirect to another host would lose the session cookie.
 */
export function requestOrigin(headers: { get(name: string): string | null }, fallbackUrl: string): string {
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!host) return new URL(fallbackUrl).origin;
  const proto = headers.get("x-forwarded-proto") ?? new URL(fallbackUrl).protocol.replace(":", "");
  return `${proto.split(",")[0].trim()}://${host.split(",")[0].trim()}`;
}
