/**
 * The calibration workbench's view state as a URL (pure; no React, no fetch).
 *
 * Links must reproduce a view exactly, so the edited reward config is stored as the keys that
 * differ from a *base* — the iteration named by `it`, or NAIVE_V5 when there is none — in one
 * compact, readable parameter: `c=read:0,state:-0.1,est:hybrid,prec:gold.soft.error…`.
 * Entry separator ",", key/value ":", list items "."; ":" and "," stay unescaped in the query
 * (RFC 3986 allows both), so a typical edited view stays well under 200 characters.
 */
import { formatStepRange, parseStepRange } from "../analysis/timeline-steps";
import { DEFAULT_PRECEDENCE, NAIVE_V5, TIER_NAMES, parseRewardConfig, type RewardConfig, type TierName } from "../rewards";

// ---- view state -------------------------------------------------------------------------

export interface SliceFilters {
  w: number[];
  b: number[];
  behavior: string[];
  /** Training steps [from, to], inclusive (training runs; `steps=a-b` in the URL). */
  steps?: [number, number] | null;
}

/** What the drill-down panel shows: a tier, a (turn position × tier) heatmap cell, or a W × B cell. */
export type Selection =
  | { kind: "tier"; tier: TierName }
  | { kind: "position"; position: number; tier: TierName }
  | { kind: "cell"; w: number; b: number };

export interface WorkbenchUrlState {
  /** Base iteration (saved reward-config version) id; null = the NAIVE_V5 preset. */
  iteration: number | null;
  /** Config keys that differ from the base (see CONFIG_FIELDS for the paths). */
  diff: ConfigDiff;
  slice: SliceFilters;
  selection: Selection | null;
  /** Iterations picked for a diff (0–2 ids, in pick order). */
  compare: number[];
  /** Another experiment to evaluate the base iteration on. */
  evaluateOn: number | null;
}

export const EMPTY_SLICE: SliceFilters = { w: [], b: [], behavior: [] };

export const EMPTY_URL_STATE: WorkbenchUrlState = {
  iteration: null,
  diff: {},
  slice: EMPTY_SLICE,
  selection: null,
  compare: [],
  evaluateOn: null,
};

/** The config a link without `it` is relative to (the paper's starting point, IRC iteration 0). */
export const FALLBACK_BASE_CONFIG: RewardConfig = NAIVE_V5;

// ---- config paths -------------------------------------------------------------------------

type FieldKind = "number" | "soft" | "bool" | "enum" | "list" | "window" | "int";

interface FieldSpec {
  /** Dotted path in RewardConfig. */
  path: string;
  /** Short URL key. */
  alias: string;
  kind: FieldKind;
}

const tierFields: FieldSpec[] = TIER_NAMES.map((t) => ({ path: `tiers.${t}`, alias: t, kind: t === "soft" ? "soft" : "number" }));

/** Every editable config field and its URL alias. Aliases never contain "," ":" or ".". */
export const CONFIG_FIELDS: readonly FieldSpec[] = [
  ...tierFields,
  { path: "precedence", alias: "prec", kind: "list" },
  { path: "deep_equal.sort_lists", alias: "sl", kind: "bool" },
  { path: "deep_equal.coerce_numeric_strings", alias: "cn", kind: "bool" },
  { path: "deep_equal.drop_empty", alias: "de", kind: "bool" },
  { path: "gold_matching", alias: "gm", kind: "enum" },
  { path: "read_tools", alias: "rt", kind: "list" },
  { path: "write_tools", alias: "wt", kind: "list" },
  { path: "generic_tools", alias: "gt", kind: "list" },
  { path: "estimator", alias: "est", kind: "enum" },
  { path: "gamma", alias: "g", kind: "number" },
  { path: "lambda", alias: "l", kind: "number" },
  { path: "eps", alias: "eps", kind: "number" },
  { path: "ddof", alias: "ddof", kind: "int" },
  { path: "gn_scope", alias: "gn", kind: "enum" },
  { path: "alpha", alias: "a", kind: "number" },
  { path: "delta", alias: "d", kind: "number" },
  { path: "eta", alias: "eta", kind: "number" },
  { path: "window", alias: "win", kind: "window" },
];

const BY_ALIAS = new Map(CONFIG_FIELDS.map((f) => [f.alias, f]));

export type ConfigValue = number | string | boolean | null | string[];
/** path → value, only for paths whose value differs from the base. */
export type ConfigDiff = Record<string, ConfigValue>;

