import { describe, expect, it } from "vitest";
import { groupFiltersQuery, parseGroupFilters } from "./group-filters";

describe("group filters in the URL", () => {
  it("parses valid filters and round-trips them", () => {
    const { filters, cursor } = parseGroupFilters({ w: "2", b: "3", outcome: "mixed", behavior: "terse", task: "t-7", termination: "max_turns", cursor: "50" });
    expect(filters).toEqual({ w: 2, b: 3, outcome: "mixed", behavior: "terse", task: "t-7", termination: "max_turns" });
    expect(cursor).toBe("50");
    expect(groupFiltersQuery(filters)).toBe("?task=t-7&outcome=mixed&w=2&b=3&behavior=terse&termination=max_turns");
  });

  it("drops malformed values instead of sending them to the API", () => {
    const { filters, cursor } = parseGroupFilters({ w: "two", b: "-1", outcome: "maybe", termination: "nope", cursor: "x", task: "  " });
    expect(filters).toEqual({});
    expect(cursor).toBeNull();
    expect(groupFiltersQuery(filters)).toBe("");
  });

  it("takes the first of repeated params", () => {
    expect(parseGroupFilters({ w: ["1", "4"] }).filters).toEqual({ w: 1 });
  });
});
