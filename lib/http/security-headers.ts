/**
 * Response headers every page and API answer carries. The Content-Security-Policy allows
 * only scripts that carry this response's nonce (proxy.ts makes one per request; Next.js
 * reads it from the request's CSP header and stamps it on its own script tags) and what
 * those scripts load ('strict-dynamic'): an injected `<script>` or inline handler never
 * runs. Styles stay 'unsafe-inline' because recharts and React `style` props write
 * inline styles (a nonce in style-src would switch 'unsafe-inline' off). Development adds
 * 'unsafe-eval', which React's dev build needs for its error overlays; production never has it.
 */

export interface CspOptions {
  nonce: string;
  /** `next dev`: React's dev build evaluates code for its debugging aids. */
  dev: boolean;
}

export function contentSecurityPolicy({ nonce, dev }: CspOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers that do not depend on the request (next.config.ts sends them on every path, proxy.ts on its own answers). */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/** 128 random bits, base64: unguessable per response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
