/** Templates that change an existing reservation: cancel, change flights, change cabin, add bags, change passenger. */
import { searchAction } from "../read-plan";
import { allFuture, cancelAllowed, changeFlightsAllowed, formatAmount, freeBagsPerPassenger, isActive, nonfreeBags, type Itinerary } from "../rules";
import type { Cabin, CancelReason, ToolAction } from "../spec";
import { type BuildContext, type BuildResult, fail, CRITERIA, FUTURE_DAYS, user, reservationsOf, randomPerson, choosePayment, planFor, pickTargets, fitRef, decision, levers, type SearchLeg, searchActions, runSearches, uniqueBest, plan } from "./context";

// ---- cancel -------------------------------------------------------------------------------
export function buildCancel(ctx: BuildContext, B: number): BuildResult {
  const rng = ctx.rng;
  for (const target of pickTargets(ctx, (r) => isActive(r) && allFuture(r))) {
    const reasons: CancelReason[] = rng.shuffle(["change_of_plan", "health", "weather"] as CancelReason[]);
    const reason = reasons.find((x) => cancelAllowed(target, x).ok);
    if (!reason) continue;
    const ref = fitRef(ctx, target, B, false, 0);
    if (!ref) continue;
    const plan = planFor(ctx, ref, false);
    const other = reservationsOf(ctx).find((r) => r !== target && isActive(r));
    const decoyReason = reasons.find((x) => x !== reason)!;
    return {
      ok: true,
      decision: decision({
        type: "cancel",
        template: "cancel",
        target: target.reservation_id,
        request: { type: "cancel", reservation: ref.ref, reason },
        expect: "write",
        write: { name: "cancel_reservation", arguments: { reservation_id: target.reservation_id } },
        runner_up: other ? { name: "cancel_reservation", arguments: { reservation_id: other.reservation_id } } : null,
        read_plan: plan.actions,
        decoy: { key: "reason", value: decoyReason },
        levers: levers(ref, []),
      }),
    };
  }
  return fail("no_target");
}

// ---- change flights -------------------------------------------------------------------------
export function buildChangeFlights(ctx: BuildContext, B: number): BuildResult {
  const rng = ctx.rng;
  for (const target of pickTargets(ctx, (r) => r.flight_type === "one_way" && changeFlightsAllowed(r).ok)) {
    const ref = fitRef(ctx, target, B, true, null);
    if (!ref) continue;
    const S = B - planFor(ctx, ref, true).size;
    const shapes: [number, number][] = [];
    for (let nk = 1; nk <= 2; nk++) if (Number.isInteger(S / nk) && S / nk <= 7) shapes.push([S / nk, nk]);
    if (!shapes.length) return fail("b_unreachable");
    const [nt, nk] = rng.pick(shapes);
    const current = new Set(target.flights.map((f) => f.date));
    const free = FUTURE_DAYS.filter((d) => !current.has(d));
    if (free.length < nt) continue;
    const startMax = free.length - nt;
    const start = rng.int(0, startMax);
    const dates = free.slice(start, start + nt);
    const leg: SearchLeg = { origins: [target.origin], destinations: [target.destination], dates, search: nk === 2 ? "any" : "direct" };
    const actions = searchActions(leg);
    const plan = planFor(ctx, ref, true, actions);
    if (plan.size !== B) return fail("b_mismatch");
    const criterion = rng.pick(CRITERIA);
    const r = uniqueBest(runSearches(ctx, actions), criterion, target.cabin, target.passengers.length);
    if (typeof r === "string") return fail(r);
    const pay = choosePayment(ctx, 0, false);
    if (!pay) return fail("no_payment_method");
    const write = (it: Itinerary): ToolAction => ({
      name: "update_reservation_flights",
      arguments: {
        reservation_id: target.reservation_id,
        cabin: target.cabin,
        flights: it.map((l) => ({ flight_number: l.flight_number, date: l.date })),
        payment_id: pay.id,
      },
    });
    return {
      ok: true,
      decision: decision({
        type: "change_flights",
        template: "change_flights",
        target: target.reservation_id,
        request: { type: "change_flights", reservation: ref.ref, dates, search: leg.search, criterion, payment: pay.ref },
        expect: "write",
        write: write(r.best),
        runner_up: write(r.second),
        read_plan: plan.actions,
        decoy: { key: "criterion", value: rng.pick(CRITERIA.filter((c) => c !== criterion)) },
        levers: levers(ref, [...(nt > 1 ? ["flexible_dates"] : []), ...(nk > 1 ? ["direct_and_onestop"] : []), "argmin:" + criterion]),
      }),
    };
  }
  return fail("no_target");
}

