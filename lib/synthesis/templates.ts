/**
 * Decision templates. Each builds one decision for a given user and evidence target B,
 * working from the answer: it picks a target and levers, runs the read tools on the
 * rollout environment to compute the gold write, and rejects (with a reason) unless
 * exactly one argument set satisfies the constraints and the read plan has exactly B reads.
 *
 * Read-plan order per decision: reservation reads (by id: that reservation; by
 * description: get_user_details then every reservation of the user, the scan), then
 * get_user_details if still needed (payment, membership, passengers), then the
 * evidence reads (searches, flight statuses). B counts every read of that list,
 * including a get_user_details another decision of the same task also needs.
 */
import { METRO_AREAS, type AirlineEnv, type Reservation, type User } from "../airline";
import { ReadPlan, readReservation, readUser, searchAction, statusAction } from "./read-plan";
import type { Rng } from "./rng";
import {
  TODAY,
  allFuture,
  bookingTotal,
  cancelAllowed,
  changeFlightsAllowed,
  compensationAllowed,
  findByRef,
  formatAmount,
  freeBagsPerPassenger,
  isActive,
  itinerariesFromSearch,
  nonfreeBags,
  rankItineraries,
  resolvePayment,
  type Itinerary,
} from "./rules";
import type {
  Cabin,
  CancelReason,
  Criterion,
  DecisionSpec,
  PassengerRef,
  PaymentRef,
  Request,
  ReservationRef,
  SearchKind,
  ToolAction,
} from "./spec";

export interface BuildContext {
  env: AirlineEnv;
  rng: Rng;
  userId: string;
  /** Sorted flight numbers of the base state (route sampling). */
  flightNumbers: readonly string[];
  airports: readonly string[];
  /** Reservations an earlier decision of this task already targets. */
  used: Set<string>;
  /** "Does not know ids" behaviour: reservations must be described, never named. */
  descriptiveOnly: boolean;
  bookingsLeft: number;
  certificatesLeft: number;
}

export type BuildResult = { ok: true; decision: DecisionSpec } | { ok: false; reason: string };
const fail = (reason: string): BuildResult => ({ ok: false, reason });

export const WRITE_TEMPLATES = ["book", "cancel", "change_flights", "change_cabin", "add_bags", "change_passenger", "compensation"] as const;
export const REFUSAL_TEMPLATES = ["refuse_cancel", "refuse_change_basic", "refuse_compensation"] as const;
export type TemplateName = (typeof WRITE_TEMPLATES)[number] | (typeof REFUSAL_TEMPLATES)[number];

const CRITERIA: Criterion[] = ["cheapest", "fastest", "earliest_arrival"];
const FUTURE_DAYS = Array.from({ length: 15 }, (_, i) => `2024-05-${String(16 + i).padStart(2, "0")}`);
const FIRST_NAMES = ["Ava", "Liam", "Noah", "Mia", "Omar", "Yara", "Ivan", "Lena", "Kenji", "Sofia", "Ravi", "Chloe", "Mateo", "Aisha", "Hugo"];
const LAST_NAMES = ["Garcia", "Novak", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Kowalski", "Silva", "Brennan", "Iyer", "Fischer"];

const METRO_OF = new Map<string, string[]>();
for (const codes of Object.values(METRO_AREAS)) for (const c of codes) METRO_OF.set(c, codes);

// ---- helpers ------------------------------------------------------------------------------
function user(ctx: BuildContext): User {
  return ctx.env.getUser(ctx.userId)!;
}
function reservationsOf(ctx: BuildContext): Reservation[] {
  return user(ctx)
    .reservations.map((id) => ctx.env.getReservation(id))
    .filter((r): r is Reservation => !!r);
}
function readValue(ctx: BuildContext, a: ToolAction): unknown {
  const r = ctx.env.call(a.name, a.arguments);
  return r.error ? undefined : r.value;
}
function randomPerson(rng: Rng): { first_name: string; last_name: string; dob: string } {
  const y = rng.int(1950, 2008);
  const m = String(rng.int(1, 12)).padStart(2, "0");
  const d = String(rng.int(1, 28)).padStart(2, "0");
  return { first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES), dob: `${y}-${m}-${d}` };
}
function uniqueCreditCards(u: User): { id: string; last_four: string }[] {
  const cards = Object.values(u.payment_methods).filter((p) => p.source === "credit_card") as { id: string; last_four: string }[];
  return cards.filter((c) => cards.filter((o) => o.last_four === c.last_four).length === 1);
}
/** A payment the user can name unambiguously for `amount` (credit card by last four, or the one gift card that covers it). */
function choosePayment(ctx: BuildContext, amount: number, allowGift: boolean): { ref: PaymentRef; id: string } | null {
  const u = user(ctx);
  const options: { ref: PaymentRef; id: string }[] = uniqueCreditCards(u).map((c) => ({ ref: { kind: "credit_card", last_four: c.last_four }, id: c.id }));
  if (allowGift && amount > 0) {
    const ref: PaymentRef = { kind: "gift_card_enough" };
    const id = resolvePayment(u, ref, amount);
    if (id) options.push({ ref, id });
  }
  return options.length ? ctx.rng.pick(options) : null;
}

