import { describe, expect, it } from "vitest";
import { makeRewardConfig } from "./config";
import { countAllToggleFlips, countClassificationFlips } from "./flips";
import { makeRollout } from "./test-helpers";

const GOLD = [
  { name: "update_reservation_passengers", arguments: { reservation_id: "R1", passengers: [{ first_name: "A", dob: "1990-01-01" }, { first_name: "B", dob: "1991-01-01" }] } },
  { name: "send_certificate", arguments: { user_id: "u1", amount: 100 } },
];

function rollouts() {
  return [
    makeRollout(
      [
        // Passengers in another order: gold only when lists are sorted.
        [{ name: "update_reservation_passengers", args: { reservation_id: "R1", passengers: [{ first_name: "B", dob: "1991-01-01" }, { first_name: "A", dob: "1990-01-01" }] } }],
        // Amount as a string: gold only with numeric coercion.
        [{ name: "send_certificate", args: { user_id: "u1", amount: "100" } }],
        [{ name: "get_user_details", args: { user_id: "u1" } }],
        "done",
      ],
      { gold_actions: GOLD },
    ),
  ];
}

describe("classification flips per deep-equal toggle", () => {
  const config = makeRewardConfig();
  it("turning sort_lists off flips exactly the reordered list call (gold → soft)", () => {
    const f = countClassificationFlips(rollouts(), config, "sort_lists");
    expect(f).toMatchObject({ toggle: "sort_lists", toggled_to: false, calls: 3, calls_flipped: 1, turns: 4, turns_flipped: 1 });
    expect(f.transitions).toEqual({ "gold→soft": 1 });
    expect(f.call_share).toBeCloseTo(1 / 3, 12);
  });
  it("turning numeric coercion off flips the string amount", () => {
    const f = countClassificationFlips(rollouts(), config, "coerce_numeric_strings");
    expect(f.calls_flipped).toBe(1);
    expect(f.transitions).toEqual({ "gold→soft": 1 });
  });
  it("drop_empty has nothing to change here", () => {
    expect(countClassificationFlips(rollouts(), config, "drop_empty").calls_flipped).toBe(0);
  });
  it("counts from the other side too (toggle turned on)", () => {
    const off = makeRewardConfig({ deep_equal: { sort_lists: false } });
    const f = countClassificationFlips(rollouts(), off, "sort_lists");
    expect(f.toggled_to).toBe(true);
    expect(f.transitions).toEqual({ "soft→gold": 1 });
  });
  it("countAllToggleFlips covers the three toggles", () => {
    expect(countAllToggleFlips(rollouts(), config).map((f) => f.calls_flipped)).toEqual([1, 1, 0]);
  });
});
