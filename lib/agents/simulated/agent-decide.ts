/**
 * What the simulated agent decides once it has read what it planned to: the write a ready
 * request calls for under the shared domain rules (lib/synthesis/rules.ts), a refusal with
 * its reason, or nothing found; and how it tells the user about a write that went through.
 */
import {
  allFuture,
  bookingTotal,
  cancelAllowed,
  changeFlightsAllowed,
  compensationAllowed,
  formatAmount,
  nonfreeBags,
  rankItineraries,
  resolvePayment,
  type Itinerary,
  type Leg,
} from "../../synthesis/rules";
import type { Cabin, ToolAction } from "../../synthesis/spec";
import type { AgentKnowledge } from "./agent-knowledge";
import { key } from "./agent-knowledge";
import type { Job, Proposal, ReadyRequest } from "./agent-jobs";
import { searchList, type ReadPlanner } from "./agent-reads";

/** The proposal for a job whose request is ready and whose planned reads are done. */
export function decide(job: Job, r: ReadyRequest, k: AgentKnowledge, reads: ReadPlanner): Proposal {
  const u = k.user();
  switch (r.type) {
    case "explicit":
      return { kind: "write", action: r.exact, summary: `${r.exact.name} with ${JSON.stringify(r.exact.arguments)}` };
    case "book": {
      if (!u) return { kind: "none" };
      const pax = r.passengers.map((p) => ("self" in p ? { first_name: u.name.first_name, last_name: u.name.last_name, dob: u.dob } : p));
      const cabin = r.cabin;
      const legs = [searchList(r.origins, r.destinations, r.dates, r.search)];
      if (r.trip === "round_trip") legs.push(searchList(r.destinations, r.origins, r.return_dates ?? [], r.return_search));
      const picks: Itinerary[] = [];
      for (const l of legs) {
        const ranked = rankItineraries(k.candidates(l), r.criterion, cabin, pax.length);
        if (!ranked.length) return { kind: "none" };
        picks.push(ranked[0].it);
      }
      const nonfree = nonfreeBags(r.bags, u.membership, cabin, pax.length);
      const total = bookingTotal(picks, cabin, pax.length, r.insurance, nonfree);
      const pay = resolvePayment(u, r.payment, total);
      if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
      const flights = picks.flatMap((it) => it.map((l: Leg) => ({ flight_number: l.flight_number, date: l.date })));
      return {
        kind: "write",
        action: {
          name: "book_reservation",
          arguments: {
            user_id: u.user_id,
            origin: picks[0][0].origin,
            destination: picks[0][picks[0].length - 1].destination,
            flight_type: r.trip ?? "one_way",
            cabin,
            flights,
            passengers: pax,
            payment_methods: [{ payment_id: pay, amount: total }],
            total_baggages: r.bags,
            nonfree_baggages: nonfree,
            insurance: r.insurance,
          },
        },
        summary: `book ${flights.map((f) => `${f.flight_number} on ${f.date}`).join(", ")} in ${cabin.replace("_", " ")} for ${pax.length} passenger(s), ${r.bags} bag(s), insurance ${r.insurance}, total ${formatAmount(total)} charged to ${pay}`,
        result: `your reservation is booked. The total price is ${formatAmount(total)}.`,
      };
    }
  }
  const { res } = reads.resolveReservation(job, r.reservation);
  if (!res) return { kind: "refuse", what: "find that reservation", why: "it is not in your profile" };
  const id = res.reservation_id;
  switch (r.type) {
    case "cancel": {
      const ok = cancelAllowed(res, r.reason);
      if (!ok.ok && !job.ignorePolicy) return { kind: "refuse", what: `cancel reservation ${id}`, why: ok.why };
      return {
        kind: "write",
        action: { name: "cancel_reservation", arguments: { reservation_id: id } },
        summary: `cancel reservation ${id}; the refund goes to the original payment methods`,
        result: `reservation ${id} is cancelled.`,
      };
    }
    case "change_passenger": {
      const c = r.passenger_change;
      const i = res.passengers.findIndex((p) => p.first_name === c.old.first_name && p.last_name === c.old.last_name);
      if (i < 0) return { kind: "refuse", what: "change that passenger", why: "there is no such passenger on the reservation" };
      const passengers = res.passengers.map((p, j) => (j === i ? { ...c.new } : { first_name: p.first_name, last_name: p.last_name, dob: p.dob }));
      return {
        kind: "write",
        action: { name: "update_reservation_passengers", arguments: { reservation_id: id, passengers } },
        summary: `on reservation ${id}, replace ${c.old.first_name} ${c.old.last_name} with ${c.new.first_name} ${c.new.last_name} (born ${c.new.dob})`,
        result: `the passenger on reservation ${id} is updated.`,
      };
    }
  }
  if (!u) return { kind: "none" };
  switch (r.type) {
    case "change_flights": {
      const ok = changeFlightsAllowed(res);
      if (!ok.ok && !job.ignorePolicy) return { kind: "refuse", what: `change the flights of reservation ${id}`, why: ok.why };
      const ranked = rankItineraries(k.candidates(searchList([res.origin], [res.destination], r.dates, r.search)), r.criterion, res.cabin, res.passengers.length);
      if (!ranked.length) return { kind: "none" };
      const pay = resolvePayment(u, r.payment, 0);
      if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
      const flights = ranked[0].it.map((l) => ({ flight_number: l.flight_number, date: l.date }));
      return {
        kind: "write",
        action: { name: "update_reservation_flights", arguments: { reservation_id: id, cabin: res.cabin, flights, payment_id: pay } },
        summary: `change reservation ${id} to ${flights.map((f) => `${f.flight_number} on ${f.date}`).join(", ")}, difference charged to ${pay}`,
        result: `reservation ${id} now has the new flights.`,
      };
    }
    case "change_cabin": {
      if (!allFuture(res) && !job.ignorePolicy) return { kind: "refuse", what: `change the cabin of reservation ${id}`, why: "part of the trip has already been flown" };
      const cabin = r.cabin as Cabin;
      let diff = 0;
      for (const f of res.flights) {
        const a = { name: "search_direct_flight", arguments: { origin: f.origin, destination: f.destination, date: f.date } };
        const leg = (k.searches.get(key(a)) ?? []).find((it) => it[0].flight_number === f.flight_number)?.[0];
        if (!leg || leg.seats[cabin] < res.passengers.length) return { kind: "none" };
        diff += (leg.prices[cabin] - f.price) * res.passengers.length;
      }
      const pay = resolvePayment(u, r.payment, Math.max(0, diff));
      if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
      return {
        kind: "write",
        action: {
          name: "update_reservation_flights",
          arguments: { reservation_id: id, cabin, flights: res.flights.map((f) => ({ flight_number: f.flight_number, date: f.date })), payment_id: pay },
        },
        summary: `change the cabin of reservation ${id} to ${cabin.replace("_", " ")}; price difference ${formatAmount(Math.abs(diff))} (${diff >= 0 ? "charged to" : "refunded to"} ${pay})`,
        result: `reservation ${id} is now in ${cabin.replace("_", " ")}. The price difference is ${formatAmount(Math.abs(diff))}.`,
      };
    }
    case "add_bags": {
      const total = res.total_baggages + r.add_bags;
      const nonfree = nonfreeBags(total, u.membership, res.cabin, res.passengers.length);
      const fee = 50 * Math.max(0, nonfree - res.nonfree_baggages);
      const pay = resolvePayment(u, r.payment, fee);
      if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
      return {
        kind: "write",
        action: { name: "update_reservation_baggages", arguments: { reservation_id: id, total_baggages: total, nonfree_baggages: nonfree, payment_id: pay } },
        summary: `set reservation ${id} to ${total} checked bags (${nonfree} paid), fee ${formatAmount(fee)} charged to ${pay}`,
        result: `reservation ${id} now has ${total} checked bags. The fee is ${formatAmount(fee)}.`,
      };
    }
    case "compensation": {
      const ok = compensationAllowed(res, u);
      if (!ok.ok && !job.ignorePolicy) return { kind: "refuse", what: "offer compensation", why: ok.why };
      const known = res.flights.map((f) => k.statuses.get(`${f.flight_number}@${f.date}`)).filter((s): s is string => s !== undefined);
      if (known.length === res.flights.length && !known.includes("cancelled") && !job.ignorePolicy) {
        return { kind: "refuse", what: "offer compensation", why: "none of the flights in that reservation was cancelled" };
      }
      const amount = 100 * res.passengers.length;
      return {
        kind: "write",
        action: { name: "send_certificate", arguments: { user_id: u.user_id, amount } },
        summary: `send you a travel certificate of ${formatAmount(amount)} for the cancelled flight`,
        result: `a certificate of ${formatAmount(amount)} has been added to your profile.`,
      };
    }
  }
  return { kind: "none" };
}

/** The line reporting a finished write (without the amount when the agent forgets it). */
export function resultText(job: Job, write: ToolAction): string {
  const prop = describeDone(job, write);
  if (!job.forgetAmount) return prop;
  return prop.replace(/ The (total price|price difference|fee) is [\d.]+\.$/, "").replace(/ of [\d.]+ has been/, " has been");
}
function describeDone(job: Job, w: ToolAction): string {
  const a = w.arguments;
  switch (w.name) {
    case "book_reservation": {
      const pm = (a.payment_methods as { amount: number }[] | undefined) ?? [];
      return `your reservation is booked. The total price is ${formatAmount(pm.reduce((s, p) => s + Number(p.amount), 0))}.`;
    }
    case "send_certificate":
      return `a certificate of ${formatAmount(Number(a.amount))} has been added to your profile.`;
    case "cancel_reservation":
      return `reservation ${String(a.reservation_id)} is cancelled.`;
    default:
      return job.resultLine ?? `reservation ${String(a.reservation_id)} is updated.`;
  }
}
