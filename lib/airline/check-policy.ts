/**
 * Policy checker (diagnostics only; never part of the reward). Walks a trajectory, keeps
 * an AirlineEnv in step with the agent's tool calls so each write is judged against the
 * state at that moment, and reports the rules of the airline policy the agent broke.
 * `turn` is the agent turn: 0 for the first assistant message after the greeting.
 */
import type { Message, ToolCall } from "../types/messages";
import { AGENT_GREETING } from "../types/messages";
import { AirlineEnv } from "./toolkit/airline-env";
import { FREE_BAGS } from "./fares";
import { TAU2_NOW, TODAY, type AirlineState, type Reservation } from "./schema";
import { toolKind } from "./tool-schemas";

export interface PolicyViolation {
  rule: string;
  message: string;
  turn: number;
  /** Index of the offending message in the trajectory. */
  messageIndex: number;
}

export const POLICY_RULES = [
  "no_confirmation",
  "basic_economy_modified",
  "cabin_change_after_flown",
  "ineligible_cancellation",
  "already_flown_cancellation",
  "ineligible_compensation",
  "compensation_amount",
  "payment_method_limits",
  "too_many_passengers",
  "bag_allowance",
  "bags_removed",
  "tool_call_with_text",
  "multiple_tool_calls",
  "transfer_protocol",
] as const;

export const TRANSFER_MESSAGE = "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.";
const YES = /\b(yes|yeah|yep|yup|confirm(ed)?|go ahead|proceed|sure|absolutely|correct|please do|do it)\b/i;
const NOW_MS = Date.parse(TAU2_NOW + "Z");

function objArgs(tc: ToolCall): Record<string, unknown> | null {
  return typeof tc.arguments === "object" && tc.arguments !== null ? tc.arguments : null;
}

/** A segment counts as flown once its date has passed or the flight has left today. */
function segmentFlown(env: AirlineEnv, seg: Reservation["flights"][number]): boolean {
  if (seg.date < TODAY) return true;
  const st = env.getFlight(seg.flight_number)?.dates[seg.date]?.status;
  return st === "landed" || st === "flying";
}

export function checkPolicy(messages: readonly Message[], base: AirlineState): PolicyViolation[] {
  const env = new AirlineEnv(base);
  const out: PolicyViolation[] = [];
  let turn = -1;
  let lastUserText = "";
  let pendingTransfer: { turn: number; index: number } | null = null;
  const seenReservations = new Set<string>();
  let currentUser: string | null = null;

  // One reporter for the whole walk (not a closure per message): it reads the current index and turn.
  let index = 0;
  const report = (rule: string, message: string): void => {
    out.push({ rule, message, turn, messageIndex: index });
  };
  for (; index < messages.length; index++) {
    const m = messages[index];
    if (m.role === "user") {
      lastUserText = m.content;
      continue;
    }
    if (m.role !== "assistant") continue;
    if (index === 0 && m.content === AGENT_GREETING && !m.tool_calls?.length) continue;
    turn++;
    const calls = m.tool_calls ?? [];
    const text = (m.content ?? "").trim();
    if (calls.length > 0 && text.length > 0) report("tool_call_with_text", "a tool call and a message to the user in the same turn");
    if (calls.length > 1) report("multiple_tool_calls", `${calls.length} tool calls in one turn`);

    if (pendingTransfer && calls.length === 0) {
      if (!text.includes(TRANSFER_MESSAGE)) report("transfer_protocol", "after transfer_to_human_agents the next message must be the hold-on notice");
      pendingTransfer = null;
    } else if (calls.length === 0 && text.includes(TRANSFER_MESSAGE)) {
      report("transfer_protocol", "announced a transfer without calling transfer_to_human_agents");
    }

    for (const tc of calls) {
      const args = objArgs(tc);
      if (tc.name === "transfer_to_human_agents") pendingTransfer = { turn, index };
      if (args && typeof args.reservation_id === "string") seenReservations.add(args.reservation_id);
      if (args && typeof args.user_id === "string") currentUser = args.user_id;
      if (toolKind(tc.name) === "write" && args) {
        if (!YES.test(lastUserText)) report("no_confirmation", `${tc.name} without an explicit "yes" from the user right before`);
        checkWrite(env, tc.name, args, seenReservations, currentUser, report);
      }
      // Keep the environment in step (errors leave it unchanged, as in the live run). Only
      // writes change it: reads and generic tools are pure, so replaying them is wasted work.
      if (args && toolKind(tc.name) === "write") env.call(tc.name, args);
    }
    if (calls.length > 0) lastUserText = "";
  }
  if (pendingTransfer !== null) {
    const p: { turn: number; index: number } = pendingTransfer;
    out.push({ rule: "transfer_protocol", message: "transfer_to_human_agents was not followed by the hold-on notice", turn: p.turn, messageIndex: p.index });
  }
  return out;
}

