/**
 * Synthesis config (docs/cli-and-formats.md): a W × B grid with a count per cell, a
 * behaviour mix, the seed and the state seed, plus optional knobs. Validation errors name
 * the field ("grid[1].evidence: …").
 */
import { z } from "zod";
import { BEHAVIORS } from "./behaviors";
import { REFUSAL_TEMPLATES, WRITE_TEMPLATES } from "./templates/catalog";

export const MAX_WRITES = 8;
export const MAX_EVIDENCE = 32;
export const MAX_TASKS = 100_000;

const int = () => z.number().int();

export const gridCellSchema = z.object({
  writes: int()
    .min(0, `W must be between 0 and ${MAX_WRITES}`)
    .max(MAX_WRITES, `W must be between 0 and ${MAX_WRITES}`),
  evidence: int()
    .min(1, `B must be between 1 and ${MAX_EVIDENCE}`)
    .max(MAX_EVIDENCE, `B must be between 1 and ${MAX_EVIDENCE}`),
  count: int().min(1, "count must be at least 1").max(MAX_TASKS, `count must be at most ${MAX_TASKS}`),
});

export const synthesisConfigSchema = z
  .object({
    grid: z.array(gridCellSchema).min(1, "grid must list at least one cell {writes, evidence, count}"),
    behaviors: z
      .record(z.string(), z.number().nonnegative("behaviour weights must be ≥ 0"))
      .default({ cooperative: 1 })
      .superRefine((m, ctx) => {
        for (const k of Object.keys(m)) {
          if (!(BEHAVIORS as readonly string[]).includes(k)) {
            ctx.addIssue({ code: "custom", path: [k], message: `unknown behaviour "${k}" (known: ${BEHAVIORS.join(", ")})` });
          }
        }
        if (!Object.values(m).some((w) => w > 0)) ctx.addIssue({ code: "custom", message: "at least one behaviour needs a weight > 0" });
      }),
    seed: int().default(0),
    state_seed: int().nullable().optional(),
    /** Write templates to draw from (default: all). */
    templates: z.array(z.enum(WRITE_TEMPLATES)).min(1).optional(),
    /** Refusal templates used for W = 0 cells and the "insists on forbidden" behaviour. */
    refusal_templates: z.array(z.enum(REFUSAL_TEMPLATES)).min(1).optional(),
    /** Each underlying task is rendered under this many different behaviours (when they fit). */
    renderings: int().min(1).max(BEHAVIORS.length).default(1),
    /** Which reads evaluation_criteria.actions lists: the full gold read plan, only get_user_details, or none. */
    gold_reads: z.enum(["all", "user", "none"]).default("all"),
    /** Build attempts per task before it counts as not buildable. */
    max_attempts: int().min(1).max(10_000).default(60),
    id_prefix: z.string().regex(/^[A-Za-z0-9_-]+$/, "id_prefix may hold letters, digits, _ and -").default("writ"),
  })
  .strict();

export type SynthesisConfig = z.infer<typeof synthesisConfigSchema>;
export type SynthesisConfigInput = z.input<typeof synthesisConfigSchema>;

export class SynthesisConfigError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "SynthesisConfigError";
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "config";
}

/** Parses a config; throws SynthesisConfigError naming the first bad field (all issues in the message). */
export function parseSynthesisConfig(input: unknown): SynthesisConfig {
  const r = synthesisConfigSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
  throw new SynthesisConfigError(issues.join("; "), fieldPath(r.error.issues[0].path));
}