function getPath(config: RewardConfig, path: string): ConfigValue {
  let v: unknown = config;
  for (const part of path.split(".")) v = (v as Record<string, unknown>)[part];
  return v as ConfigValue;
}

function sameValue(a: ConfigValue, b: ConfigValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}

/** The fields of `next` that differ from `base`. Tool lists compare as ordered lists. */
export function diffConfig(base: RewardConfig, next: RewardConfig): ConfigDiff {
  const diff: ConfigDiff = {};
  for (const f of CONFIG_FIELDS) {
    const b = getPath(base, f.path);
    const n = getPath(next, f.path);
    if (!sameValue(b, n)) diff[f.path] = Array.isArray(n) ? [...n] : n;
  }
  return diff;
}

function setPath(target: Record<string, unknown>, path: string, value: ConfigValue): void {
  const parts = path.split(".");
  let obj = target;
  for (const p of parts.slice(0, -1)) {
    obj[p] = { ...(obj[p] as Record<string, unknown>) };
    obj = obj[p] as Record<string, unknown>;
  }
  obj[parts[parts.length - 1]] = value;
}

/**
 * base + diff, validated. Entries the schema rejects (a hand-edited link: "gamma:7") are
 * dropped one by one and reported in `rejected`; the rest still apply.
 */
export function applyConfigDiff(base: RewardConfig, diff: ConfigDiff): { config: RewardConfig; rejected: string[] } {
  const rejected: string[] = [];
  let entries = Object.entries(diff).filter(([path]) => CONFIG_FIELDS.some((f) => f.path === path));
  for (let attempt = 0; attempt <= CONFIG_FIELDS.length; attempt++) {
    // Spread into a plain record: setPath writes by dotted path, which the RewardConfig type cannot name.
    const draft: Record<string, unknown> = { ...structuredClone(base) };
    for (const [path, value] of entries) setPath(draft, path, value);
    const parsed = parseRewardConfig(draft);
    if (parsed.ok) return { config: parsed.config, rejected };
    // Drop every entry an error names (a field or something below it); if none matches, give up on the diff.
    const bad = new Set(
      entries.filter(([path]) => parsed.errors.some((e) => e.field === path || e.field.startsWith(path + "."))).map(([p]) => p),
    );
    if (bad.size === 0) return { config: base, rejected: [...rejected, ...entries.map(([p]) => p)] };
    rejected.push(...bad);
    entries = entries.filter(([p]) => !bad.has(p));
  }
  return { config: base, rejected };
}

// ---- compact text form of a diff --------------------------------------------------------