function checkWrite(
  env: AirlineEnv,
  name: string,
  a: Record<string, unknown>,
  seenReservations: Set<string>,
  currentUser: string | null,
  report: (rule: string, message: string) => void,
): void {
  const res = typeof a.reservation_id === "string" ? env.getReservation(a.reservation_id) : undefined;
  switch (name) {
    case "update_reservation_flights": {
      if (!res || !Array.isArray(a.flights)) return;
      const next = (a.flights as { flight_number?: unknown; date?: unknown }[]).map((f) => `${String(f?.flight_number)}@${String(f?.date)}`);
      const cur = res.flights.map((f) => `${f.flight_number}@${f.date}`);
      const flightsChanged = next.length !== cur.length || next.some((k, i) => k !== cur[i]);
      if (flightsChanged && res.cabin === "basic_economy") report("basic_economy_modified", `changed the flights of basic economy reservation ${res.reservation_id}`);
      if (a.cabin !== res.cabin && res.flights.some((s) => segmentFlown(env, s))) {
        report("cabin_change_after_flown", `changed the cabin of ${res.reservation_id} after part of it was flown`);
      }
      return;
    }
    case "cancel_reservation": {
      if (!res) return;
      if (res.flights.some((s) => segmentFlown(env, s))) {
        report("already_flown_cancellation", `cancelled ${res.reservation_id} although part of it was already flown`);
        return;
      }
      const recent = NOW_MS - Date.parse(res.created_at + "Z") <= 24 * 3600 * 1000;
      const airlineCancelled = res.flights.some((s) => env.getFlight(s.flight_number)?.dates[s.date]?.status === "cancelled");
      if (!recent && !airlineCancelled && res.cabin !== "business" && res.insurance !== "yes") {
        report("ineligible_cancellation", `cancelled ${res.reservation_id}: not booked within 24 h, no airline cancellation, not business, no insurance`);
      }
      return;
    }
    case "send_certificate": {
      const userId = typeof a.user_id === "string" ? a.user_id : currentUser;
      const user = userId ? env.getUser(userId) : undefined;
      if (!user) return;
      const related = [...seenReservations].map((id) => env.getReservation(id)).filter((r): r is Reservation => !!r && r.user_id === user.user_id);
      const eligible = user.membership !== "regular" || related.some((r) => r.insurance === "yes" || r.cabin === "business");
      if (!eligible) report("ineligible_compensation", `certificate for ${user.user_id}: regular member without insurance or business cabin`);
      const amount = Number(a.amount);
      const allowed = related.flatMap((r) => [100 * r.passengers.length, 50 * r.passengers.length]);
      if (related.length > 0 && !allowed.includes(amount)) {
        report("compensation_amount", `certificate of ${String(a.amount)} is not $100 or $50 per passenger of a reservation discussed`);
      }
      return;
    }
    case "book_reservation": {
      const user = typeof a.user_id === "string" ? env.getUser(a.user_id) : undefined;
      const pax = Array.isArray(a.passengers) ? a.passengers.length : 0;
      if (pax > 5) report("too_many_passengers", `${pax} passengers (at most 5)`);
      if (Array.isArray(a.payment_methods) && user) {
        const count = { certificate: 0, credit_card: 0, gift_card: 0 };
        for (const p of a.payment_methods as { payment_id?: unknown }[]) {
          const pm = typeof p?.payment_id === "string" ? user.payment_methods[p.payment_id] : undefined;
          if (pm) count[pm.source]++;
        }
        if (count.certificate > 1 || count.credit_card > 1 || count.gift_card > 3) {
          report("payment_method_limits", `payment uses ${count.certificate} certificate(s), ${count.credit_card} credit card(s), ${count.gift_card} gift card(s)`);
        }
      }
      const cabin = a.cabin;
      if (user && (cabin === "basic_economy" || cabin === "economy" || cabin === "business")) {
        checkBags(FREE_BAGS[user.membership][cabin] * pax, a, report);
      }
      return;
    }
    case "update_reservation_baggages": {
      if (!res) return;
      const user = env.getUser(res.user_id);
      if (Number(a.total_baggages) < res.total_baggages) report("bags_removed", `reduced the bags of ${res.reservation_id}`);
      if (user) checkBags(FREE_BAGS[user.membership][res.cabin] * res.passengers.length, a, report);
      return;
    }
  }
}

function checkBags(free: number, a: Record<string, unknown>, report: (rule: string, message: string) => void): void {
  const total = Number(a.total_baggages);
  const nonfree = Number(a.nonfree_baggages);
  if (!Number.isFinite(total) || !Number.isFinite(nonfree)) return;
  const expected = Math.max(0, total - free);
  if (nonfree !== expected) report("bag_allowance", `${nonfree} non-free bags for ${total} bags with ${free} free (expected ${expected})`);
}
