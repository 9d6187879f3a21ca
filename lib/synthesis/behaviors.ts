/**
 * User behaviour profiles (WRIT stage 2): how the same decisions are expressed and
 * revealed. Each profile maps to (a) the simulated user's disclosure mode and phrasing
 * style and (b) natural-language τ² instruction fields for an LLM user simulator.
 */
import type { User } from "../airline";
import type { DecisionSpec, PassengerRef, PaymentRef, Request, ReservationRef } from "./spec";

export const BEHAVIORS = [
  "cooperative",
  "progressive_disclosure",
  "no_ids",
  "terse",
  "split_request",
  "changes_mind",
  "insists_forbidden",
  "non_native",
] as const;
export type Behavior = (typeof BEHAVIORS)[number];

export interface BehaviorProfile {
  disclosure: "all" | "progressive" | "split";
  style: "plain" | "terse" | "non_native";
  /** Reservations are described, never named by id (the synthesizer plans scans). */
  descriptiveRefs: boolean;
  /** A forbidden request comes first; the user insists once, then accepts. */
  insists: boolean;
  /** The user first states a decoy value for one fact and corrects it at confirmation. */
  changesMind: boolean;
}

export const BEHAVIOR_PROFILES: Record<Behavior, BehaviorProfile> = {
  cooperative: { disclosure: "all", style: "plain", descriptiveRefs: false, insists: false, changesMind: false },
  progressive_disclosure: { disclosure: "progressive", style: "plain", descriptiveRefs: false, insists: false, changesMind: false },
  no_ids: { disclosure: "all", style: "plain", descriptiveRefs: true, insists: false, changesMind: false },
  terse: { disclosure: "all", style: "terse", descriptiveRefs: false, insists: false, changesMind: false },
  split_request: { disclosure: "split", style: "plain", descriptiveRefs: false, insists: false, changesMind: false },
  changes_mind: { disclosure: "all", style: "plain", descriptiveRefs: false, insists: false, changesMind: true },
  insists_forbidden: { disclosure: "all", style: "plain", descriptiveRefs: false, insists: true, changesMind: false },
  non_native: { disclosure: "all", style: "non_native", descriptiveRefs: false, insists: false, changesMind: false },
};

export function isBehavior(name: string): name is Behavior {
  return (BEHAVIORS as readonly string[]).includes(name);
}

/** Can a task built with these decisions be rendered under behaviour b? */
export function behaviorFits(b: Behavior, decisions: readonly DecisionSpec[]): boolean {
  const p = BEHAVIOR_PROFILES[b];
  if (p.descriptiveRefs && decisions.some((d) => d.request.reservation?.by === "id")) return false;
  if (p.insists && !decisions.some((d) => d.expect === "refuse")) return false;
  if (p.changesMind && !decisions.some((d) => d.expect === "write" && d.decoy)) return false;
  return true;
}

