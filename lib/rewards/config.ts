/**
 * Reward config JSON (docs/cli-and-formats.md, "Reward config JSON"): one calibration iteration.
 * Missing keys take the documented defaults; `parseRewardConfig` returns errors that name the
 * offending field so the HTTP layer can map them to 400 and the CLI to exit 2.
 */
import { z } from "zod";
import { DEFAULT_PRECEDENCE, TIER_NAMES, type TierName } from "./tiers";
import { DEFAULT_GENERIC_TOOLS, DEFAULT_READ_TOOLS, DEFAULT_WRITE_TOOLS } from "./tool-lists";

const finite = () => z.number().refine(Number.isFinite, { message: "must be a finite number" });

const tiersSchema = z.strictObject({
  gold: finite().default(1.0),
  soft: z.union([z.literal("formula"), finite()]).default("formula"),
  read: finite().default(0.0),
  state: finite().default(-0.1),
  message: finite().default(0.0),
  error: finite().default(-0.1),
  duplicate: finite().default(-0.2),
});

const deepEqualSchema = z.strictObject({
  sort_lists: z.boolean().default(true),
  coerce_numeric_strings: z.boolean().default(true),
  drop_empty: z.boolean().default(true),
});

const tierNameSchema = z.enum(TIER_NAMES, { message: `must be one of ${TIER_NAMES.join(", ")}` });

const precedenceSchema = z
  .array(tierNameSchema)
  .default([...DEFAULT_PRECEDENCE])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      if (seen.has(t)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate tier "${t}"` });
      seen.add(t);
    });
  })
  // Tiers left out keep their default relative order, after the listed ones.
  .transform((list) => [...list, ...DEFAULT_PRECEDENCE.filter((t) => !list.includes(t))]);

const toolList = (defaults: readonly string[]) => z.array(z.string().min(1)).default([...defaults]);

export const rewardConfigSchema = z.strictObject({
  tiers: tiersSchema.default(() => tiersSchema.parse({})),
  precedence: precedenceSchema,
  deep_equal: deepEqualSchema.default(() => deepEqualSchema.parse({})),
  gold_matching: z.enum(["unmatched_once", "any"]).default("unmatched_once"),
  read_tools: toolList(DEFAULT_READ_TOOLS),
  write_tools: toolList(DEFAULT_WRITE_TOOLS),
  /** Additive key: known tools that neither read nor write (not "unknown tool" errors). */
  generic_tools: toolList(DEFAULT_GENERIC_TOOLS),
  estimator: z.enum(["grpo", "mt_grpo", "gtpo", "hybrid"]).default("grpo"),
  gamma: finite().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]").default(0.9),
  lambda: finite().default(0.3),
  eps: finite().min(0, "must be >= 0").default(1e-6),
  ddof: z.number().int("must be an integer").min(0, "must be >= 0").default(1),
  gn_scope: z.enum(["per_position", "pooled"]).default("per_position"),
  alpha: finite().default(1.0),
  delta: finite().min(0, "must be >= 0").max(1, "must be <= 1").default(0.05),
  eta: finite().min(-1, "must be in [-1, 1]").max(1, "must be in [-1, 1]").default(0.3),
  window: z.number().int("must be an integer").positive("must be a positive integer or null").nullable().default(null),
});

export type RewardConfig = z.output<typeof rewardConfigSchema>;
export type RewardConfigInput = z.input<typeof rewardConfigSchema>;
export type TierValues = RewardConfig["tiers"];
export type DeepEqualOptions = RewardConfig["deep_equal"];
export type EstimatorName = RewardConfig["estimator"];
export const ESTIMATORS: readonly EstimatorName[] = ["grpo", "mt_grpo", "gtpo", "hybrid"];

export interface ConfigFieldError {
  /** Dotted path of the offending field ("tiers.bogus", "precedence.2", "ddof"); "$" for the document. */
  field: string;
  message: string;
}
export type ParseConfigResult = { ok: true; config: RewardConfig } | { ok: false; errors: ConfigFieldError[] };

/**
 * Validate a reward config. Accepts the parsed object or the raw JSON text (malformed text is
 * reported on field "$"). Unknown keys are errors so typos ("gama") never pass silently.
 */
export function parseRewardConfig(json: unknown): ParseConfigResult {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (err) {
      return { ok: false, errors: [{ field: "$", message: `malformed JSON: ${(err as Error).message}` }] };
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, errors: [{ field: "$", message: "reward config must be a JSON object" }] };
  }
  const parsed = rewardConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const errors: ConfigFieldError[] = [];
  for (const issue of parsed.error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const field = base ? `${base}.${key}` : key;
        const what = base === "tiers" ? "unknown tier" : "unknown key";
        errors.push({ field, message: `${what} "${key}"` });
      }
    } else {
      errors.push({ field: base || "$", message: issue.message });
    }
  }
  return { ok: false, errors };
}

/** One-line form for the CLI: `ddof: must be >= 0`. */
export function formatConfigErrors(errors: readonly ConfigFieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join("; ");
}

/** Defaults merged over a partial config; throws (naming the field) when the partial is invalid. */
export function makeRewardConfig(partial: RewardConfigInput = {}): RewardConfig {
  const result = parseRewardConfig(partial);
  if (!result.ok) throw new Error(`invalid reward config: ${formatConfigErrors(result.errors)}`);
  return result.config;
}

export const DEFAULT_REWARD_CONFIG: RewardConfig = makeRewardConfig();

/** Paper's V5 naive dense rewards, analysed with MT-GRPO as in the paper's Table 1. */
export const NAIVE_V5: RewardConfig = makeRewardConfig({
  tiers: { gold: 1.0, soft: "formula", read: 0.3, state: 0.1, message: 0.0, error: -0.1, duplicate: -0.2 },
  estimator: "mt_grpo",
});

/** Paper's calibrated values (read zeroed, state flipped), with the hybrid estimator it settled on. */
export const CALIBRATED: RewardConfig = makeRewardConfig({
  tiers: { gold: 1.0, soft: "formula", read: 0.0, state: -0.1, message: 0.0, error: -0.1, duplicate: -0.2 },
  estimator: "hybrid",
});

/**
 * The options that change per-call classification. Two configs with the same key can share a
 * stored classification; anything else (values, precedence, estimator knobs) only re-tiers or recomputes.
 */
export function classificationKey(config: Pick<RewardConfig, "deep_equal" | "gold_matching" | "read_tools" | "write_tools" | "generic_tools">): string {
  return JSON.stringify([
    config.deep_equal.sort_lists,
    config.deep_equal.coerce_numeric_strings,
    config.deep_equal.drop_empty,
    config.gold_matching,
    [...config.read_tools].sort(),
    [...config.write_tools].sort(),
    [...config.generic_tools].sort(),
  ]);
}

export type { TierName };
