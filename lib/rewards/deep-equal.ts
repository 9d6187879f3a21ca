/**
 * Deep-equality of tool-call arguments after the three normalisations of
 * docs/reward-calibration.md §2, each a toggle. Equality is decided on canonical JSON strings
 * (sorted keys) of normalised values, so a value is normalised once and compared many times.
 */
import type { DeepEqualOptions } from "./config";

const NUMERIC_STRING = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

/** Normalise a JSON value; nested values are normalised before their parent (so emptiness cascades). */
export function normalizeJson(value: unknown, opts: DeepEqualOptions): unknown {
  if (typeof value === "string") {
    if (opts.coerce_numeric_strings && NUMERIC_STRING.test(value.trim())) {
      const n = Number(value.trim());
      if (Number.isFinite(n)) return n;
    }
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => normalizeJson(v, opts));
    if (opts.sort_lists && items.length > 1 && items.every(isPlainObject)) {
      const keyed = items.map((item) => [canonicalJson(item), item] as const);
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return keyed.map((k) => k[1]);
    }
    return items;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = normalizeJson(value[key], opts);
      if (opts.drop_empty && isEmpty(v)) continue;
      if (v === undefined) continue;
      out[key] = v;
    }
    return out;
  }
  return value;
}

/** JSON with object keys sorted at every level; -0 prints as 0; undefined members are skipped. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? String(value === 0 ? 0 : value) : "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(value[k])).join(",") + "}";
  }
  return JSON.stringify(String(value));
}

/** Canonical string of a normalised value: two values are deep-equal iff these strings are equal. */
export function canonicalKey(value: unknown, opts: DeepEqualOptions): string {
  return canonicalJson(normalizeJson(value, opts));
}

export function deepEqualJson(a: unknown, b: unknown, opts: DeepEqualOptions): boolean {
  return canonicalKey(a, opts) === canonicalKey(b, opts);
}
