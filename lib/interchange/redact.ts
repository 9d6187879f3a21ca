/**
 * Secrets (endpoint API keys) must never leave the server. Anything exported or
 * returned that carries driver configuration goes through `stripSecrets` first.
 */
const SECRET_KEY = /^(api[_-]?key|apikey|authorization|token|secret|password)$/i;

export function stripSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripSecrets(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(k)) continue;
      out[k] = stripSecrets(v);
    }
    return out as T;
  }
  return value;
}
