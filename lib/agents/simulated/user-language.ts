/**
 * The user's side of the controlled language (see language.ts): intent lines, fact lines
 * (a style's prefix plus a payload), the fixed replies, and their parser; plus which facts
 * each request type needs. The simulated user renders with these, the simulated agent parses.
 */
import type {
  Cabin,
  CancelReason,
  Criterion,
  FactKey,
  PassengerChange,
  PassengerRef,
  PaymentRef,
  Request,
  RequestType,
  ReservationRef,
  SearchKind,
} from "../../synthesis/spec";

export type Style = "plain" | "terse" | "non_native";
const STYLES: Style[] = ["plain", "terse", "non_native"];

// ---- intents ------------------------------------------------------------------------------
const INTENT_PREFIX: Record<Style, string> = { plain: "I'd like to ", terse: "Need to ", non_native: "I am wanting to " };
const INTENT_PHRASE: Record<string, string> = {
  "book:one_way": "book a one-way trip",
  "book:round_trip": "book a round trip",
  cancel: "cancel a reservation",
  change_flights: "change the flights of a reservation",
  change_cabin: "change the cabin of a reservation",
  add_bags: "add checked bags to a reservation",
  change_passenger: "change a passenger on a reservation",
  compensation: "complain about a cancelled flight and get compensation",
  explicit: "make a specific change",
};
const PHRASE_TO_INTENT = new Map<string, { type: RequestType; trip?: "one_way" | "round_trip" }>(
  Object.entries(INTENT_PHRASE).map(([k, phrase]) => {
    const [type, trip] = k.split(":");
    return [phrase, { type: type as RequestType, trip: trip as "one_way" | "round_trip" | undefined }];
  }),
);

export function renderIntent(req: Pick<Request, "type" | "trip">, style: Style): string {
  const key = req.type === "book" ? `book:${req.trip ?? "one_way"}` : req.type;
  return `${INTENT_PREFIX[style]}${INTENT_PHRASE[key]}.`;
}

// ---- facts --------------------------------------------------------------------------------
const FACT_PREFIX: Record<FactKey | "user_id", [string, string, string]> = {
  user_id: ["My user id is ", "User id: ", "My user id it is "],
  trip: ["The trip type is ", "Trip: ", "Type of trip is "],
  origins: ["I'm flying from ", "From: ", "I am flying out from "],
  destinations: ["I'm going to ", "To: ", "I am going for "],
  dates: ["My travel date is ", "Date: ", "The date of travel is "],
  search: ["For the flights I accept ", "Flights: ", "For flight I am accepting "],
  return_dates: ["I'm coming back on ", "Return date: ", "I am returning in "],
  return_search: ["For the return I accept ", "Return flights: ", "For return I am accepting "],
  criterion: ["Among the options I want ", "Pick: ", "From the options I am wanting "],
  cabin: ["The cabin should be ", "Cabin: ", "Cabin I want is "],
  passengers: ["The passengers are ", "Passengers: ", "Passengers they are "],
  bags: ["Checked bags I need: ", "Bags: ", "Bag number I need is "],
  insurance: ["Travel insurance: ", "Insurance: ", "About insurance: "],
  payment: ["I'll pay with ", "Pay: ", "I am paying with "],
  reservation: ["The reservation is ", "Reservation: ", "Reservation it is "],
  reason: ["The reason is ", "Reason: ", "Reason is because "],
  add_bags: ["I want to add ", "Add: ", "I am wanting add "],
  passenger_change: ["For the passengers, please ", "Passenger change: ", "For passenger please "],
  exact: ["Exact details: ", "Exact: ", "The exact details are "],
};

export type AnyFactKey = FactKey | "user_id";
/** (prefix, key) pairs, longest prefix first so no prefix shadows a longer one. */
const PREFIXES: [string, AnyFactKey][] = (Object.entries(FACT_PREFIX) as [AnyFactKey, string[]][])
  .flatMap(([key, ps]) => ps.map((p) => [p, key] as [string, AnyFactKey]))
  .sort((a, b) => b[0].length - a[0].length);

/** Prefixes grouped by their first three characters (every prefix is longer than that). */
const PREFIXES_BY_HEAD = new Map<string, [string, AnyFactKey][]>();
for (const pk of PREFIXES) {
  const head = pk[0].slice(0, 3);
  const list = PREFIXES_BY_HEAD.get(head) ?? [];
  list.push(pk);
  PREFIXES_BY_HEAD.set(head, list);
}

const CRITERION_TEXT: Record<Criterion, string> = {
  cheapest: "the cheapest option",
  fastest: "the fastest option overall, layovers included",
  earliest_arrival: "the option that arrives earliest",
};
const SEARCH_TEXT: Record<SearchKind, string> = { direct: "direct flights only", any: "direct or one-stop flights" };
const CABIN_TEXT: Record<Cabin, string> = { basic_economy: "basic economy", economy: "economy", business: "business" };
const REASON_TEXT: Record<CancelReason, string> = { change_of_plan: "change of plan", health: "health", weather: "weather" };
export const invert = <K extends string>(m: Record<K, string>): Map<string, K> =>
  new Map((Object.entries(m) as [K, string][]).map(([k, v]) => [v, k]));
