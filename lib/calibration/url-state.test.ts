import { describe, expect, it } from "vitest";
import { CALIBRATED, NAIVE_V5, makeRewardConfig } from "../rewards";
import {
  applyConfigDiff,
  decodeConfigDiff,
  decodeUrlState,
  diffConfig,
  EMPTY_URL_STATE,
  encodeConfigDiff,
  encodeUrlState,
  movePrecedence,
  workbenchHref,
  type WorkbenchUrlState,
} from "./url-state";

describe("config diff", () => {
  it("lists only the keys that differ, and applying it gives back the edited config", () => {
    const diff = diffConfig(NAIVE_V5, CALIBRATED);
    expect(diff).toEqual({ "tiers.read": 0, "tiers.state": -0.1, estimator: "hybrid" });
    expect(applyConfigDiff(NAIVE_V5, diff)).toEqual({ config: CALIBRATED, rejected: [] });
    expect(diffConfig(CALIBRATED, CALIBRATED)).toEqual({});
  });

  it("round-trips every kind of field through the compact text form", () => {
    const edited = makeRewardConfig({
      ...NAIVE_V5,
      tiers: { ...NAIVE_V5.tiers, soft: 0.65, gold: 1.25 },
      precedence: ["soft", "gold", "error", "duplicate", "state", "read", "message"],
      deep_equal: { sort_lists: false, coerce_numeric_strings: true, drop_empty: false },
      gold_matching: "any",
      read_tools: ["get_user_details"],
      estimator: "gtpo",
      gamma: 0.75,
      ddof: 0,
      gn_scope: "pooled",
      window: 200,
    });
    const text = encodeConfigDiff(diffConfig(NAIVE_V5, edited));
    expect(text).toBe("gold:1.25,soft:0.65,prec:soft.gold.error.duplicate.state.read.message,sl:0,de:0,gm:any,rt:get_user_details,est:gtpo,g:0.75,ddof:0,gn:pooled,win:200");
    expect(applyConfigDiff(NAIVE_V5, decodeConfigDiff(text)).config).toEqual(edited);
    // Back to formula and to no window.
    const back = applyConfigDiff(edited, decodeConfigDiff(encodeConfigDiff(diffConfig(edited, NAIVE_V5)))).config;
    expect(back).toEqual(NAIVE_V5);
  });

  it("drops entries the schema rejects and unknown keys, keeping the rest", () => {
    const diff = decodeConfigDiff("read:0,g:7,zz:1,state:abc,est:nope");
    expect(diff).toEqual({ "tiers.read": 0, gamma: 7, estimator: "nope" });
    const { config, rejected } = applyConfigDiff(NAIVE_V5, diff);
    expect(config.tiers.read).toBe(0);
    expect(config.gamma).toBe(NAIVE_V5.gamma);
    expect(config.estimator).toBe(NAIVE_V5.estimator);
    expect(rejected.sort()).toEqual(["estimator", "gamma"]);
  });

  it("writes -0 as 0 and never emits NaN", () => {
    const edited = makeRewardConfig({ ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: -0 } });
    expect(encodeConfigDiff(diffConfig(NAIVE_V5, edited))).toBe("read:0");
    expect(decodeConfigDiff("read:,gold:NaN,state:Infinity")).toEqual({});
  });
});

describe("URL state", () => {
  const state: WorkbenchUrlState = {
    iteration: 12,
    diff: { "tiers.read": 0, estimator: "hybrid" },
    slice: { w: [3, 1], b: [2], behavior: ["skip_read", "direct"] },
    selection: { kind: "position", position: 4, tier: "state" },
    compare: [12, 9],
    evaluateOn: 3,
  };

  it("encodes compactly with readable separators and decodes to the same state (lists sorted)", () => {
    const q = encodeUrlState(state);
    expect(q).toBe("it=12&c=read:0,est:hybrid&w=1,3&b=2&beh=direct,skip_read&sel=pos.4.state&cmp=12,9&ev=3");
    const back = decodeUrlState(new URLSearchParams(q));
    expect(back).toEqual({ ...state, slice: { w: [1, 3], b: [2], behavior: ["direct", "skip_read"] } });
  });

  it("accepts a Next.js searchParams object and ignores garbage", () => {
    const s = decodeUrlState({ it: "abc", w: ["2,x,2"], sel: "pos.-1.read", cmp: "1,2,3", ev: "0" });
    expect(s).toEqual({ ...EMPTY_URL_STATE, slice: { w: [2], b: [], behavior: [] }, compare: [1, 2] });
    expect(decodeUrlState({ sel: "tier.gold" }).selection).toEqual({ kind: "tier", tier: "gold" });
    expect(decodeUrlState({ sel: "cell.2.0" }).selection).toEqual({ kind: "cell", w: 2, b: 0 });
    expect(decodeUrlState({ sel: "tier.nope" }).selection).toBeNull();
  });

  it("gives the bare path for the default view", () => {
    expect(workbenchHref(5, EMPTY_URL_STATE)).toBe("/experiments/5/calibrate");
    expect(workbenchHref(5, { ...EMPTY_URL_STATE, iteration: 2 })).toBe("/experiments/5/calibrate?it=2");
  });

  it("percent-encodes behaviour names with odd characters and reads them back", () => {
    const q = encodeUrlState({ ...EMPTY_URL_STATE, slice: { w: [], b: [], behavior: ["a&b=c d"] } });
    expect(q).not.toContain(" ");
    expect(decodeUrlState(new URLSearchParams(q)).slice.behavior).toEqual(["a&b=c d"]);
  });
});

describe("movePrecedence", () => {
  it("swaps with a neighbour and ignores moves off either end", () => {
    const p = NAIVE_V5.precedence;
    expect(movePrecedence(p, 1, -1).slice(0, 2)).toEqual(["soft", "gold"]);
    expect(movePrecedence(p, 0, -1)).toEqual([...p]);
    expect(movePrecedence(p, p.length - 1, 1)).toEqual([...p]);
  });
});
