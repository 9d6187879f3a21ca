import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, checkSignIn, safeNextPath, sessionDigest, signInPath } from "@/lib/auth/access-token";
import { getEnv } from "@/lib/settings";

/**
 * A relative `Location`: the browser resolves it against the URL it posted to, so the
 * redirect can only stay on this site, whatever Host or X-Forwarded-Host the request carried.
 */
function redirectTo(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path } });
}

/**
 * The sign-in form posts here (proxy.ts has already refused cross-origin posts); a correct
 * token sets the session cookie and follows `next` when it stays on this site.
 */
export async function POST(request: NextRequest) {
  const env = getEnv();
  const token = env.WRIT_ACCESS_TOKEN;
  const form = await request.formData().catch(() => null);
  const candidate = form?.get("token");
  const rawNext = form?.get("next");
  const next = safeNextPath(typeof rawNext === "string" ? rawNext : "/");
  if (typeof candidate !== "string" || !checkSignIn(candidate, token)) return redirectTo(signInPath(next, true));
  const response = redirectTo(next);
  response.cookies.set(SESSION_COOKIE, sessionDigest(token!), {
    httpOnly: true,
    // Strict: the browser never attaches the session to a request another site starts.
    sameSite: "strict",
    secure: env.WRIT_PUBLIC_URL?.startsWith("https:") ?? false,
    path: "/",
    maxAge: 60 * 60 * 24 * 30,
  });
  return response;
}
