/**
 * The query of GET /api/compare and the /compare page's URL state (one vocabulary):
 * a, b (experiment ids), a_steps / b_steps ("from-to", training runs), and the shared config
 * in the rollout browser's words: iteration|it, c (unsaved diff), estimator. Bad values are a
 * 400 naming the field.
 */
import { z } from "zod";
import { parseStepRange } from "../analysis/timeline-steps";
import { ESTIMATORS } from "../rewards";
import type { CompareInput } from "./compare";

const experimentId = (field: string) =>
  z
    .string({ message: `${field} is required (an experiment id)` })
    .regex(/^[1-9]\d{0,15}$/, `${field} must be a positive integer (an experiment id)`)
    .transform(Number);

const stepRange = z
  .string()
  .transform((t, ctx) => {
    const r = parseStepRange(t);
    if (!r) ctx.addIssue({ code: "custom", message: 'must be "from-to" with from ≤ to (training steps)' });
    return r ?? ([0, 0] as [number, number]);
  })
  .optional();

const iterationId = (field: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, `${field} must be a positive integer (a saved iteration id)`)
    .transform(Number)
    .optional();

export const compareQuerySchema = z.object({
  a: experimentId("a"),
  b: experimentId("b"),
  a_steps: stepRange,
  b_steps: stepRange,
  iteration: iterationId("iteration"),
  it: iterationId("it"),
  c: z.string().max(2000, "must be at most 2000 characters").optional(),
  estimator: z.enum(ESTIMATORS as [string, ...string[]], { message: `must be one of ${ESTIMATORS.join(", ")}` }).optional(),
});

export type CompareQuery = z.infer<typeof compareQuerySchema>;

export function toCompareInput(q: CompareQuery): CompareInput {
  return {
    a: { experimentId: q.a, steps: q.a_steps ?? null },
    b: { experimentId: q.b, steps: q.b_steps ?? null },
    config: {
      iteration: q.iteration ?? q.it,
      diff: q.c || undefined,
      estimator: q.estimator as CompareInput["config"]["estimator"],
    },
  };
}
