/** Access control in front of every route when WRIT_ACCESS_TOKEN is set (lib/auth/access-token.ts). */
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, isAuthorized, isPublicPath, requestOrigin } from "./lib/auth/access-token";

export function proxy(request: NextRequest) {
  const token = process.env.WRIT_ACCESS_TOKEN || undefined;
  if (!token) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();
  const ok = isAuthorized(
    { authorization: request.headers.get("authorization"), sessionCookie: request.cookies.get(SESSION_COOKIE)?.value },
    token,
  );
  if (ok) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "unauthorized", message: "missing or invalid access token" } }, { status: 401 });
  }
  const target = new URL("/signin?next=" + encodeURIComponent(pathname + search), requestOrigin(request.headers, request.url));
  return NextResponse.redirect(target, 307);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
