/**
 * What the decision templates share: the build context, the helpers that pick targets and
 * references and fit read plans to B, and the search levers.
 *
 * Each template builds one decision for a given user and evidence target B,
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
import { METRO_AREAS, type AirlineEnv, type Reservation, type User } from "../../airline";
import { ReadPlan, readReservation, readUser, searchAction, statusAction } from "../read-plan";
import type { Rng } from "../../random/prng";
import { TODAY, findByRef, itinerariesFromSearch, rankItineraries, resolvePayment, type Itinerary } from "../rules";
import type { Cabin, Criterion, DecisionSpec, PaymentRef, ReservationRef, SearchKind, ToolAction } from "../spec";

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
export const fail = (reason: string): BuildResult => ({ ok: false, reason });

export const CRITERIA: Criterion[] = ["cheapest", "fastest", "earliest_arrival"];
export const FUTURE_DAYS = Array.from({ length: 15 }, (_, i) => `2024-05-${String(16 + i).padStart(2, "0")}`);
export const FIRST_NAMES = ["Ava", "Liam", "Noah", "Mia", "Omar", "Yara", "Ivan", "Lena", "Kenji", "Sofia", "Ravi", "Chloe", "Mateo", "Aisha", "Hugo"];
export const LAST_NAMES = ["Garcia", "Novak", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Kowalski", "Silva", "Brennan", "Iyer", "Fischer"];

export const METRO_OF = new Map<string, string[]>();
for (const codes of Object.values(METRO_AREAS)) for (const c of codes) METRO_OF.set(c, codes);

// ---- helpers ------------------------------------------------------------------------------
export function user(ctx: BuildContext): User {
  return ctx.env.getUser(ctx.userId)!;
}
export function reservationsOf(ctx: BuildContext): Reservation[] {
  return user(ctx)
    .reservations.map((id) => ctx.env.getReservation(id))
    .filter((r): r is Reservation => !!r);
}
export function readValue(ctx: BuildContext, a: ToolAction): unknown {
  const r = ctx.env.call(a.name, a.arguments);
  return r.error ? undefined : r.value;
}
export function randomPerson(rng: Rng): { first_name: string; last_name: string; dob: string } {
  const y = rng.int(1950, 2008);
  const m = String(rng.int(1, 12)).padStart(2, "0");
  const d = String(rng.int(1, 28)).padStart(2, "0");
  return { first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES), dob: `${y}-${m}-${d}` };
}
export function uniqueCreditCards(u: User): { id: string; last_four: string }[] {
  const cards = Object.values(u.payment_methods).filter((p) => p.source === "credit_card") as { id: string; last_four: string }[];
  return cards.filter((c) => cards.filter((o) => o.last_four === c.last_four).length === 1);
}
/** A payment the user can name unambiguously for `amount` (credit card by last four, or the one gift card that covers it). */
export function choosePayment(ctx: BuildContext, amount: number, allowGift: boolean): { ref: PaymentRef; id: string } | null {
  const u = user(ctx);
  const options: { ref: PaymentRef; id: string }[] = uniqueCreditCards(u).map((c) => ({ ref: { kind: "credit_card", last_four: c.last_four }, id: c.id }));
  if (allowGift && amount > 0) {
    const ref: PaymentRef = { kind: "gift_card_enough" };
    const id = resolvePayment(u, ref, amount);
    if (id) options.push({ ref, id });
  }
  return options.length ? ctx.rng.pick(options) : null;
}

