/** The book template: a new reservation chosen by search levers (criterion, dates, airports). */
import { ReadPlan } from "../read-plan";
import { bookingTotal, formatAmount, nonfreeBags, type Itinerary } from "../rules";
import type { Cabin, PassengerRef, Request, ToolAction } from "../spec";
import { type BuildContext, type BuildResult, fail, CRITERIA, FUTURE_DAYS, user, randomPerson, choosePayment, decision, type SearchLeg, searchActions, runSearches, uniqueBest, airportSet, dateWindow } from "./context";

// ---- book ---------------------------------------------------------------------------------
export function buildBook(ctx: BuildContext, B: number): BuildResult {
  if (ctx.bookingsLeft <= 0) return fail("no_booking_slot");
  const S = B - 1;
  if (S < 1) return fail("b_unreachable");
  const rng = ctx.rng;
  const u = user(ctx);
  const roundTrip = S >= 2 && rng.chance(0.35);
  const flight = ctx.env.getFlight(rng.pick(ctx.flightNumbers))!;
  const legs: SearchLeg[] = [];
  const leverNames: string[] = [];
  if (!roundTrip) {
    const shapes: [number, number, number, number][] = [];
    for (let no = 1; no <= 3; no++)
      for (let nd = 1; nd <= 3; nd++)
        for (let nk = 1; nk <= 2; nk++) {
          const nt = S / (no * nd * nk);
          if (Number.isInteger(nt) && nt >= 1 && nt <= 7) shapes.push([no, nd, nt, nk]);
        }
    if (!shapes.length) return fail("b_unreachable");
    const [no, nd, nt, nk] = rng.pick(shapes);
    const origins = airportSet(ctx, flight.origin, no, new Set([flight.destination]));
    const destinations = origins && airportSet(ctx, flight.destination, nd, new Set(origins));
    const dates = dateWindow(rng, nt);
    if (!origins || !destinations || !dates) return fail("b_unreachable");
    legs.push({ origins, destinations, dates, search: nk === 2 ? "any" : "direct" });
    if (no > 1) leverNames.push("several_origins");
    if (nd > 1) leverNames.push("several_destinations");
  } else {
    const shapes: [number, number, number, number][] = [];
    for (let nk1 = 1; nk1 <= 2; nk1++)
      for (let nk2 = 1; nk2 <= 2; nk2++)
        for (let nt1 = 1; nt1 <= 6; nt1++) {
          const rest = S - nt1 * nk1;
          const nt2 = rest / nk2;
          if (Number.isInteger(nt2) && nt2 >= 1 && nt1 + nt2 + 1 <= FUTURE_DAYS.length) shapes.push([nt1, nk1, nt2, nk2]);
        }
    if (!shapes.length) return fail("b_unreachable");
    const [nt1, nk1, nt2, nk2] = rng.pick(shapes);
    const out = dateWindow(rng, nt1, 0, FUTURE_DAYS.length - nt2 - 2);
    if (!out) return fail("b_unreachable");
    const lastOut = FUTURE_DAYS.indexOf(out[out.length - 1]);
    const ret = dateWindow(rng, nt2, lastOut + 2);
    if (!ret) return fail("b_unreachable");
    legs.push({ origins: [flight.origin], destinations: [flight.destination], dates: out, search: nk1 === 2 ? "any" : "direct" });
    legs.push({ origins: [flight.destination], destinations: [flight.origin], dates: ret, search: nk2 === 2 ? "any" : "direct" });
    leverNames.push("round_trip");
  }
  if (legs.some((l) => l.dates.length > 1)) leverNames.push("flexible_dates");
  if (legs.some((l) => l.search === "any")) leverNames.push("direct_and_onestop");

  const cabin: Cabin = rng.weighted([["economy", 2], ["business", 1], ["basic_economy", 1]] as const);
  const criterion = rng.pick(CRITERIA);
  const paxCount = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
  const companions: { first_name: string; last_name: string; dob: string }[] = [];
  const names = new Set([`${u.name.first_name} ${u.name.last_name}`]);
  for (const p of rng.shuffle([...u.saved_passengers])) {
    if (companions.length >= paxCount - 1) break;
    if (!names.has(`${p.first_name} ${p.last_name}`)) {
      names.add(`${p.first_name} ${p.last_name}`);
      companions.push({ first_name: p.first_name, last_name: p.last_name, dob: p.dob });
    }
  }
  while (companions.length < paxCount - 1) {
    const p = randomPerson(rng);
    if (names.has(`${p.first_name} ${p.last_name}`)) continue;
    names.add(`${p.first_name} ${p.last_name}`);
    companions.push(p);
  }
  const passengers = [{ first_name: u.name.first_name, last_name: u.name.last_name, dob: u.dob }, ...companions];

  const plan = new ReadPlan().add("get_user_details", { user_id: ctx.userId });
  const picks: { best: Itinerary; second: Itinerary }[] = [];
  for (const leg of legs) {
    const actions = searchActions(leg);
    plan.addAll(actions);
    const r = uniqueBest(runSearches(ctx, actions), criterion, cabin, paxCount);
    if (typeof r === "string") return fail(r);
    picks.push(r);
  }
  if (plan.size !== B) return fail("b_mismatch");

  const bags = rng.weighted([[0, 3], [1, 3], [2, 2], [3, 1]] as const);
  const nonfree = nonfreeBags(bags, u.membership, cabin, paxCount);
  const insurance = rng.chance(0.35) ? "yes" : "no";
  const chosen = picks.map((p) => p.best);
  const total = bookingTotal(chosen, cabin, paxCount, insurance, nonfree);
  const pay = choosePayment(ctx, total, true);
  if (!pay) return fail("no_payment_method");

  const makeWrite = (its: Itinerary[]): ToolAction => {
    const t = bookingTotal(its, cabin, paxCount, insurance, nonfree);
    return {
      name: "book_reservation",
      arguments: {
        user_id: ctx.userId,
        origin: its[0][0].origin,
        destination: its[0][its[0].length - 1].destination,
        flight_type: roundTrip ? "round_trip" : "one_way",
        cabin,
        flights: its.flatMap((it) => it.map((l) => ({ flight_number: l.flight_number, date: l.date }))),
        passengers,
        payment_methods: [{ payment_id: pay.id, amount: t }],
        total_baggages: bags,
        nonfree_baggages: nonfree,
        insurance,
      },
    };
  };
  const request: Request = {
    type: "book",
    trip: roundTrip ? "round_trip" : "one_way",
    origins: legs[0].origins,
    destinations: legs[0].destinations,
    dates: legs[0].dates,
    search: legs[0].search,
    ...(roundTrip ? { return_dates: legs[1].dates, return_search: legs[1].search } : {}),
    criterion,
    cabin,
    passengers: [{ self: true }, ...companions] as PassengerRef[],
    bags,
    insurance,
    payment: pay.ref,
  };
  const runnerUp = makeWrite([picks[0].second, ...chosen.slice(1)]);
  return {
    ok: true,
    decision: decision({
      type: "book",
      template: "book",
        target: null,
      request,
      expect: "write",
      write: makeWrite(chosen),
      runner_up: runnerUp,
      read_plan: plan.actions,
      communicate_info: [formatAmount(total)],
      decoy: { key: "criterion", value: rng.pick(CRITERIA.filter((c) => c !== criterion)) },
      levers: [...leverNames, "argmin:" + criterion, ...(pay.ref.kind === "gift_card_enough" ? ["payment_by_balance"] : [])],
    }),
  };
}