const CRITERION_OF = invert(CRITERION_TEXT);
const SEARCH_OF = invert(SEARCH_TEXT);
const CABIN_OF = invert(CABIN_TEXT);
const REASON_OF = invert(REASON_TEXT);

function renderList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return items.slice(0, -1).join(", ") + " or " + items[items.length - 1];
}
function parseList(s: string): string[] {
  return s.split(/, | or /).map((x) => x.trim()).filter(Boolean);
}
function renderPerson(p: { first_name: string; last_name: string; dob: string }): string {
  return `${p.first_name} ${p.last_name} (born ${p.dob})`;
}
function parsePerson(s: string): { first_name: string; last_name: string; dob: string } | undefined {
  const m = /^(.+) (\S+) \(born (\d{4}-\d{2}-\d{2})\)$/.exec(s.trim());
  return m ? { first_name: m[1], last_name: m[2], dob: m[3] } : undefined;
}

export function renderPayload(key: AnyFactKey, value: unknown): string {
  switch (key) {
    case "user_id":
      return String(value);
    case "trip":
      return value === "round_trip" ? "round trip" : "one way";
    case "origins":
    case "destinations":
    case "dates":
    case "return_dates":
      return renderList(value as string[]);
    case "search":
    case "return_search":
      return SEARCH_TEXT[value as SearchKind];
    case "criterion":
      return CRITERION_TEXT[value as Criterion];
    case "cabin":
      return CABIN_TEXT[value as Cabin];
    case "passengers":
      return (value as PassengerRef[]).map((p) => ("self" in p ? "myself" : renderPerson(p))).join("; ");
    case "bags":
      return String(value);
    case "insurance":
      return String(value);
    case "payment": {
      const p = value as PaymentRef;
      if (p.kind === "credit_card") return `my credit card ending in ${p.last_four}`;
      if (p.kind === "gift_card_enough") return "the gift card that has enough balance";
      return `payment method ${p.id}`;
    }
    case "reservation": {
      const r = value as ReservationRef;
      if (r.by === "id") return r.id;
      if (r.by === "route") return `the one from ${r.origin} to ${r.destination}`;
      if (r.by === "date") return `the one with a flight on ${r.date}`;
      return "the one I booked most recently";
    }
    case "reason":
      return REASON_TEXT[value as CancelReason];
    case "add_bags":
      return `${String(value)} checked bags`;
    case "passenger_change": {
      const c = value as PassengerChange;
      return `replace ${c.old.first_name} ${c.old.last_name} with ${renderPerson(c.new)}`;
    }
    case "exact":
      return JSON.stringify(value);
  }
}

export function parsePayload(key: AnyFactKey, s: string): unknown {
  switch (key) {
    case "user_id":
      return s.trim();
    case "trip":
      return s === "round trip" ? "round_trip" : "one_way";
    case "origins":
    case "destinations":
    case "dates":
    case "return_dates":
      return parseList(s);
    case "search":
    case "return_search":
      return SEARCH_OF.get(s);
    case "criterion":
      return CRITERION_OF.get(s);
    case "cabin":
      return CABIN_OF.get(s);
    case "passengers":
      return s.split("; ").map((x) => (x === "myself" ? { self: true } : parsePerson(x))).filter(Boolean);
    case "bags": {
      const n = parseInt(s, 10);
      return Number.isFinite(n) ? n : undefined;
    }
    case "insurance":
      return s === "yes" || s === "no" ? s : undefined;
    case "payment": {
      let m = /^my credit card ending in (\d+)$/.exec(s);
      if (m) return { kind: "credit_card", last_four: m[1] };
      if (s === "the gift card that has enough balance") return { kind: "gift_card_enough" };
      m = /^payment method (\S+)$/.exec(s);
      return m ? { kind: "id", id: m[1] } : undefined;
    }
    case "reservation": {
      let m = /^the one from (\S+) to (\S+)$/.exec(s);
      if (m) return { by: "route", origin: m[1], destination: m[2] };
      m = /^the one with a flight on (\S+)$/.exec(s);
      if (m) return { by: "date", date: m[1] };
      if (s === "the one I booked most recently") return { by: "most_recent" };
      return /^[A-Z0-9]{6}$/.test(s) ? { by: "id", id: s } : undefined;
    }
    case "reason":
      return REASON_OF.get(s);
    case "add_bags": {
      const n = parseInt(s, 10);
      return Number.isFinite(n) ? n : undefined;
    }
    case "passenger_change": {
      const m = /^replace (.+) (\S+) with (.+)$/.exec(s);
      const p = m ? parsePerson(m[3]) : undefined;
      return m && p ? { old: { first_name: m[1], last_name: m[2] }, new: p } : undefined;
    }
    case "exact":
      try {
        return JSON.parse(s) as unknown;
      } catch {
        return undefined;
      }
  }
}

