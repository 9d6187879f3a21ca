/**
 * Keeps API keys out of everything we record or print. Servers sometimes echo a
 * (partly masked) key in 401 bodies, so besides the exact key we also mask
 * `sk-…`-style tokens, bearer tokens and any token carrying a long slice of the key.
 */
const MASK = "[redacted]";

export function redactSecret(text: string, secret?: string): string {
  let out = text;
  if (secret && secret.length >= 4) {
    out = out.split(secret).join(MASK);
    if (secret.length >= 12) {
      const head = secret.slice(0, 8);
      const tail = secret.slice(-8);
      out = out
        .split(/(\s+)/)
        .map((tok) => (tok.includes(head) || tok.includes(tail) ? MASK : tok))
        .join("");
    }
  }
  return out.replace(/\bBearer\s+\S+/gi, `Bearer ${MASK}`).replace(/\bsk-[A-Za-z0-9*_\-.]{3,}/g, MASK);
}
