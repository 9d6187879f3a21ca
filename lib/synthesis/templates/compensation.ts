/** The compensation template: a certificate for a reservation with a cancelled flight, read from flight statuses. */
import { compensationAllowed, formatAmount } from "../rules";
import { type BuildContext, type BuildResult, fail, user, readValue, planFor, pickTargets, fitRef, decision, levers, cancelledSegments, statusReads } from "./context";

export function buildCompensation(ctx: BuildContext, B: number): BuildResult {
  if (ctx.certificatesLeft <= 0) return fail("no_certificate_slot");
  const u = user(ctx);
  for (const target of pickTargets(ctx, (r) => cancelledSegments(ctx, r) && compensationAllowed(r, u).ok)) {
    const extras = statusReads(target);
    const ref = fitRef(ctx, target, B, true, extras.length);
    if (!ref) continue;
    const p = planFor(ctx, ref, true, extras);
    if (p.size !== B) continue;
    // Run the status reads: the gold depends on what they say.
    if (!extras.some((a) => readValue(ctx, a) === "cancelled")) continue;
    const amount = 100 * target.passengers.length;
    return {
      ok: true,
      decision: decision({
        type: "compensation",
        template: "compensation",
        target: target.reservation_id,
        request: { type: "compensation", reservation: ref.ref },
        expect: "write",
        write: { name: "send_certificate", arguments: { user_id: ctx.userId, amount } },
        runner_up: { name: "send_certificate", arguments: { user_id: ctx.userId, amount: 50 * target.passengers.length } },
        read_plan: p.actions,
        communicate_info: [formatAmount(amount)],
        levers: levers(ref, ["status_checks"]),
      }),
    };
  }
  return fail("no_target");
}
