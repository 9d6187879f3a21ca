import { describe, expect, it } from "vitest";
import { classifyRollout } from "./classify";
import { makeRewardConfig } from "./config";
import { buildTierLut } from "./precedence";
import { classesOfMask, DEFAULT_PRECEDENCE, TIER_NAMES } from "./tiers";
import { makeRollout } from "./test-helpers";
import { extractTurns } from "./turns";

const config = makeRewardConfig();
const lut = buildTierLut(config.precedence);
const tiersOf = (c: ReturnType<typeof classifyRollout>) => c.turns.map((t) => TIER_NAMES[lut[t.mask]]);

const GOLD = [
  { name: "get_user_details", arguments: { user_id: "mia_1" } },
  { name: "cancel_reservation", arguments: { reservation_id: "ABC123" } },
  { name: "update_reservation_baggages", arguments: { reservation_id: "ABC123", total_baggages: 2, nonfree_baggages: 0, payment_id: "gc_1" } },
];

describe("turn extraction", () => {
  it("skips the opening greeting only, keeps tokens when usage is present", () => {
    const r = makeRollout(["ok", [{ name: "get_user_details", args: { user_id: "x" } }]], { tokens: [12, null] });
    const turns = extractTurns(r.messages);
    expect(turns).toHaveLength(2);
    expect(turns[0].completionTokens).toBe(12);
    expect(turns[1].completionTokens).toBeNull();
  });
  it("a first assistant message that is not the greeting is a turn", () => {
    const r = makeRollout(["a"]);
    r.messages[0] = { role: "assistant", content: "Hello there" };
    expect(extractTurns(r.messages)).toHaveLength(2);
  });
});