export interface RefOption {
  ref: ReservationRef;
  reads: ToolAction[];
  scan: boolean;
}
/** Ways the user can point at `target`: by id (one read) or by a description that only it matches (a scan). */
export function refOptions(ctx: BuildContext, target: Reservation, scanFits: (reads: number) => boolean = () => true): RefOption[] {
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
export function planFor(ctx: BuildContext, ref: RefOption, needsUser: boolean, extras: readonly ToolAction[] = []): ReadPlan {
  const p = new ReadPlan().addAll(ref.reads);
  if (needsUser) p.add("get_user_details", { user_id: ctx.userId });
  return p.addAll(extras);
}

export function pickTargets(ctx: BuildContext, pred: (r: Reservation) => boolean): Reservation[] {
  return ctx.rng.shuffle(reservationsOf(ctx).filter((r) => !ctx.used.has(r.reservation_id) && pred(r))).slice(0, 6);
}

/** Picks a reference whose read count plus `extra` equals B (or leaves room for ≥1 extra when extra is null). */
export function fitRef(ctx: BuildContext, target: Reservation, B: number, needsUser: boolean, extra: number | null): RefOption | null {
  const scanFits = (reads: number): boolean => (extra === null ? reads < B : reads + extra === B);
  const fits = refOptions(ctx, target, scanFits).filter((o) => {
    const base = planFor(ctx, o, needsUser).size;
    return extra === null ? base < B : base + extra === B;
  });
  return fits.length ? ctx.rng.pick(fits) : null;
}

export function decision(partial: Omit<DecisionSpec, "evidence" | "decoy" | "runner_up" | "communicate_info" | "refusal_reason"> & Partial<DecisionSpec>): DecisionSpec {
  return {
    runner_up: null,
    communicate_info: [],
    refusal_reason: null,
    decoy: null,
    ...partial,
    evidence: partial.read_plan.length,
  };
}

export function levers(ref: RefOption | null, extra: string[]): string[] {
  const out = ref?.scan ? ["scan:" + ref.ref.by] : [];
  return out.concat(extra);
}

// ---- search levers ------------------------------------------------------------------------
export interface SearchLeg {
  origins: string[];
  destinations: string[];
  dates: string[];
  search: SearchKind;
}
export function searchActions(leg: SearchLeg): ToolAction[] {
  const out: ToolAction[] = [];
  for (const o of leg.origins)
    for (const d of leg.destinations)
      for (const t of leg.dates) {
        out.push(searchAction("direct", o, d, t));
        if (leg.search === "any") out.push(searchAction("onestop", o, d, t));
      }
  return out;
}
export function runSearches(ctx: BuildContext, actions: readonly ToolAction[]): Itinerary[] {
  const out: Itinerary[] = [];
  for (const a of actions) out.push(...itinerariesFromSearch(readValue(ctx, a), String(a.arguments.date)));
  return out;
}

/** Unique best by the criterion, plus the runner-up; null (with reason) on a tie or too few. */
export function uniqueBest(its: Itinerary[], criterion: Criterion, cabin: Cabin, pax: number): { best: Itinerary; second: Itinerary } | string {
  const ranked = rankItineraries(its, criterion, cabin, pax);
  if (ranked.length < 2) return "too_few_candidates";
  if (ranked[0].value === ranked[1].value) return "tie";
  return { best: ranked[0].it, second: ranked[1].it };
}

export function airportSet(ctx: BuildContext, seed: string, n: number, exclude: Set<string>): string[] | null {
  const out = [seed];
  const metro = (METRO_OF.get(seed) ?? []).filter((c) => c !== seed && !exclude.has(c));
  const pool = [...ctx.rng.shuffle([...metro]), ...ctx.rng.shuffle(ctx.airports.filter((c) => c !== seed && !exclude.has(c) && !metro.includes(c)))];
  for (const c of pool) {
    if (out.length >= n) break;
    out.push(c);
  }
  return out.length === n ? out : null;
}

export function dateWindow(rng: Rng, n: number, from = 0, to = FUTURE_DAYS.length - 1): string[] | null {
  if (to - from + 1 < n) return null;
  const start = rng.int(from, to - n + 1);
  return FUTURE_DAYS.slice(start, start + n);
}

export function plan(ctx: BuildContext, ref: RefOption): ToolAction[] {
  return planFor(ctx, ref, false).actions;
}

export function cancelledSegments(ctx: BuildContext, r: Reservation): boolean {
  return r.flights.some((f) => f.date <= TODAY && ctx.env.getFlight(f.flight_number)?.dates[f.date]?.status === "cancelled");
}
export function statusReads(r: Reservation): ToolAction[] {
  return [...new Map(r.flights.map((f) => [`${f.flight_number}@${f.date}`, statusAction(f.flight_number, f.date)])).values()];
}