interface RefOption {
  ref: ReservationRef;
  reads: ToolAction[];
  scan: boolean;
}
/** Ways the user can point at `target`: by id (one read) or by a description that only it matches (a scan). */
function refOptions(ctx: BuildContext, target: Reservation, scanFits: (reads: number) => boolean = () => true): RefOption[] {
  const out: RefOption[] = [];
  if (!ctx.descriptiveOnly) out.push({ ref: { by: "id", id: target.reservation_id }, reads: [readReservation(target.reservation_id)], scan: false });
  // A scan reads the user and every reservation: skip describing when that count cannot fit B.
  if (!scanFits(1 + user(ctx).reservations.length)) return out;
  const all = reservationsOf(ctx);
  const scanReads = [readUser(ctx.userId), ...all.map((r) => readReservation(r.reservation_id))];
  const candidates: ReservationRef[] = [
    { by: "route", origin: target.origin, destination: target.destination },
    { by: "most_recent" },
    ...[...new Set(target.flights.map((f) => f.date))].map((date): ReservationRef => ({ by: "date", date })),
  ];
  for (const ref of candidates) {
    const m = findByRef(ref, all);
    if (m.length === 1 && m[0].reservation_id === target.reservation_id) out.push({ ref, reads: scanReads, scan: true });
  }
  return out;
}

/** The read plan for a reservation reference plus the user read when needed, then extras. */
function planFor(ctx: BuildContext, ref: RefOption, needsUser: boolean, extras: readonly ToolAction[] = []): ReadPlan {
  const p = new ReadPlan().addAll(ref.reads);
  if (needsUser) p.add("get_user_details", { user_id: ctx.userId });
  return p.addAll(extras);
}

function pickTargets(ctx: BuildContext, pred: (r: Reservation) => boolean): Reservation[] {
  return ctx.rng.shuffle(reservationsOf(ctx).filter((r) => !ctx.used.has(r.reservation_id) && pred(r))).slice(0, 6);
}

/** Picks a reference whose read count plus `extra` equals B (or leaves room for ≥1 extra when extra is null). */
function fitRef(ctx: BuildContext, target: Reservation, B: number, needsUser: boolean, extra: number | null): RefOption | null {
  const scanFits = (reads: number): boolean => (extra === null ? reads < B : reads + extra === B);
  const fits = refOptions(ctx, target, scanFits).filter((o) => {
    const base = planFor(ctx, o, needsUser).size;
    return extra === null ? base < B : base + extra === B;
  });
  return fits.length ? ctx.rng.pick(fits) : null;
}

function decision(partial: Omit<DecisionSpec, "evidence" | "decoy" | "runner_up" | "communicate_info" | "refusal_reason"> & Partial<DecisionSpec>): DecisionSpec {
  return {
    runner_up: null,
    communicate_info: [],
    refusal_reason: null,
    decoy: null,
    ...partial,
    evidence: partial.read_plan.length,
  };
}

