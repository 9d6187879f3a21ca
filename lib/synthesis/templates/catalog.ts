/**
 * Decision templates: their names, the smallest evidence target each can reach, and the
 * builder behind each name (context.ts explains how a template builds a decision and the
 * read-plan order; the builders are in book.ts, reservation-changes.ts, compensation.ts
 * and refusals.ts).
 */
import { buildBook } from "./book";
import { buildCompensation } from "./compensation";
import { fail, type BuildContext, type BuildResult } from "./context";
import { buildRefuseCancel, buildRefuseChangeBasic, buildRefuseCompensation } from "./refusals";
import { buildAddBags, buildCancel, buildChangeCabin, buildChangeFlights, buildChangePassenger } from "./reservation-changes";

export const WRITE_TEMPLATES = ["book", "cancel", "change_flights", "change_cabin", "add_bags", "change_passenger", "compensation"] as const;
export const REFUSAL_TEMPLATES = ["refuse_cancel", "refuse_change_basic", "refuse_compensation"] as const;
export type TemplateName = (typeof WRITE_TEMPLATES)[number] | (typeof REFUSAL_TEMPLATES)[number];

const BUILDERS: Record<TemplateName, (ctx: BuildContext, B: number) => BuildResult> = {
  book: buildBook,
  cancel: buildCancel,
  change_flights: buildChangeFlights,
  change_cabin: buildChangeCabin,
  add_bags: buildAddBags,
  change_passenger: buildChangePassenger,
  compensation: buildCompensation,
  refuse_cancel: buildRefuseCancel,
  refuse_change_basic: buildRefuseChangeBasic,
  refuse_compensation: buildRefuseCompensation,
};

/** The smallest B each template can reach (by id: the reservation, the user, one search or segment). */
export const MIN_EVIDENCE: Record<TemplateName, number> = {
  book: 2,
  cancel: 1,
  change_flights: 3,
  change_cabin: 3,
  add_bags: 2,
  change_passenger: 1,
  compensation: 3,
  refuse_cancel: 1,
  refuse_change_basic: 1,
  refuse_compensation: 2,
};

export function buildDecision(name: TemplateName, ctx: BuildContext, B: number): BuildResult {
  if (B < MIN_EVIDENCE[name]) return fail("b_unreachable");
  const r = BUILDERS[name](ctx, B);
  if (r.ok && r.decision.evidence !== B) return fail("b_mismatch");
  return r;
}
