/**
 * Redirect targets that can only stay on this site. A string is checked the way a browser
 * will read it: resolved as a URL against a placeholder origin (the URL parser drops TAB,
 * LF and CR and reads "\" as "/", so "/\t/evil.example" and "/\\evil.example" both become
 * the host "evil.example"), and accepted only when it still names that placeholder origin.
 * The result is the normalised path + query + fragment, so what is sent as `Location` is
 * exactly what was checked.
 */

/** Any origin works as the base: it is only compared with itself and never emitted. */
const PLACEHOLDER_ORIGIN = "http://writ-lab.invalid";

/** The normalised same-origin path (pathname + search + hash) of `input`, or null when it would leave the site. */
export function sameOriginPath(input: string | null | undefined): string | null {
  if (typeof input !== "string" || !input.startsWith("/")) return null;
  let url: URL;
  try {
    url = new URL(input, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  // "/.//evil.example" normalises to the pathname "//evil.example", which a browser would
  // read as a protocol-relative URL if sent back as a Location.
  if (url.pathname.startsWith("//")) return null;
  return url.pathname + url.search + url.hash;
}

/** A redirect target that stays on this site: `input` when it is safe, else `fallback`. */
export function safeRedirectPath(input: string | null | undefined, fallback = "/"): string {
  return sameOriginPath(input) ?? fallback;
}

/**
 * A page path a short link may store: same-origin, no query or fragment (those live in the
 * view's state), and already in normal form, so the stored text is what `/v/<id>` follows.
 */
export function isStorablePagePath(path: string): boolean {
  if (/[\\\s]/.test(path) || /[?#]/.test(path)) return false;
  return sameOriginPath(path) === path;
}
