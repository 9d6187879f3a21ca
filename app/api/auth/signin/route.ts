import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, checkSignIn, safeNextPath, sessionDigest } from "@/lib/auth/access-token";

/** The sign-in form posts here; a correct token sets the session cookie and follows `next`. */
export async function POST(request: NextRequest) {
  const token = process.env.WRIT_ACCESS_TOKEN || undefined;
  const form = await request.formData().catch(() => null);
  const candidate = form?.get("token");
  const next = safeNextPath(typeof form?.get("next") === "string" ? (form?.get("next") as string) : "/");
  if (typeof candidate !== "string" || !checkSignIn(candidate, token)) {
    const url = new URL("/signin", request.url);
    url.searchParams.set("next", next);
    url.searchParams.set("error", "1");
    return NextResponse.redirect(url, 303);
  }
  const response = NextResponse.redirect(new URL(next, request.url), 303);
  response.cookies.set(SESSION_COOKIE, sessionDigest(token!), { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 30 });
  return response;
}