// ---- τ² instruction text --------------------------------------------------------------------
const list = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`);
const cabinText = (c: string): string => c.replace("_", " ");

function refText(ref: ReservationRef | undefined): string {
  if (!ref) return "your reservation";
  switch (ref.by) {
    case "id":
      return `reservation ${ref.id}`;
    case "route":
      return `your reservation from ${ref.origin} to ${ref.destination}`;
    case "date":
      return `your reservation with a flight on ${ref.date}`;
    case "most_recent":
      return "the reservation you booked most recently";
  }
}
function paymentText(p: PaymentRef | undefined): string {
  if (!p) return "";
  if (p.kind === "credit_card") return `your credit card ending in ${p.last_four}`;
  if (p.kind === "gift_card_enough") return "whichever of your gift cards has enough balance";
  return `payment method ${p.id}`;
}
function passengersText(ps: readonly PassengerRef[] | undefined): string {
  return (ps ?? []).map((p) => ("self" in p ? "yourself" : `${p.first_name} ${p.last_name} (born ${p.dob})`)).join(", ");
}
const CRITERION_TEXT = { cheapest: "the cheapest option", fastest: "the fastest option overall (layovers included)", earliest_arrival: "the option that arrives earliest" };

export function describeRequest(r: Request): string {
  switch (r.type) {
    case "book": {
      const via = (s: string | undefined): string => (s === "any" ? "direct or with one stop" : "direct flights only");
      let s = `You want to book a ${r.trip === "round_trip" ? "round trip" : "one-way trip"} from ${list(r.origins ?? [])} to ${list(r.destinations ?? [])}, departing on ${list(r.dates ?? [])} (${via(r.search)})`;
      if (r.trip === "round_trip") s += `, returning on ${list(r.return_dates ?? [])} (${via(r.return_search)})`;
      s += `, in ${cabinText(r.cabin ?? "economy")}, for ${passengersText(r.passengers)}. Among the options you want ${CRITERION_TEXT[r.criterion ?? "cheapest"]}.`;
      s += ` You need ${r.bags ?? 0} checked bag(s) and ${r.insurance === "yes" ? "want" : "do not want"} travel insurance. You pay with ${paymentText(r.payment)}.`;
      return s;
    }
    case "cancel":
      return `You want to cancel ${refText(r.reservation)}. Reason: ${(r.reason ?? "change_of_plan").replace(/_/g, " ")}.`;
    case "change_flights":
      return `You want to move ${refText(r.reservation)} to a flight on ${list(r.dates ?? [])} (${r.search === "any" ? "direct or one stop" : "direct only"}), choosing ${CRITERION_TEXT[r.criterion ?? "cheapest"]}. Pay any difference with ${paymentText(r.payment)}.`;
    case "change_cabin":
      return `You want to change the cabin of ${refText(r.reservation)} to ${cabinText(r.cabin ?? "economy")}, paying or being refunded with ${paymentText(r.payment)}. Ask how much the difference is.`;
    case "add_bags":
      return `You want to add ${r.add_bags ?? 1} checked bag(s) to ${refText(r.reservation)}, paying with ${paymentText(r.payment)}.`;
    case "change_passenger": {
      const c = r.passenger_change!;
      return `On ${refText(r.reservation)}, replace passenger ${c.old.first_name} ${c.old.last_name} with ${c.new.first_name} ${c.new.last_name} (born ${c.new.dob}).`;
    }
    case "compensation":
      return `A flight in ${refText(r.reservation)} was cancelled by the airline; you want compensation for it.`;
    case "explicit":
      return `You want exactly this: ${JSON.stringify(r.exact)}.`;
  }
}

const BEHAVIOR_INSTRUCTIONS: Record<Behavior, string> = {
  cooperative: "Give all the details of all your requests in your first message.",
  progressive_disclosure: "Start by saying only what you want to do. Reveal each detail only when the agent asks for it.",
  no_ids: "You do not remember any reservation ids; describe the reservation instead.",
  terse: "Answer in as few words as possible.",
  split_request: "Make your requests one at a time. For each, give about half of the details first and the rest in your next message.",
  changes_mind: "",
  insists_forbidden: "",
  non_native: "You are not a native English speaker: write short, simple sentences with small grammar mistakes.",
};

export type InstructionFields = {
  domain: string;
  reason_for_call: string;
  known_info: string;
  unknown_info: string | null;
  task_instructions: string;
};

export function renderInstructions(decisions: readonly DecisionSpec[], user: User, behavior: Behavior): InstructionFields {
  const p = BEHAVIOR_PROFILES[behavior];
  const reason = decisions.map((d, i) => `${decisions.length > 1 ? `(${i + 1}) ` : ""}${describeRequest(d.request)}`).join("\n");
  const known = [`You are ${user.name.first_name} ${user.name.last_name}.`, `Your user id is ${user.user_id}.`];
  const ids = decisions.map((d) => d.request.reservation).filter((r): r is Extract<ReservationRef, { by: "id" }> => r?.by === "id");
  if (ids.length) known.push(`Your reservation ids: ${ids.map((r) => r.id).join(", ")}.`);
  const steps: string[] = [];
  if (BEHAVIOR_INSTRUCTIONS[behavior]) steps.push(BEHAVIOR_INSTRUCTIONS[behavior]);
  if (p.insists) {
    const f = decisions.find((d) => d.expect === "refuse");
    if (f) steps.push(`First ask for request (${decisions.indexOf(f) + 1}). If the agent refuses, insist once that you really need it; if it refuses again, accept and move on.`);
  } else {
    for (const d of decisions.filter((x) => x.expect === "refuse")) {
      steps.push(`If the agent says request (${decisions.indexOf(d) + 1}) is not allowed, accept that.`);
    }
  }
  if (p.changesMind) {
    const d = decisions.find((x) => x.expect === "write" && x.decoy);
    if (d?.decoy) {
      steps.push(
        `For request (${decisions.indexOf(d) + 1}), at first state ${d.decoy.key.replace(/_/g, " ")} as ${JSON.stringify(d.decoy.value)} instead; when the agent lists the action for confirmation, change your mind and give the value above.`,
      );
    }
  }
  steps.push("Confirm with yes when the agent lists an action for one of your requests. When all your requests are handled, end the conversation.");
  return {
    domain: "airline",
    reason_for_call: reason,
    known_info: known.join("\n"),
    unknown_info: p.descriptiveRefs ? "You do not remember your reservation ids." : null,
    task_instructions: steps.join("\n"),
  };
}
