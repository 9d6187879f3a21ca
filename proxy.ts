/**
 * In front of every page and API route (static assets aside):
 * - security headers and a per-request CSP nonce (lib/http/security-headers.ts);
 * - a 413 for a declared body over the largest limit any route accepts (lib/http/json-body.ts);
 * - access control when WRIT_ACCESS_TOKEN is set (lib/auth/access-token.ts);
 * - the CSRF guard for state-changing API calls (lib/http/request-guard.ts).
 * Redirects are built on the URL Next.js gives the proxy (its own host and port, never a
 * request header), which Next turns into a relative `Location`.
 */
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, authenticate, isPublicPath, signInPath } from "./lib/auth/access-token";
import { getEnv } from "./lib/settings";
import { PayloadTooLargeError } from "./lib/errors/app-error";
import { MAX_JSON_BODY_BYTES, declaredLength } from "./lib/http/json-body";
import { checkStateChangingRequest } from "./lib/http/request-guard";
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy, newNonce } from "./lib/http/security-headers";

function errorJson(status: number, code: string, message: string, field?: string): NextResponse {
  return NextResponse.json({ error: { code, message, ...(field ? { field } : {}) } }, { status });
}

export function proxy(request: NextRequest): NextResponse {
  const csp = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development" });
  const secured = (res: NextResponse) => {
    res.headers.set("Content-Security-Policy", csp);
    for (const { key, value } of STATIC_SECURITY_HEADERS) res.headers.set(key, value);
    return res;
  };
  const { pathname, search } = request.nextUrl;
  const isApi = pathname === "/api" || pathname.startsWith("/api/");

  const length = declaredLength(request.headers);
  if (isApi && length !== undefined && length > MAX_JSON_BODY_BYTES) {
    const tooLarge = new PayloadTooLargeError(MAX_JSON_BODY_BYTES);
    return secured(errorJson(413, tooLarge.code, tooLarge.message, tooLarge.field));
  }

  const env = getEnv();
  const token = env.WRIT_ACCESS_TOKEN;
  const auth = authenticate(
    { authorization: request.headers.get("authorization"), sessionCookie: request.cookies.get(SESSION_COOKIE)?.value },
    token,
  );
  if (token && auth === "none" && !isPublicPath(pathname)) {
    if (isApi) return secured(errorJson(401, "unauthorized", "missing or invalid access token"));
    return secured(NextResponse.redirect(new URL(signInPath(pathname + search), request.url), 307));
  }

  const rejection = checkStateChangingRequest({
    method: request.method,
    pathname,
    headers: request.headers,
    auth,
    publicOrigin: env.WRIT_PUBLIC_URL,
  });
  if (rejection) return secured(errorJson(rejection.status, rejection.code, rejection.message));

  // Next.js reads the nonce for its own script tags from the request's CSP header.
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", csp);
  return secured(NextResponse.next({ request: { headers: forwarded } }));
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
