import { describe, expect, it } from "vitest";
import type { Message } from "../types/messages";
import { checkPolicy, TRANSFER_MESSAGE } from "./check-policy";
import { makeFixtureState } from "./testing/fixture";

const base = makeFixtureState();
const greet: Message = { role: "assistant", content: "Hi! How can I help you today?" };
const user = (content: string): Message => ({ role: "user", content });
const say = (content: string): Message => ({ role: "assistant", content });
let n = 0;
const tool = (name: string, args: Record<string, unknown>, content: string | null = null): Message[] => {
  const id = `c${n++}`;
  return [{ role: "assistant", content, tool_calls: [{ id, name, arguments: args }] }, { role: "tool", tool_call_id: id, content: "{}", error: false }];
};
const rules = (messages: Message[]) => checkPolicy(messages, base).map((v) => v.rule);

describe("checkPolicy", () => {
  it("a clean confirmed cancellation of an insured reservation has no violations", () => {
    const m = [greet, user("cancel RES001, I'm sick"), ...tool("get_reservation_details", { reservation_id: "RES001" }), say("Cancel RES001, refund 640. Confirm?"), user("Yes please."), ...tool("cancel_reservation", { reservation_id: "RES001" }), say("Done.")];
    expect(checkPolicy(m, base)).toEqual([]);
  });

  it("flags a write without an explicit yes right before, with the agent turn", () => {
    const m = [greet, user("cancel RES001"), ...tool("cancel_reservation", { reservation_id: "RES001" })];
    expect(checkPolicy(m, base)).toEqual([expect.objectContaining({ rule: "no_confirmation", turn: 0, messageIndex: 2 })]);
  });

  it("flags an ineligible cancellation and a basic economy flight change", () => {
    expect(rules([greet, user("yes"), ...tool("cancel_reservation", { reservation_id: "RES002" })])).toEqual(["ineligible_cancellation"]);
    const change = tool("update_reservation_flights", { reservation_id: "RES002", cabin: "basic_economy", flights: [{ flight_number: "HAT002", date: "2024-05-16" }], payment_id: "credit_card_2" });
    expect(rules([greet, user("yes"), ...change])).toEqual(["basic_economy_modified"]);
    const cabinOnly = tool("update_reservation_flights", { reservation_id: "RES002", cabin: "economy", flights: [{ flight_number: "HAT001", date: "2024-05-16" }], payment_id: "credit_card_2" });
    expect(rules([greet, user("yes"), ...cabinOnly])).toEqual([]);
  });

  it("flags compensation for an ineligible user and a wrong amount", () => {
    const m = [greet, user("x"), ...tool("get_reservation_details", { reservation_id: "RES002" }), user("yes"), ...tool("send_certificate", { user_id: "bob_jones_2000", amount: 100 })];
    expect(rules(m)).toEqual(["ineligible_compensation"]);
    const m2 = [greet, user("x"), ...tool("get_reservation_details", { reservation_id: "RES001" }), user("yes"), ...tool("send_certificate", { user_id: "alice_smith_1000", amount: 300 })];
    expect(rules(m2)).toEqual(["compensation_amount"]);
  });

  it("flags payment limits and bag allowance in bookings", () => {
    const args = {
      user_id: "alice_smith_1000", origin: "JFK", destination: "LAX", flight_type: "one_way", cabin: "economy",
      flights: [{ flight_number: "HAT001", date: "2024-05-16" }], passengers: [{ first_name: "A", last_name: "B", dob: "1990-01-01" }],
      payment_methods: [{ payment_id: "certificate_1", amount: 50 }, { payment_id: "certificate_2", amount: 100 }],
      total_baggages: 4, nonfree_baggages: 0, insurance: "no",
    };
    // gold economy: 3 free bags per passenger, so 4 bags means 1 non-free
    expect(rules([greet, user("yes"), ...tool("book_reservation", args)]).sort()).toEqual(["bag_allowance", "payment_method_limits"]);
  });

  it("flags turn-shape and transfer protocol problems", () => {
    const both = tool("get_user_details", { user_id: "alice_smith_1000" }, "Let me check.");
    expect(rules([greet, user("x"), ...both])).toEqual(["tool_call_with_text"]);
    const two: Message = { role: "assistant", content: null, tool_calls: [{ id: "a", name: "get_user_details", arguments: { user_id: "x" } }, { id: "b", name: "get_user_details", arguments: { user_id: "y" } }] };
    expect(rules([greet, user("x"), two])).toEqual(["multiple_tool_calls"]);
    const transfer = tool("transfer_to_human_agents", { summary: "s" });
    expect(rules([greet, user("x"), ...transfer, say(TRANSFER_MESSAGE)])).toEqual([]);
    expect(rules([greet, user("x"), ...transfer, say("Someone will help you.")])).toEqual(["transfer_protocol"]);
    expect(rules([greet, user("x"), ...transfer])).toEqual(["transfer_protocol"]);
    expect(rules([greet, user("x"), say(TRANSFER_MESSAGE)])).toEqual(["transfer_protocol"]);
  });
});