function levers(ref: RefOption | null, extra: string[]): string[] {
  const out = ref?.scan ? ["scan:" + ref.ref.by] : [];
  return out.concat(extra);
}

// ---- search levers ------------------------------------------------------------------------
interface SearchLeg {
  origins: string[];
  destinations: string[];
  dates: string[];
  search: SearchKind;
}
function searchActions(leg: SearchLeg): ToolAction[] {
  const out: ToolAction[] = [];
  for (const o of leg.origins)
    for (const d of leg.destinations)
      for (const t of leg.dates) {
        out.push(searchAction("direct", o, d, t));
        if (leg.search === "any") out.push(searchAction("onestop", o, d, t));
      }
  return out;
}
function runSearches(ctx: BuildContext, actions: readonly ToolAction[]): Itinerary[] {
  const out: Itinerary[] = [];
  for (const a of actions) out.push(...itinerariesFromSearch(readValue(ctx, a), String(a.arguments.date)));
  return out;
}

/** Unique best by the criterion, plus the runner-up; null (with reason) on a tie or too few. */
function uniqueBest(its: Itinerary[], criterion: Criterion, cabin: Cabin, pax: number): { best: Itinerary; second: Itinerary } | string {
  const ranked = rankItineraries(its, criterion, cabin, pax);
  if (ranked.length < 2) return "too_few_candidates";
  if (ranked[0].value === ranked[1].value) return "tie";
  return { best: ranked[0].it, second: ranked[1].it };
}

function airportSet(ctx: BuildContext, seed: string, n: number, exclude: Set<string>): string[] | null {
  const out = [seed];
  const metro = (METRO_OF.get(seed) ?? []).filter((c) => c !== seed && !exclude.has(c));
  const pool = [...ctx.rng.shuffle([...metro]), ...ctx.rng.shuffle(ctx.airports.filter((c) => c !== seed && !exclude.has(c) && !metro.includes(c)))];
  for (const c of pool) {
    if (out.length >= n) break;
    out.push(c);
  }
  return out.length === n ? out : null;
}

function dateWindow(rng: Rng, n: number, from = 0, to = FUTURE_DAYS.length - 1): string[] | null {
  if (to - from + 1 < n) return null;
  const start = rng.int(from, to - n + 1);
  return FUTURE_DAYS.slice(start, start + n);
}

// ---- book ---------------------------------------------------------------------------------
function buildBook(ctx: BuildContext, B: number): BuildResult {
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

// ---- cancel -------------------------------------------------------------------------------
function buildCancel(ctx: BuildContext, B: number): BuildResult {
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
function buildChangeFlights(ctx: BuildContext, B: number): BuildResult {
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
function buildChangeCabin(ctx: BuildContext, B: number): BuildResult {
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
function buildAddBags(ctx: BuildContext, B: number): BuildResult {
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
function buildChangePassenger(ctx: BuildContext, B: number): BuildResult {
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
function plan(ctx: BuildContext, ref: RefOption): ToolAction[] {
  return planFor(ctx, ref, false).actions;
}

// ---- compensation ----------------------------------------------------------------------------
function cancelledSegments(ctx: BuildContext, r: Reservation): boolean {
  return r.flights.some((f) => f.date <= TODAY && ctx.env.getFlight(f.flight_number)?.dates[f.date]?.status === "cancelled");
}
function statusReads(r: Reservation): ToolAction[] {
  return [...new Map(r.flights.map((f) => [`${f.flight_number}@${f.date}`, statusAction(f.flight_number, f.date)])).values()];
}

function buildCompensation(ctx: BuildContext, B: number): BuildResult {
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

// ---- refusals ---------------------------------------------------------------------------------
function buildRefuseCancel(ctx: BuildContext, B: number): BuildResult {
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

function buildRefuseChangeBasic(ctx: BuildContext, B: number): BuildResult {
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

function buildRefuseCompensation(ctx: BuildContext, B: number): BuildResult {
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
