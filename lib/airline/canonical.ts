/**
 * Canonical JSON (object keys sorted at every level, no whitespace) and its sha256.
 * Two values serialise identically iff they are deep-equal as JSON, which is what the
 * DB comparison needs; τ² hashes key-sorted JSON the same way.
 */
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // undefined inside objects is skipped below; at top level it reads as null.
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return "[" + value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",") + "]";
  }
  return objectText(value as Record<string, unknown>, canonicalJson);
}

/** `{"k":text(v),...}` with keys sorted and undefined values skipped: the object case of both walks. */
function objectText(obj: Record<string, unknown>, text: (v: unknown) => string): string {
  const keys = Object.keys(obj).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += JSON.stringify(k) + ":" + text(v);
  }
  return out + "}";
}

/**
 * Canonical text of deep-frozen objects, by identity. A frozen object whose children are
 * all deep-frozen can never change, so its text can be reused; that is every record of a
 * shared base state (deepFreeze), and every untouched part of a copy-on-write record
 * (an env's copy of a flight still points at the base's frozen date entries).
 */
// A WeakMap, not createCache: keyed by object identity and released with the object (createCache keys are strings).
const frozenText = new WeakMap<object, string>();
/** Texts shorter than this are cheaper to rebuild than to keep in the WeakMap. */
const MIN_MEMO_LENGTH = 48;
/** Set by memoWalk: was every object visited in the current subtree frozen? */
let subtreeFrozen = true;

/**
 * Same text as canonicalJson(value), reusing the memoised text of deep-frozen subtrees
 * (and memoising the ones it walks). Costs time proportional to the unfrozen part.
 */
export function canonicalJsonMemo(value: unknown): string {
  subtreeFrozen = true;
  return memoWalk(value);
}

function memoWalk(value: unknown): string {
  if (value === null || typeof value !== "object") return value === undefined ? "null" : JSON.stringify(value);
  const hit = frozenText.get(value);
  if (hit !== undefined) return hit;
  const outer = subtreeFrozen;
  subtreeFrozen = true;
  let out: string;
  if (Array.isArray(value)) {
    out = "[";
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (i > 0) out += ",";
      // A hole (never in parsed JSON) joins as "" in canonicalJson's map/join; keep that.
      out += v === undefined ? (i in value ? "null" : "") : memoWalk(v);
    }
    out += "]";
  } else {
    out = objectText(value as Record<string, unknown>, memoWalk);
  }
  const deep = subtreeFrozen && Object.isFrozen(value);
  if (deep && out.length >= MIN_MEMO_LENGTH) frozenText.set(value, out);
  subtreeFrozen = outer && deep;
  return out;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