// ---- change cabin ---------------------------------------------------------------------------
export function buildChangeCabin(ctx: BuildContext, B: number): BuildResult {
  const rng = ctx.rng;
  for (const target of pickTargets(ctx, (r) => isActive(r) && allFuture(r))) {
    const segs = [...new Map(target.flights.map((f) => [`${f.origin}|${f.destination}|${f.date}`, f])).values()];
    const extras = segs.map((f) => searchAction("direct", f.origin, f.destination, f.date));
    const ref = fitRef(ctx, target, B, true, extras.length);
    if (!ref) continue;
    const plan = planFor(ctx, ref, true, extras);
    if (plan.size !== B) continue;
    const cabins = rng.shuffle((["basic_economy", "economy", "business"] as Cabin[]).filter((c) => c !== target.cabin));
    const pax = target.passengers.length;
    const priceOf = new Map<string, Itinerary[number]>();
    for (const a of extras) for (const it of runSearches(ctx, [a])) priceOf.set(`${it[0].flight_number}@${it[0].date}`, it[0]);
    const diffFor = (cabin: Cabin): number | null => {
      let diff = 0;
      for (const f of target.flights) {
        const leg = priceOf.get(`${f.flight_number}@${f.date}`);
        if (!leg || leg.seats[cabin] < pax) return null;
        diff += (leg.prices[cabin] - f.price) * pax;
      }
      return diff;
    };
    const cabin = cabins.find((c) => diffFor(c) !== null);
    if (!cabin) continue;
    const diff = diffFor(cabin)!;
    const pay = choosePayment(ctx, 0, false);
    if (!pay) return fail("no_payment_method");
    const write = (c: Cabin): ToolAction => ({
      name: "update_reservation_flights",
      arguments: {
        reservation_id: target.reservation_id,
        cabin: c,
        flights: target.flights.map((f) => ({ flight_number: f.flight_number, date: f.date })),
        payment_id: pay.id,
      },
    });
    const other = cabins.find((c) => c !== cabin)!;
    return {
      ok: true,
      decision: decision({
        type: "change_cabin",
        template: "change_cabin",
        target: target.reservation_id,
        request: { type: "change_cabin", reservation: ref.ref, cabin, payment: pay.ref },
        expect: "write",
        write: write(cabin),
        runner_up: write(other),
        read_plan: plan.actions,
        communicate_info: diff !== 0 ? [formatAmount(Math.abs(diff))] : [],
        decoy: { key: "cabin", value: other },
        levers: levers(ref, ["price_lookup"]),
      }),
    };
  }
  return fail("no_target");
}

// ---- add bags --------------------------------------------------------------------------------
export function buildAddBags(ctx: BuildContext, B: number): BuildResult {
  const rng = ctx.rng;
  const u = user(ctx);
  for (const target of pickTargets(ctx, (r) => isActive(r) && allFuture(r))) {
    const pax = target.passengers.length;
    if (target.nonfree_baggages !== nonfreeBags(target.total_baggages, u.membership, target.cabin, pax)) continue;
    const ref = fitRef(ctx, target, B, true, 0);
    if (!ref) continue;
    const plan = planFor(ctx, ref, true);
    const add = rng.int(1, 3);
    const total = target.total_baggages + add;
    const nonfree = nonfreeBags(total, u.membership, target.cabin, pax);
    const fee = 50 * (nonfree - target.nonfree_baggages);
    const pay = choosePayment(ctx, fee, true);
    if (!pay) return fail("no_payment_method");
    const write = (k: number): ToolAction => ({
      name: "update_reservation_baggages",
      arguments: {
        reservation_id: target.reservation_id,
        total_baggages: target.total_baggages + k,
        nonfree_baggages: nonfreeBags(target.total_baggages + k, u.membership, target.cabin, pax),
        payment_id: pay.id,
      },
    });
    return {
      ok: true,
      decision: decision({
        type: "add_bags",
        template: "add_bags",
        target: target.reservation_id,
        request: { type: "add_bags", reservation: ref.ref, add_bags: add, payment: pay.ref },
        expect: "write",
        write: write(add),
        runner_up: write(add + 1),
        read_plan: plan.actions,
        communicate_info: fee > 0 ? [formatAmount(fee)] : [],
        decoy: { key: "add_bags", value: add === 1 ? 2 : add - 1 },
        levers: levers(ref, ["bag_allowance:" + freeBagsPerPassenger(u.membership, target.cabin)]),
      }),
    };
  }
  return fail("no_target");
}

// ---- change passenger ------------------------------------------------------------------------
export function buildChangePassenger(ctx: BuildContext, B: number): BuildResult {
  const rng = ctx.rng;
  for (const target of pickTargets(ctx, (r) => isActive(r) && allFuture(r))) {
    const ref = fitRef(ctx, target, B, false, 0);
    if (!ref) continue;
    const nameOf = (p: { first_name: string; last_name: string }): string => `${p.first_name} ${p.last_name}`;
    const idxs = target.passengers.map((_, i) => i).filter((i) => target.passengers.filter((p) => nameOf(p) === nameOf(target.passengers[i])).length === 1);
    if (!idxs.length) continue;
    const i = rng.pick(idxs);
    let fresh = randomPerson(rng);
    while (target.passengers.some((p) => nameOf(p) === nameOf(fresh))) fresh = randomPerson(rng);
    const replace = (k: number, person: typeof fresh): ToolAction => ({
      name: "update_reservation_passengers",
      arguments: {
        reservation_id: target.reservation_id,
        passengers: target.passengers.map((p, j) => (j === k ? person : { first_name: p.first_name, last_name: p.last_name, dob: p.dob })),
      },
    });
    const otherIdx = target.passengers.findIndex((_, j) => j !== i);
    const wrongDob = { ...fresh, dob: fresh.dob.replace(/^(\d{4})/, (y) => String(Number(y) - 1)) };
    return {
      ok: true,
      decision: decision({
        type: "change_passenger",
        template: "change_passenger",
        target: target.reservation_id,
        request: {
          type: "change_passenger",
          reservation: ref.ref,
          passenger_change: { old: { first_name: target.passengers[i].first_name, last_name: target.passengers[i].last_name }, new: fresh },
        },
        expect: "write",
        write: replace(i, fresh),
        runner_up: otherIdx >= 0 ? replace(otherIdx, fresh) : replace(i, wrongDob),
        read_plan: plan(ctx, ref),
        decoy: { key: "passenger_change", value: { old: { first_name: target.passengers[i].first_name, last_name: target.passengers[i].last_name }, new: wrongDob } },
        levers: levers(ref, []),
      }),
    };
  }
  return fail("no_target");
}
