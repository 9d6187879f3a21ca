/**
 * Cross-site request forgery guard for state-changing API calls, applied once in proxy.ts.
 *
 * A page on another origin can make the browser send a POST without asking the server
 * first (a `<form>`, or `fetch(mode: "no-cors")`), but only with a "simple" content type
 * (text/plain, form encodings). So:
 * 1. every POST / PUT / PATCH / DELETE under /api must say `Content-Type: application/json`
 *    (415 otherwise); a cross-origin page cannot send that without a CORS preflight, which
 *    this server never grants;
 * 2. a request not carrying the bearer token (a browser, possibly signed in by cookie) must
 *    come from this server's own origin: `Origin`, or `Sec-Fetch-Site: same-origin` when a
 *    browser omits Origin (403 otherwise). A cookie-signed request with neither header is
 *    refused too. Requests with neither header and no cookie (curl, scripts with no token
 *    configured) pass: a browser always sends one of them.
 * Bearer-token clients (the CLI, trainers calling the ingest API) send JSON with no Origin
 * and pass both rules. The sign-in form handler posts a form, so it gets rule 2 only.
 *
 * "This server's origin" is WRIT_PUBLIC_URL when configured, else the scheme of the
 * request's Origin with the `Host` header the browser sent. A cross-site page cannot change
 * the Host of a request the browser makes for it, so comparing against it is sound; the
 * X-Forwarded-* headers are never consulted (behind a proxy that rewrites Host, set
 * WRIT_PUBLIC_URL).
 */

export const JSON_MEDIA_TYPE = "application/json";

/** Paths that take a form post instead of JSON; still origin-checked. */
const FORM_POST_PATHS = new Set(["/api/auth/signin"]);

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type AuthKind = "bearer" | "cookie" | "none";

export interface GuardRequest {
  method: string;
  pathname: string;
  headers: { get(name: string): string | null };
  /** How the request authenticated: a valid bearer token, a valid session cookie, or neither. */
  auth: AuthKind;
  /** WRIT_PUBLIC_URL's origin, when configured. */
  publicOrigin?: string;
}

export interface GuardRejection {
  status: 403 | 415;
  code: "unsupported_media_type" | "cross_origin_request";
  message: string;
}

export function isStateChangingApiRequest(method: string, pathname: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase()) && (pathname === "/api" || pathname.startsWith("/api/"));
}

/** The media type of a Content-Type header, lower-cased, without parameters (charset …). */
export function mediaType(contentType: string | null): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type || undefined;
}

/** True when `origin` (an Origin header value) is this server's origin. */
export function isOwnOrigin(origin: string, hostHeader: string | null, publicOrigin: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, privacy redirects) or garbage
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (publicOrigin && url.origin === publicOrigin) return true;
  if (!hostHeader) return false;
  try {
    // Same scheme as the Origin, so default ports normalise the same way on both sides.
    return new URL(`${url.protocol}//${hostHeader.trim()}`).host === url.host;
  } catch {
    return false;
  }
}

/** Null when the request may go on; otherwise the answer to send instead. */
export function checkStateChangingRequest(req: GuardRequest): GuardRejection | null {
  if (!isStateChangingApiRequest(req.method, req.pathname)) return null;
  if (!FORM_POST_PATHS.has(req.pathname) && mediaType(req.headers.get("content-type")) !== JSON_MEDIA_TYPE) {
    return {
      status: 415,
      code: "unsupported_media_type",
      message: `${req.method.toUpperCase()} ${req.pathname} needs Content-Type: ${JSON_MEDIA_TYPE} (got ${mediaType(req.headers.get("content-type")) ?? "none"})`,
    };
  }
  if (req.auth === "bearer") return null;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    if (isOwnOrigin(origin, req.headers.get("host"), req.publicOrigin)) return null;
    return crossOrigin(`Origin ${origin} is not this server's origin (set WRIT_PUBLIC_URL when the server sits behind a proxy)`);
  }
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite !== null) {
    return fetchSite === "same-origin" ? null : crossOrigin(`Sec-Fetch-Site is "${fetchSite}"`);
  }
  if (req.auth === "cookie") return crossOrigin("a request signed in by cookie must carry an Origin header");
  return null;
}

function crossOrigin(reason: string): GuardRejection {
  return { status: 403, code: "cross_origin_request", message: `cross-origin request refused: ${reason}` };
}
