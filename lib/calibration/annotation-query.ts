/**
 * The query of GET /api/groups/:id/annotations and /api/rollouts/:id/annotations, in the
 * rollout browser's URL vocabulary (the workbench's `it`/`c`, spelled out or short):
 * iteration|it, c, estimator, compare (iteration id), compare_c|cc. Bad values are a 400 naming the field.
 */
import { z } from "zod";
import { ESTIMATORS } from "../rewards";
import type { AnnotationRequest } from "./annotations";

const id = (field: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, `${field} must be a positive integer (a saved iteration id)`)
    .transform(Number)
    .optional();
const diff = z.string().max(2000, "must be at most 2000 characters").optional();

export const annotationQuerySchema = z.object({
  iteration: id("iteration"),
  it: id("it"),
  c: diff,
  estimator: z.enum(ESTIMATORS as [string, ...string[]], { message: `must be one of ${ESTIMATORS.join(", ")}` }).optional(),
  compare: id("compare"),
  compare_c: diff,
  cc: diff,
});

export function toAnnotationRequest(q: z.infer<typeof annotationQuerySchema>): AnnotationRequest {
  const estimator = q.estimator as AnnotationRequest["config"]["estimator"];
  const compareDiff = q.compare_c ?? q.cc;
  return {
    config: { iteration: q.iteration ?? q.it, diff: q.c || undefined, estimator },
    compare: q.compare !== undefined || compareDiff ? { iteration: q.compare, diff: compareDiff || undefined, estimator } : null,
  };
}
