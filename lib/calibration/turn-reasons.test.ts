/**
 * explainTurns on a hand-made conversation: one turn per tier kind, tiers taken from the
 * classifier + precedence (as the analysis does), reason texts checked word for word.
 */
import { describe, expect, it } from "vitest";
import { classifyRollout, DEFAULT_REWARD_CONFIG, makeRewardConfig, TIER_NAMES, tierOfMask, type GoldAction } from "../rewards";
import type { Message } from "../types/messages";
import type { Rollout } from "../types/rollout";
import { explainTurns } from "./turn-reasons";

const GOLD: GoldAction[] = [
  { name: "get_user_details", arguments: { user_id: "mia_li_3668" } },
  { name: "cancel_reservation", arguments: { reservation_id: "ABC123" } },
  { name: "update_reservation_baggages", arguments: { reservation_id: "ABC123", total_baggages: 2, nonfree_baggages: 0, payment_id: "gift_card_1" } },
];

let n = 0;
const call = (name: string, args: Record<string, unknown> | string) => ({ id: `c${++n}`, name, arguments: args });
const turn = (calls: ReturnType<typeof call>[], results: { error?: boolean; content?: string }[] = []): Message[] => [
  { role: "assistant", content: calls.length ? null : "Sure, let me check.", tool_calls: calls.length ? calls : undefined },
  ...calls.map((c, i) => ({ role: "tool" as const, tool_call_id: c.id, content: results[i]?.content ?? "{}", error: results[i]?.error ?? false })),
];

const messages: Message[] = [
  { role: "assistant", content: "Hi! How can I help you today?" },
  { role: "user", content: "Please change my bags." },
  ...turn([call("get_user_details", { user_id: "mia_li_3668" })]), // 0 gold
  ...turn([call("update_reservation_baggages", { reservation_id: "ABC123", total_baggages: "2", nonfree_baggages: 1, payment_id: "gift_card_1" })]), // 1 soft (nonfree differs)
  ...turn([call("get_reservation_details", { reservation_id: "ZZZ999" })]), // 2 read
  ...turn([call("get_reservation_details", { reservation_id: "ZZZ999" })]), // 3 duplicate (read + duplicate)
  ...turn([call("book_reservation", { user_id: "mia_li_3668" })], [{ error: true, content: "Error: payment method not found" }]), // 4 error (tool)
  ...turn([call("teleport", { to: "moon" })]), // 5 error (unknown tool)
  ...turn([call("cancel_reservation", '{"reservation_id": ')]), // 6 error (raw JSON)
  ...turn([call("update_reservation_flights", { reservation_id: "QQQ000" })]), // 7 state
  ...turn([]), // 8 message
  ...turn([call("transfer_to_human_agents", { summary: "help" })]), // 9 message (generic)
];

function tiersOf(config = DEFAULT_REWARD_CONFIG) {
  const rollout = { rollout_id: "r-x", group_id: "g-x", task_id: "t", sample_index: 0, outcome: 0, reward: 0, termination: "user_stop", messages } as Rollout;
  const c = classifyRollout(rollout, config, GOLD);
  return c.turns.map((t) => TIER_NAMES[tierOfMask(t.mask, config.precedence)]);
}

describe("explainTurns", () => {
  it("names the evidence of each tier", () => {
    const tiers = tiersOf();
    expect(tiers).toEqual(["gold", "soft", "read", "duplicate", "error", "error", "error", "state", "message", "message"]);
    const r = explainTurns(messages, GOLD, DEFAULT_REWARD_CONFIG, tiers);
    expect(r.map((x) => x.tier)).toEqual(tiers);

    expect(r[0].text).toBe("get_user_details equals gold action #1 (get_user_details) after normalisation (lists of objects sorted, numeric strings coerced, empty values dropped).");
    expect(r[0].gold_index).toBe(0);

    // "2" equals 2 once numeric strings are coerced: only nonfree_baggages differs.
    expect(r[1].text).toBe("Near miss of gold action #3 (update_reservation_baggages): 3/4 arguments match. Differs: nonfree_baggages = 1, gold 0.");
    expect(r[1].differs).toEqual([{ arg: "nonfree_baggages", call: "1", gold: "0" }]);
    expect(r[1].soft_fraction).toBe(0.75);

    expect(r[2].text).toBe("Read tool get_reservation_details equal to no gold action.");
    expect(r[3].text).toBe('Repeats the identical call made at turn 3: get_reservation_details({"reservation_id":"ZZZ999"}).');
    expect(r[3].earlier_turn).toBe(2);
    expect(r[4].text).toBe("book_reservation returned an error: Error: payment method not found");
    expect(r[4].error).toBe("Error: payment method not found");
    expect(r[5].text).toBe('teleport: unknown tool "teleport" (in none of the read, write or generic tool lists).');
    expect(r[6].text).toBe('cancel_reservation: arguments are not valid JSON: {"reservation_id": .');
    expect(r[7].text).toBe("Write tool update_reservation_flights equal to no gold action (not even a near miss).");
    expect(r[8].text).toBe("A text reply with no tool call.");
    expect(r[8].call).toBeNull();
    expect(r[9].text).toBe("Generic tool transfer_to_human_agents (neither reads nor writes): tiers like a message.");
  });

  it("follows the config's deep-equal options: without coercion the string \"2\" is a second difference", () => {
    const config = makeRewardConfig({ deep_equal: { coerce_numeric_strings: false } });
    const tiers = tiersOf(config);
    const r = explainTurns(messages, GOLD, config, tiers);
    expect(r[1].tier).toBe("soft");
    expect(r[1].differs.map((d) => d.arg).sort()).toEqual(["nonfree_baggages", "total_baggages"]);
    expect(r[1].text).toContain("2/4 arguments match");
    expect(r[0].options).toEqual(["lists of objects sorted", "empty values dropped"]);
  });

  it("with unmatched_once, a second equal call no longer matches the spent gold action", () => {
    const twice: Message[] = [...turn([call("cancel_reservation", { reservation_id: "ABC123" })]), ...turn([call("cancel_reservation", { reservation_id: "ABC123" })])];
    const rollout = { rollout_id: "r-y", group_id: "g", task_id: "t", sample_index: 0, outcome: 0, reward: 0, termination: "user_stop", messages: twice } as Rollout;
    const tiers = classifyRollout(rollout, DEFAULT_REWARD_CONFIG, GOLD).turns.map((t) => TIER_NAMES[tierOfMask(t.mask, DEFAULT_REWARD_CONFIG.precedence)]);
    expect(tiers).toEqual(["gold", "duplicate"]);
    const r = explainTurns(twice, GOLD, DEFAULT_REWARD_CONFIG, tiers);
    expect(r[0].gold_index).toBe(1);
    expect(r[1].earlier_turn).toBe(0);
  });
});