describe("per-call classification", () => {
  it("gold, soft (with score), read, state, message, error, duplicate", () => {
    const r = makeRollout(
      [
        [{ name: "get_user_details", args: { user_id: "mia_1" } }], // gold
        [{ name: "update_reservation_baggages", args: { reservation_id: "ABC123", total_baggages: 3, nonfree_baggages: 0, payment_id: "gc_9" } }], // soft 2/4
        [{ name: "get_reservation_details", args: { reservation_id: "ABC123" } }], // read
        [{ name: "book_reservation", args: { user_id: "mia_1" } }], // state
        "Let me check.", // message
        [{ name: "get_flight_status", args: { flight_number: "HAT1", date: "2024-05-16" }, error: true }], // error (tool raised)
        [{ name: "get_reservation_details", args: { reservation_id: "ABC123" } }], // duplicate
        [{ name: "delete_everything", args: {} }], // error (unknown tool)
        [{ name: "get_user_details", args: "{user_id: mia" }], // error (unparsable arguments)
        [{ name: "transfer_to_human_agents", args: { summary: "help" } }], // generic → message
      ],
      { gold_actions: GOLD, tokens: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14] },
    );
    const c = classifyRollout(r, config);
    expect(tiersOf(c)).toEqual(["gold", "soft", "read", "state", "message", "error", "duplicate", "error", "error", "message"]);
    expect(c.turns[1].soft).toBe(0.5);
    expect(c.turns[1].calls[0].soft).toBe(0.5);
    expect(c.turns.map((t) => t.tokens)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // Every applicable class is kept: the duplicate read is also a read.
    expect(classesOfMask(c.turns[6].mask)).toEqual(["read", "duplicate"]);
    expect(classesOfMask(c.turns[0].mask)).toEqual(["gold", "read"]);
    expect(c.turns[4].action).toBe("message");
    expect(c.turns[2].action).toBe(c.turns[6].action);
  });

  it("deep-equal normalisation applies to gold matching", () => {
    const r = makeRollout([[{ name: "update_reservation_baggages", args: { payment_id: "gc_1", total_baggages: "2", nonfree_baggages: "0", reservation_id: "ABC123", note: "" } }]], {
      gold_actions: GOLD,
    });
    expect(tiersOf(classifyRollout(r, config))).toEqual(["gold"]);
    const strict = makeRewardConfig({ deep_equal: { coerce_numeric_strings: false, drop_empty: false, sort_lists: false } });
    const c = classifyRollout(r, strict);
    expect(TIER_NAMES[buildTierLut(strict.precedence)[c.turns[0].mask]]).toBe("soft");
    expect(c.turns[0].soft).toBe(0.5); // reservation_id and payment_id match; the numeric strings do not
    // Gold keys are memoised per (deep-equal options, gold arguments): each setting keeps its own.
    expect(tiersOf(classifyRollout(r, config))).toEqual(["gold"]);
    expect(classifyRollout(r, strict).turns[0].soft).toBe(0.5);
  });

  it("unmatched_once: a gold action matches at most once; any: repeats stay gold", () => {
    const call = { name: "cancel_reservation", args: { reservation_id: "ABC123" } };
    const r = makeRollout([[call], [call]], { gold_actions: GOLD });
    expect(tiersOf(classifyRollout(r, config))).toEqual(["gold", "duplicate"]);
    const anyCfg = makeRewardConfig({ gold_matching: "any" });
    expect(tiersOf(classifyRollout(r, anyCfg))).toEqual(["gold", "gold"]);
    // The repeat is still a duplicate in the stored classes: only precedence hides it.
    expect(classesOfMask(classifyRollout(r, anyCfg).turns[1].mask)).toContain("duplicate");
  });

  it("a gold action listed twice can be matched twice under unmatched_once", () => {
    const call = { name: "cancel_reservation", args: { reservation_id: "ABC123" } };
    const gold = [GOLD[1], GOLD[1]];
    expect(tiersOf(classifyRollout(makeRollout([[call], [call]], { gold_actions: gold }), config))).toEqual(["gold", "gold"]);
  });

  it("a parallel-call turn takes the highest-precedence class among its calls", () => {
    const r = makeRollout(
      [[{ name: "get_reservation_details", args: { reservation_id: "X" } }, { name: "cancel_reservation", args: { reservation_id: "ABC123" } }]],
      { gold_actions: GOLD },
    );
    const c = classifyRollout(r, config);
    expect(c.turns[0].calls).toHaveLength(2);
    expect(tiersOf(c)).toEqual(["gold"]);
  });

  it("reads W, B (max over writes) and behaviour from metadata.writ", () => {
    const r = makeRollout(["x"], { metadata: { writ: { writes: 2, evidence: [3, 9], behavior: "terse" } } });
    const c = classifyRollout(r, config);
    expect([c.w, c.b, c.behavior]).toEqual([2, 9, "terse"]);
    const bare = classifyRollout(makeRollout(["x"]), config);
    expect([bare.w, bare.b, bare.behavior]).toEqual([-1, -1, ""]);
  });
});

describe("precedence re-tiers stored classes without re-classifying", () => {
  it("moving state above duplicate changes a repeated write's tier", () => {
    const call = { name: "book_reservation", args: { user_id: "u" } };
    const c = classifyRollout(makeRollout([[call], [call]]), config);
    expect(tiersOf(c)).toEqual(["state", "duplicate"]);
    const alt = buildTierLut(["gold", "soft", "error", "state", "duplicate", "read", "message"]);
    expect(c.turns.map((t) => TIER_NAMES[alt[t.mask]])).toEqual(["state", "state"]);
  });
  it("an empty class set is a message; the default LUT follows DEFAULT_PRECEDENCE", () => {
    const l = buildTierLut(DEFAULT_PRECEDENCE);
    expect(TIER_NAMES[l[0]]).toBe("message");
    expect(TIER_NAMES[l[0b1111111]]).toBe("gold");
    expect(TIER_NAMES[l[(1 << 5) | (1 << 6) | (1 << 3)]]).toBe("error");
  });
});
