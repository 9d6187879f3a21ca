/**
 * The structured decision spec stored in each synthesized task (`writ.decisions`). It is
 * what the simulated user knows and renders (the `request`), plus the answer the
 * synthesizer computed from the state (gold write, read plan, runner-up). The simulated
 * agent never reads this: it rebuilds a `Request` from the user's words.
 */
export type Cabin = "basic_economy" | "economy" | "business";
export type Criterion = "cheapest" | "fastest" | "earliest_arrival";
export type SearchKind = "direct" | "any";
export type CancelReason = "change_of_plan" | "health" | "weather";
export type RequestType =
  | "book"
  | "cancel"
  | "change_flights"
  | "change_cabin"
  | "add_bags"
  | "change_passenger"
  | "compensation"
  | "explicit";

/** How the user points at a reservation: its id, or a description the agent must resolve by scanning. */
export type ReservationRef =
  | { by: "id"; id: string }
  | { by: "route"; origin: string; destination: string }
  | { by: "most_recent" }
  | { by: "date"; date: string };

export type PaymentRef =
  | { kind: "credit_card"; last_four: string }
  | { kind: "gift_card_enough" }
  | { kind: "id"; id: string };

export type PassengerRef = { self: true } | { first_name: string; last_name: string; dob: string };

export interface PassengerChange {
  old: { first_name: string; last_name: string };
  new: { first_name: string; last_name: string; dob: string };
}

/** Everything a user could say about one request. Which keys apply depends on `type`. */
export interface Request {
  type: RequestType;
  trip?: "one_way" | "round_trip";
  origins?: string[];
  destinations?: string[];
  dates?: string[];
  search?: SearchKind;
  return_dates?: string[];
  return_search?: SearchKind;
  criterion?: Criterion;
  cabin?: Cabin;
  passengers?: PassengerRef[];
  bags?: number;
  insurance?: "yes" | "no";
  payment?: PaymentRef;
  reservation?: ReservationRef;
  reason?: CancelReason;
  add_bags?: number;
  passenger_change?: PassengerChange;
  exact?: { name: string; arguments: Record<string, unknown> };
}
export type FactKey = Exclude<keyof Request, "type">;

export interface ToolAction {
  name: string;
  arguments: Record<string, unknown>;
}

export interface DecisionSpec {
  type: RequestType;
  /** Which template produced it (e.g. "book", "refuse_cancel"). */
  template: string;
  request: Request;
  /** "write": the gold is one write; "refuse": the correct behaviour is to write nothing and say why. */
  expect: "write" | "refuse";
  write: ToolAction | null;
  /** The next-best argument set by the decision's criterion (or another matching-looking record). */
  runner_up: ToolAction | null;
  /** Minimal read plan of this decision alone (see README: shared reads count for every decision). */
  read_plan: ToolAction[];
  /** B: read_plan.length. */
  evidence: number;
  /** Strings the agent must say (amounts), τ² communicate_info semantics. */
  communicate_info: string[];
  /** Why a refusal is correct (also used as an nl_assertion). */
  refusal_reason: string | null;
  /** An alternative value for one fact that a "changes mind once" user states first. */
  decoy: { key: FactKey; value: Request[FactKey] } | null;
  /** The reservation the decision is about (null for bookings and certificates by user). */
  target: string | null;
  /** Levers used, for analysis ("flexible_dates", "metro_origin", "scan", ...). */
  levers: string[];
}
