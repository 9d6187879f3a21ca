/**
 * The query of GET /api/experiments/:id/search (and the search page's URL: the same names).
 * Bad values are a 400 naming the field.
 */
import { z } from "zod";
import { annotationQuerySchema } from "../calibration/annotation-query";
import { TIER_NAMES } from "../rewards";
import { terminationSchema } from "../types/messages";

const intParam = (field: string) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `${field} must be a non-negative integer`)
    .transform(Number);

export const SEARCH_PAGE_MAX = 500;

export const searchQuerySchema = z
  .object({
    /** Words (all must occur in one message), "phrases", `prefix*`. */
    q: z.string().max(500, "must be at most 500 characters").optional(),
    outcome: z.enum(["pass", "fail"], { message: "must be pass or fail" }).optional(),
    termination: terminationSchema.optional(),
    /** A rollout with at least one agent turn of this tier under the selected config. */
    tier: z.enum(TIER_NAMES, { message: `must be one of ${TIER_NAMES.join(", ")}` }).optional(),
    /** 1: a rollout with at least one misaligned turn (advantage sign against its tier's intended sign). */
    mismatch: z.enum(["1", "0"], { message: "must be 1 or 0" }).optional(),
    /** A rollout that called this tool at least once (exact name). */
    tool: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,100}$/, "must be a tool name (letters, digits, _)")
      .optional(),
    w: intParam("w").optional(),
    b: intParam("b").optional(),
    /** Training runs: steps a-b (inclusive), or one step. */
    steps: z
      .string()
      .regex(/^\d{1,9}(-\d{1,9})?$/, "must be a step or a range a-b")
      .transform((s) => {
        const [a, b = a] = s.split("-").map(Number);
        return [Math.min(a, b), Math.max(a, b)] as [number, number];
      })
      .optional(),
    /** The simulated agent preset (mixed-preset experiments). */
    preset: z.string().min(1).max(100).optional(),
    /** The agent's label as recorded per rollout (`simulated agent (expert)`, a model name …). */
    agent: z.string().min(1).max(200).optional(),
    /** The user simulator's label. */
    user: z.string().min(1).max(200).optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, "must be an integer")
      .transform(Number)
      .refine((n) => n >= 1 && n <= SEARCH_PAGE_MAX, `must be between 1 and ${SEARCH_PAGE_MAX}`)
      .optional(),
    /** The previous page's next_cursor. */
    cursor: z.string().regex(/^\d{1,19}$/, "must be a next_cursor from a previous page").optional(),
  })
  .extend(annotationQuerySchema.pick({ iteration: true, it: true, c: true, estimator: true }).shape)
  .strict();

export type SearchQuery = z.infer<typeof searchQuerySchema>;
