import { describe, expect, it } from "vitest";
import {
  CALIBRATED,
  classificationKey,
  DEFAULT_REWARD_CONFIG,
  formatConfigErrors,
  makeRewardConfig,
  NAIVE_V5,
  parseRewardConfig,
} from "./config";
import { DEFAULT_PRECEDENCE } from "./tiers";

function fieldsOf(json: unknown): string[] {
  const r = parseRewardConfig(json);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map((e) => e.field);
}

describe("reward config defaults", () => {
  it("fills every key of the documented JSON", () => {
    const r = parseRewardConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      tiers: { gold: 1, soft: "formula", read: 0, state: -0.1, message: 0, error: -0.1, duplicate: -0.2 },
      precedence: [...DEFAULT_PRECEDENCE],
      deep_equal: { sort_lists: true, coerce_numeric_strings: true, drop_empty: true },
      gold_matching: "unmatched_once",
      estimator: "grpo",
      gamma: 0.9,
      lambda: 0.3,
      eps: 1e-6,
      ddof: 1,
      gn_scope: "per_position",
      alpha: 1,
      delta: 0.05,
      eta: 0.3,
      window: null,
    });
    expect(r.config.read_tools).toContain("get_user_details");
    expect(r.config.write_tools).toContain("book_reservation");
  });

  it("merges partial nested objects with defaults", () => {
    const c = makeRewardConfig({ tiers: { read: 0.3 }, deep_equal: { drop_empty: false } });
    expect(c.tiers.gold).toBe(1);
    expect(c.tiers.read).toBe(0.3);
    expect(c.deep_equal).toEqual({ sort_lists: true, coerce_numeric_strings: true, drop_empty: false });
  });

  it("accepts a flat soft value and the raw JSON text", () => {
    const r = parseRewardConfig('{"tiers": {"soft": 0.6}, "window": 500}');
    expect(r.ok && r.config.tiers.soft).toBe(0.6);
    expect(r.ok && r.config.window).toBe(500);
  });

  it("appends tiers missing from a partial precedence in default order", () => {
    const c = makeRewardConfig({ precedence: ["error", "gold"] });
    expect(c.precedence).toEqual(["error", "gold", "soft", "duplicate", "state", "read", "message"]);
  });

  it("presets carry the paper's naive and calibrated values", () => {
    expect(NAIVE_V5.tiers).toMatchObject({ read: 0.3, state: 0.1 });
    expect(CALIBRATED.tiers).toMatchObject({ read: 0, state: -0.1 });
    expect(DEFAULT_REWARD_CONFIG.tiers).toEqual(CALIBRATED.tiers);
  });

  it("classificationKey ignores values and estimator knobs but not deep-equal toggles", () => {
    expect(classificationKey(NAIVE_V5)).toBe(classificationKey(CALIBRATED));
    const toggled = makeRewardConfig({ deep_equal: { sort_lists: false } });
    expect(classificationKey(toggled)).not.toBe(classificationKey(CALIBRATED));
  });
});

describe("config validation names the field", () => {
  it("unknown tier", () => {
    expect(fieldsOf({ tiers: { bogus: 1 } })).toEqual(["tiers.bogus"]);
    const r = parseRewardConfig({ tiers: { bogus: 1 } });
    expect(!r.ok && r.errors[0].message).toMatch(/unknown tier/);
  });
  it("unknown tier in precedence and duplicates", () => {
    expect(fieldsOf({ precedence: ["gold", "platinum"] })).toEqual(["precedence.1"]);
    expect(fieldsOf({ precedence: ["gold", "gold"] })).toEqual(["precedence.1"]);
  });
  it("negative or fractional ddof", () => {
    expect(fieldsOf({ ddof: -1 })).toEqual(["ddof"]);
    expect(fieldsOf({ ddof: 0.5 })).toEqual(["ddof"]);
  });
  it("gamma outside [0, 1]", () => {
    expect(fieldsOf({ gamma: 1.5 })).toEqual(["gamma"]);
    expect(fieldsOf({ gamma: -0.1 })).toEqual(["gamma"]);
  });
  it("malformed JSON text and non-objects", () => {
    expect(fieldsOf('{"gamma": 0.9,')).toEqual(["$"]);
    expect(fieldsOf([1, 2])).toEqual(["$"]);
    expect(fieldsOf(null)).toEqual(["$"]);
  });
  it("wrong types, enums and unknown top-level keys", () => {
    expect(fieldsOf({ tiers: { gold: "high" } })).toEqual(["tiers.gold"]);
    expect(fieldsOf({ tiers: { soft: "curve" } })).toEqual(["tiers.soft"]);
    expect(fieldsOf({ estimator: "ppo" })).toEqual(["estimator"]);
    expect(fieldsOf({ gn_scope: "global" })).toEqual(["gn_scope"]);
    expect(fieldsOf({ gama: 0.9 })).toEqual(["gama"]);
    expect(fieldsOf({ window: 0 })).toEqual(["window"]);
    expect(fieldsOf({ eps: -1 })).toEqual(["eps"]);
    expect(fieldsOf({ deep_equal: { sort_lists: "yes" } })).toEqual(["deep_equal.sort_lists"]);
  });
  it("reports every bad field at once, formatted on one line", () => {
    const r = parseRewardConfig({ ddof: -1, gamma: 2 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = formatConfigErrors(r.errors);
    expect(line).toContain("ddof:");
    expect(line).toContain("gamma:");
    expect(line).not.toContain("\n");
  });
  it("makeRewardConfig throws naming the field", () => {
    expect(() => makeRewardConfig({ gamma: 3 })).toThrow(/gamma/);
  });
});

describe("default tool lists", () => {
  it("come from lib/airline, with calculate as a read and transfer as generic", async () => {
    const { DEFAULT_READ_TOOLS, DEFAULT_WRITE_TOOLS, DEFAULT_GENERIC_TOOLS } = await import("./tool-lists");
    expect([...DEFAULT_READ_TOOLS].sort()).toEqual(
      ["calculate", "get_flight_status", "get_reservation_details", "get_user_details", "list_all_airports", "search_direct_flight", "search_onestop_flight"],
    );
    expect([...DEFAULT_WRITE_TOOLS].sort()).toEqual(
      ["book_reservation", "cancel_reservation", "send_certificate", "update_reservation_baggages", "update_reservation_flights", "update_reservation_passengers"],
    );
    expect(DEFAULT_GENERIC_TOOLS).toEqual(["transfer_to_human_agents"]);
  });
});
