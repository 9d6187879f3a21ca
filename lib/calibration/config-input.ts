/**
 * Reward config input at the HTTP/CLI boundary: parse (defaults filled), hash, and remember
 * configs by hash so a drill-down link can say `?config=<hash>`.
 */
import { createHash } from "node:crypto";
import { createCache } from "../cache/lru";
import { ValidationError } from "../errors/app-error";
import { parseRewardConfig, type RewardConfig } from "../rewards";

/** Canonical JSON: object keys sorted, arrays kept in order. */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalize(obj[k])}`)
    .join(",")}}`;
}

/** Hash of the full (defaults filled) config: two inputs meaning the same config hash the same. */
export function configHash(config: RewardConfig): string {
  return createHash("sha256").update(canonicalize(config)).digest("hex").slice(0, 16);
}

const known = createCache<RewardConfig>({
  name: "calibration.configs-by-hash",
  maxEntries: 1000,
  purpose: "reward configs seen by this server, by hash (links and requests may name a config by its hash)",
});

export function rememberConfig(config: RewardConfig): string {
  const hash = configHash(config);
  if (!known.has(hash)) known.set(hash, config);
  return hash;
}

export function configByHash(hash: string): RewardConfig | undefined {
  return known.get(hash);
}

/**
 * Parse a reward config given as an object or JSON text; a bad one throws a 400 whose field is
 * `<prefix>.<config path>` ("config.tiers.bogus", "config.ddof"), or `<prefix>` for malformed JSON.
 */
export function parseConfigInput(input: unknown, prefix = "config"): RewardConfig {
  const result = parseRewardConfig(input ?? {});
  if (result.ok) return result.config;
  const first = result.errors[0];
  const field = first.field === "$" ? prefix : `${prefix}.${first.field}`;
  const message = result.errors.map((e) => `${e.field === "$" ? prefix : `${prefix}.${e.field}`}: ${e.message}`).join("; ");
  throw new ValidationError(message, field);
}
