/** Refusal templates: requests the policy forbids (the gold is no write, with the reason the agent should give). */
import type { Reservation } from "../../airline";
import { TODAY, allFuture, cancelAllowed, compensationAllowed, isActive } from "../rules";
import { type BuildContext, type BuildResult, fail, FUTURE_DAYS, user, choosePayment, planFor, pickTargets, fitRef, decision, levers, plan, cancelledSegments } from "./context";

// ---- refusals ---------------------------------------------------------------------------------
export function buildRefuseCancel(ctx: BuildContext, B: number): BuildResult {
  for (const target of pickTargets(ctx, (r) => isActive(r) && allFuture(r) && r.insurance === "no" && !cancelAllowed(r, "change_of_plan").ok)) {
    const ref = fitRef(ctx, target, B, false, 0);
    if (!ref) continue;
    const why = cancelAllowed(target, "change_of_plan").why;
    return {
      ok: true,
      decision: decision({
        type: "cancel",
        template: "refuse_cancel",
        target: target.reservation_id,
        request: { type: "cancel", reservation: ref.ref, reason: "change_of_plan" },
        expect: "refuse",
        write: null,
        runner_up: { name: "cancel_reservation", arguments: { reservation_id: target.reservation_id } },
        read_plan: plan(ctx, ref),
        refusal_reason: `Agent should refuse to cancel reservation ${target.reservation_id}: ${why}.`,
        levers: levers(ref, ["policy_refusal"]),
      }),
    };
  }
  return fail("no_target");
}

export function buildRefuseChangeBasic(ctx: BuildContext, B: number): BuildResult {
  const rng = ctx.rng;
  for (const target of pickTargets(ctx, (r) => isActive(r) && allFuture(r) && r.cabin === "basic_economy" && r.flight_type === "one_way")) {
    const ref = fitRef(ctx, target, B, false, 0);
    if (!ref) continue;
    const pay = choosePayment(ctx, 0, false);
    if (!pay) continue;
    const current = new Set(target.flights.map((f) => f.date));
    const dates = [rng.pick(FUTURE_DAYS.filter((d) => !current.has(d)))];
    return {
      ok: true,
      decision: decision({
        type: "change_flights",
        template: "refuse_change_basic",
        target: target.reservation_id,
        request: { type: "change_flights", reservation: ref.ref, dates, search: "direct", criterion: "cheapest", payment: pay.ref },
        expect: "refuse",
        write: null,
        read_plan: plan(ctx, ref),
        refusal_reason: `Agent should refuse to change the flights of basic economy reservation ${target.reservation_id}.`,
        levers: levers(ref, ["policy_refusal"]),
      }),
    };
  }
  return fail("no_target");
}

export function buildRefuseCompensation(ctx: BuildContext, B: number): BuildResult {
  const u = user(ctx);
  if (u.membership !== "regular") return fail("member_eligible");
  // Prefer a reservation with a real cancelled flight; any past trip will do otherwise.
  const pred = (r: Reservation): boolean => !compensationAllowed(r, u).ok && r.flights.some((f) => f.date <= TODAY);
  const targets = pickTargets(ctx, pred).sort((a, b) => Number(cancelledSegments(ctx, b)) - Number(cancelledSegments(ctx, a)));
  for (const target of targets) {
    const ref = fitRef(ctx, target, B, true, 0);
    if (!ref) continue;
    return {
      ok: true,
      decision: decision({
        type: "compensation",
        template: "refuse_compensation",
        target: target.reservation_id,
        request: { type: "compensation", reservation: ref.ref },
        expect: "refuse",
        write: null,
        runner_up: { name: "send_certificate", arguments: { user_id: ctx.userId, amount: 100 * target.passengers.length } },
        read_plan: planFor(ctx, ref, true).actions,
        refusal_reason: `Agent should refuse compensation for reservation ${target.reservation_id}: regular member, no insurance, not business.`,
        levers: levers(ref, ["policy_refusal"]),
      }),
    };
  }
  return fail("no_target");
}