export function renderFact(key: AnyFactKey, value: unknown, style: Style): string {
  return `${FACT_PREFIX[key][STYLES.indexOf(style)]}${renderPayload(key, value)}.`;
}

// ---- fixed user replies ------------------------------------------------------------------
export const USER_LINES = {
  yes: { plain: "Yes, please go ahead.", terse: "Yes.", non_native: "Yes, please to do it." },
  no: { plain: "No, please don't.", terse: "No.", non_native: "No, not do it please." },
  insist: {
    plain: "But I really need this. Please make an exception.",
    terse: "But I need this. Make an exception.",
    non_native: "But I am really needing this. Please make exception.",
  },
  accept: { plain: "OK, I understand.", terse: "OK.", non_native: "OK, I am understanding." },
  next: {
    plain: "Thanks. Please go ahead with my next request.",
    terse: "Thanks. Next request.",
    non_native: "Thank you. Please go for my next request.",
  },
  mind: { plain: "Actually, I changed my mind.", terse: "Actually, changed my mind.", non_native: "Actually, I am changing my mind." },
  unknown: { plain: "I'm sorry, I don't know that.", terse: "Don't know.", non_native: "Sorry, this I am not knowing." },
  done: { plain: "That's all, thank you.", terse: "That's all.", non_native: "It is all, thank you." },
  hello: { plain: "Hi.", terse: "Hi.", non_native: "Hello." },
} as const satisfies Record<string, Record<Style, string>>;
export type LineKind = keyof typeof USER_LINES;
const LINE_OF = new Map<string, LineKind>(
  (Object.entries(USER_LINES) as [LineKind, Record<Style, string>][]).flatMap(([k, m]) => STYLES.map((s) => [m[s], k] as [string, LineKind])),
);

export interface ParsedUserMessage {
  /** Requests introduced by an intent line, each with the facts that followed it. */
  requests: Request[];
  /** Facts not preceded by an intent line in this message (answers, second halves of split requests). */
  facts: Partial<Request>;
  userId?: string;
  replies: Set<LineKind>;
}

/** Parses one user message. Unknown lines are ignored (a real model's chatter). */
export function parseUserMessage(text: string): ParsedUserMessage {
  const out: ParsedUserMessage = { requests: [], facts: {}, replies: new Set() };
  let current: Request | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const fixed = LINE_OF.get(line);
    if (fixed) {
      out.replies.add(fixed);
      continue;
    }
    const ip = STYLES.find((s) => line.startsWith(INTENT_PREFIX[s]));
    if (ip) {
      const intent = PHRASE_TO_INTENT.get(line.slice(INTENT_PREFIX[ip].length).replace(/\.$/, ""));
      if (intent) {
        current = { type: intent.type };
        if (intent.trip) current.trip = intent.trip;
        out.requests.push(current);
        continue;
      }
    }
    for (const [prefix, key] of PREFIXES_BY_HEAD.get(line.slice(0, 3)) ?? []) {
      if (!line.startsWith(prefix)) continue;
      const value = parsePayload(key, line.slice(prefix.length).replace(/\.$/, ""));
      if (value === undefined) break;
      if (key === "user_id") out.userId = value as string;
      else {
        const target = (current ?? out.facts) as Record<string, unknown>;
        target[key] = value;
      }
      break;
    }
  }
  return out;
}

/** The fact keys a request of this type needs before the agent can act (order = asking order). */
export function requiredKeys(req: Pick<Request, "type" | "trip">): FactKey[] {
  switch (req.type) {
    case "book":
      return req.trip === "round_trip"
        ? ["origins", "destinations", "dates", "search", "return_dates", "return_search", "criterion", "cabin", "passengers", "bags", "insurance", "payment"]
        : ["origins", "destinations", "dates", "search", "criterion", "cabin", "passengers", "bags", "insurance", "payment"];
    case "cancel":
      return ["reservation", "reason"];
    case "change_flights":
      return ["reservation", "dates", "search", "criterion", "payment"];
    case "change_cabin":
      return ["reservation", "cabin", "payment"];
    case "add_bags":
      return ["reservation", "add_bags", "payment"];
    case "change_passenger":
      return ["reservation", "passenger_change"];
    case "compensation":
      return ["reservation"];
    case "explicit":
      return ["exact"];
  }
}

/** All lines stating a request: the intent, then each known fact in asking order. */
export function renderRequestLines(req: Request, style: Style, keys: readonly FactKey[] = requiredKeys(req)): string[] {
  const lines = [renderIntent(req, style)];
  for (const k of keys) if (req[k] !== undefined) lines.push(renderFact(k, req[k], style));
  return lines;
}
