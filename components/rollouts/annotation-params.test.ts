import { describe, expect, it } from "vitest";
import { annotationQuery, browserHref, readConfigParams, writeConfigParams } from "./annotation-params";
import { nextTarget } from "./use-grid-selection";

describe("rollout browser config params", () => {
  it("reads the workbench's it/c as well as iteration, and drops bad values", () => {
    expect(readConfigParams({ it: "4", c: "read:0,est:hybrid", tier: "soft" })).toMatchObject({ iteration: 4, c: "read:0,est:hybrid", tier: "soft" });
    expect(readConfigParams({ iteration: "7", it: "4" }).iteration).toBe(7);
    expect(readConfigParams({ iteration: "-1", compare: "x", tier: "nope" })).toMatchObject({ iteration: null, compare: null, tier: null });
  });

  it("builds the annotation API query and keeps turn/sibling when the config changes", () => {
    const p = readConfigParams({ iteration: "3", c: "read:0", estimator: "hybrid", compare: "5" });
    expect(annotationQuery(p)).toBe("iteration=3&c=read%3A0&estimator=hybrid&compare=5");
    const url = writeConfigParams(new URL("http://x/experiments/1/groups/g-1-0?turn=4&sibling=2&it=9"), { ...p, compare: null, tier: "gold" });
    expect(url.searchParams.get("turn")).toBe("4");
    expect(url.searchParams.get("sibling")).toBe("2");
    expect(url.searchParams.get("it")).toBeNull();
    expect(url.searchParams.get("iteration")).toBe("3");
    expect(url.searchParams.get("compare")).toBeNull();
    expect(url.searchParams.get("tier")).toBe("gold");
  });

  it("links an analysis turn k (0-based) to the browser's row k + 1 with the config", () => {
    expect(browserHref({ experimentId: 2, groupId: "g-2-5", k: 0, sibling: 3, iteration: 8, c: "read:0,state:-0.1", tier: "soft" })).toBe(
      "/experiments/2/groups/g-2-5?turn=1&sibling=3&iteration=8&c=read:0,state:-0.1&tier=soft",
    );
    expect(browserHref({ experimentId: 2, groupId: "g-2-5", iteration: 1, compare: 2 })).toBe("/experiments/2/groups/g-2-5?iteration=1&compare=2");
  });
});

describe("jump keys", () => {
  const targets = [
    { turn: 1, sibling: 2 },
    { turn: 3, sibling: 0 },
    { turn: 3, sibling: 4 },
  ];
  it("walks row-major and wraps around", () => {
    expect(nextTarget(targets, { turn: 0, sibling: 0 }, 1)).toEqual({ turn: 1, sibling: 2 });
    expect(nextTarget(targets, { turn: 3, sibling: 0 }, 1)).toEqual({ turn: 3, sibling: 4 });
    expect(nextTarget(targets, { turn: 3, sibling: 4 }, 1)).toEqual({ turn: 1, sibling: 2 });
    expect(nextTarget(targets, { turn: 3, sibling: 0 }, -1)).toEqual({ turn: 1, sibling: 2 });
    expect(nextTarget(targets, { turn: 1, sibling: 2 }, -1)).toEqual({ turn: 3, sibling: 4 });
    expect(nextTarget([], { turn: 0, sibling: 0 }, 1)).toBeNull();
  });
});
