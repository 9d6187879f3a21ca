import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, checkSignIn, requestOrigin, safeNextPath, sessionDigest } from "@/lib/auth/access-token";

/** Redirects stay on the host the browser used (see requestOrigin). */
function redirectTo(request: NextRequest, path: string): NextResponse {
  return NextResponse.redirect(new URL(path, requestOrigin(request.headers, request.url)), 303);
}

/** The sign-in form posts here; a correct token sets the session cookie and follows `next`. */
export async function POST(request: NextRequest) {
  const token = process.env.WRIT_ACCESS_TOKEN || undefined;
  const form = await request.formData().catch(() => null);
  const candidate = form?.get("token");
  const next = safeNextPath(typeof form?.get("next") === "string" ? (form?.get("next") as string) : "/");
  if (typeof candidate !== "string" || !checkSignIn(candidate, token)) {
    return redirectTo(request, `/signin?next=${encodeURIComponent(next)}&error=1`);
  }
  const response = redirectTo(request, next);
  response.cookies.set(SESSION_COOKIE, sessionDigest(token!), { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 30 });
  return response;
}
