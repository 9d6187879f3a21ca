/**
 * What the simulated agent knows from the conversation: the user's id (from the user's
 * words) and the records its read tools returned (users, reservations, flight searches,
 * flight statuses), plus the reads that failed. Also the identity of a tool call for that
 * bookkeeping, and the shared parse of tool results.
 */
import { createCache } from "../../cache/lru";
import { itinerariesFromSearch, type Itinerary, type ResLike, type UserLike } from "../../synthesis/rules";
import type { ToolAction } from "../../synthesis/spec";

/**
 * Identity of a tool call for the agent's own bookkeeping (what it has read, skipped, seen
 * fail). Called for every candidate read on every turn, and the candidates are rebuilt each
 * turn, so the reads the agent builds itself get a plain concatenation (a NUL cannot occur
 * in an id, airport code or date) instead of JSON.stringify; anything else falls back to it.
 */
export function key(a: ToolAction): string {
  const x = a.arguments;
  switch (a.name) {
    case "get_user_details":
      if (typeof x.user_id === "string") return "u\0" + x.user_id;
      break;
    case "get_reservation_details":
      if (typeof x.reservation_id === "string") return "r\0" + x.reservation_id;
      break;
    case "search_direct_flight":
    case "search_onestop_flight":
      if (typeof x.origin === "string" && typeof x.destination === "string" && typeof x.date === "string")
        return (a.name === "search_direct_flight" ? "d\0" : "o\0") + x.origin + "\0" + x.destination + "\0" + x.date;
      break;
  }
  return a.name + JSON.stringify(x);
}
export const rAction = (id: string): ToolAction => ({ name: "get_reservation_details", arguments: { reservation_id: id } });
export const uAction = (id: string): ToolAction => ({ name: "get_user_details", arguments: { user_id: id } });

/**
 * Parsed tool results, shared across rollouts: the N rollouts of a group read the same
 * records, so most parses are repeats. Values are never mutated by the agent.
 */
const parseCache = createCache<unknown>({
  name: "agents.simulated-tool-results",
  maxEntries: 4096,
  purpose: "parsed JSON of tool results the simulated agent reads (the rollouts of a group read the same records)",
});
export function parseContent(content: string): unknown {
  const c0 = content.charCodeAt(0);
  if (c0 !== 123 && c0 !== 91) return content;
  let v = parseCache.get(content);
  if (v === undefined) {
    try {
      v = JSON.parse(content) as unknown;
    } catch {
      v = content;
    }
    parseCache.set(content, v);
  }
  return v;
}

/** Keyed by the shared parsed value's identity, so entries go with it (a WeakMap, not a cache). */
const itineraryMemo = new WeakMap<object, Map<string, Itinerary[]>>();
/** Itineraries of a parsed search result (memoised on the shared parsed value). */
export function itinerariesOf(value: unknown, date: string): Itinerary[] {
  if (!value || typeof value !== "object") return [];
  let m = itineraryMemo.get(value);
  if (!m) itineraryMemo.set(value, (m = new Map()));
  let its = m.get(date);
  if (!its) m.set(date, (its = itinerariesFromSearch(value, date)));
  return its;
}

/** Whether a successful write changed what get_user_details returns (so the cached copy is stale). */
export function changesUserRecord(call: ToolAction): boolean {
  if (call.name === "book_reservation" || call.name === "cancel_reservation" || call.name === "send_certificate") return true;
  // Other writes only debit a stored balance when they pay with a gift card or certificate.
  const id = call.arguments.payment_id;
  return typeof id === "string" && !id.startsWith("credit_card");
}

export class AgentKnowledge {
  userId: string | null = null;
  readonly users = new Map<string, UserLike>();
  readonly reservations = new Map<string, ResLike>();
  readonly searches = new Map<string, Itinerary[]>();
  readonly statuses = new Map<string, string>();
  readonly failed = new Set<string>();

  /** The user's record, once read. */
  user(): UserLike | undefined {
    return this.userId ? this.users.get(this.userId) : undefined;
  }

  /** Whether a read's answer is known (or it failed, so asking again is pointless). */
  known(a: ToolAction): boolean {
    if (this.failed.size > 0 && this.failed.has(key(a))) return true;
    switch (a.name) {
      case "get_user_details":
        return this.users.has(String(a.arguments.user_id));
      case "get_reservation_details":
        return this.reservations.has(String(a.arguments.reservation_id));
      case "get_flight_status":
        return this.statuses.has(`${String(a.arguments.flight_number)}@${String(a.arguments.date)}`);
      default:
        return this.searches.has(key(a));
    }
  }

  /** Every itinerary the given searches returned. */
  candidates(list: readonly ToolAction[]): Itinerary[] {
    const out: Itinerary[] = [];
    for (const a of list) out.push(...(this.searches.get(key(a)) ?? []));
    return out;
  }
}