/** Shortest decimal that round-trips (and no "-0"). */
function formatNumber(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

function encodeValue(kind: FieldKind, v: ConfigValue): string {
  if (v === null) return "~";
  if (Array.isArray(v)) return v.join(".");
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") return formatNumber(v);
  return v === "formula" && kind === "soft" ? "f" : v;
}

function decodeValue(kind: FieldKind, raw: string): ConfigValue | undefined {
  switch (kind) {
    case "number":
    case "int": {
      const n = raw.trim() === "" ? NaN : Number(raw);
      return Number.isFinite(n) ? n : undefined;
    }
    case "soft":
      if (raw === "f" || raw === "formula") return "formula";
      return decodeValue("number", raw);
    case "window":
      return raw === "~" || raw === "" ? null : decodeValue("int", raw);
    case "bool":
      return raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined;
    case "list":
      return raw === "" ? [] : raw.split(".");
    case "enum":
      return raw;
  }
}

export function encodeConfigDiff(diff: ConfigDiff): string {
  const out: string[] = [];
  // Field order, not insertion order, so equal diffs give equal strings.
  for (const f of CONFIG_FIELDS) if (f.path in diff) out.push(`${f.alias}:${encodeValue(f.kind, diff[f.path])}`);
  return out.join(",");
}

/** Unknown keys and unparsable values are skipped (applyConfigDiff validates the rest). */
export function decodeConfigDiff(text: string): ConfigDiff {
  const diff: ConfigDiff = {};
  if (!text) return diff;
  for (const entry of text.split(",")) {
    const at = entry.indexOf(":");
    if (at <= 0) continue;
    const field = BY_ALIAS.get(entry.slice(0, at));
    if (!field) continue;
    const value = decodeValue(field.kind, entry.slice(at + 1));
    if (value !== undefined) diff[field.path] = value;
  }
  return diff;
}

// ---- whole URL ----------------------------------------------------------------------------

const intList = (raw: string | null): number[] =>
  raw
    ? [...new Set(raw.split(",").map((s) => Number(s)).filter((n) => Number.isInteger(n)))].sort((a, b) => a - b)
    : [];

const positiveInt = (raw: string | null): number | null => {
  if (raw === null) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
};

function decodeSelection(raw: string | null): Selection | null {
  if (!raw) return null;
  const parts = raw.split(".");
  const isTier = (t: string | undefined): t is TierName => (TIER_NAMES as readonly string[]).includes(t ?? "");
  if (parts[0] === "tier" && isTier(parts[1])) return { kind: "tier", tier: parts[1] };
  if (parts[0] === "pos" && isTier(parts[2])) {
    const position = Number(parts[1]);
    if (Number.isInteger(position) && position >= 0) return { kind: "position", position, tier: parts[2] };
  }
  if (parts[0] === "cell") {
    const w = Number(parts[1]);
    const b = Number(parts[2]);
    if (Number.isInteger(w) && Number.isInteger(b)) return { kind: "cell", w, b };
  }
  return null;
}

export function encodeSelection(sel: Selection): string {
  if (sel.kind === "tier") return `tier.${sel.tier}`;
  if (sel.kind === "position") return `pos.${sel.position}.${sel.tier}`;
  return `cell.${sel.w}.${sel.b}`;
}

type ParamSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function readParam(src: ParamSource, name: string): string | null {
  if (typeof (src as { get?: unknown }).get === "function") return (src as { get(n: string): string | null }).get(name);
  const v = (src as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** Parse URLSearchParams or a Next.js `searchParams` object. Never throws; bad parts are ignored. */
export function decodeUrlState(src: ParamSource): WorkbenchUrlState {
  const behaviors = readParam(src, "beh");
  return {
    iteration: positiveInt(readParam(src, "it")),
    diff: decodeConfigDiff(readParam(src, "c") ?? ""),
    slice: {
      w: intList(readParam(src, "w")),
      b: intList(readParam(src, "b")),
      behavior: behaviors ? [...new Set(behaviors.split(",").filter(Boolean))].sort() : [],
      ...(parseStepRange(readParam(src, "steps")) ? { steps: parseStepRange(readParam(src, "steps")) } : {}),
    },
    selection: decodeSelection(readParam(src, "sel")),
    // Pick order matters for a diff (from → to), so no sorting here.
    compare: [...new Set((readParam(src, "cmp") ?? "").split(",").map(positiveInt).filter((n): n is number => n !== null))].slice(0, 2),
    evaluateOn: positiveInt(readParam(src, "ev")),
  };
}

/** Percent-encode but keep the separators this format uses readable. */
const enc = (s: string) => encodeURIComponent(s).replace(/%3A/gi, ":").replace(/%2C/gi, ",");

/** The query string (without "?"); empty parts are left out, so the default view is "". */
export function encodeUrlState(state: WorkbenchUrlState): string {
  const parts: string[] = [];
  if (state.iteration !== null) parts.push(`it=${state.iteration}`);
  const c = encodeConfigDiff(state.diff);
  if (c) parts.push(`c=${enc(c)}`);
  if (state.slice.w.length) parts.push(`w=${[...state.slice.w].sort((a, b) => a - b).join(",")}`);
  if (state.slice.b.length) parts.push(`b=${[...state.slice.b].sort((a, b) => a - b).join(",")}`);
  if (state.slice.behavior.length) parts.push(`beh=${enc([...state.slice.behavior].sort().join(","))}`);
  if (state.slice.steps) parts.push(`steps=${formatStepRange(state.slice.steps)}`);
  if (state.selection) parts.push(`sel=${encodeSelection(state.selection)}`);
  if (state.compare.length) parts.push(`cmp=${state.compare.slice(0, 2).join(",")}`);
  if (state.evaluateOn !== null) parts.push(`ev=${state.evaluateOn}`);
  return parts.join("&");
}

/** The workbench path of an experiment with a view state. */
export function workbenchHref(experimentId: number | string, state: WorkbenchUrlState): string {
  const q = encodeUrlState(state);
  return `/experiments/${experimentId}/calibrate${q ? `?${q}` : ""}`;
}

/** Above this many characters a shared link goes through a server short link (/v/<id>). */
export const SHORT_LINK_THRESHOLD = 120;

/** Precedence with tier `i` swapped with its neighbour (dir −1 = up, +1 = down); out of range = unchanged. */
export function movePrecedence(precedence: readonly TierName[], i: number, dir: -1 | 1): TierName[] {
  const j = i + dir;
  const next = [...precedence];
  if (i < 0 || i >= next.length || j < 0 || j >= next.length) return next;
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

export { DEFAULT_PRECEDENCE };
