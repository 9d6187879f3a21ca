import { describe, expect, it } from "vitest";
import { CALIBRATED, makeRewardConfig } from "../rewards";
import { compareEstimators } from "./analyze";
import type { ColumnarRollouts } from "./columnar";
import { restoreColumnar, snapshotBuffers, snapshotColumnar } from "./snapshot";
import { makeSyntheticColumnar } from "./synthetic";

describe("columnar snapshot", () => {
  it("copies only the valid prefixes, owns its buffers, and analyses the same after a structured clone", () => {
    const data = makeSyntheticColumnar({ groups: 12, groupSize: 4, turns: 7, ragged: true, seed: 3 });
    // Spare capacity (junk past the valid prefix) behind every array, as appends leave it.
    const grown: ColumnarRollouts = { ...data };
    for (const f of ["turnRollout", "turnPos", "turnMask", "turnSoft", "turnTokens", "turnAction", "outcome", "rolloutGroup", "turnOffsets", "rolloutW", "rolloutB", "rolloutBehavior", "groupRolloutOffsets", "groupRollouts"] as const) {
      const a = data[f];
      const b = new (a.constructor as new (n: number) => typeof a)(a.length + 37);
      b.set(a as never);
      b.fill(3, a.length);
      (grown as unknown as Record<string, unknown>)[f] = b;
    }
    expect(grown.turnMask.length).toBeGreaterThan(grown.nTurns);
    const snap = snapshotColumnar(grown);
    expect(snap.turnMask.length).toBe(grown.nTurns);
    expect(snap.outcome.length).toBe(grown.nRollouts);
    expect(snap.turnOffsets.length).toBe(grown.nRollouts + 1);
    expect(snap.groupRolloutOffsets.length).toBe(grown.nGroups + 1);
    const buffers = snapshotBuffers(snap);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers).not.toContain(grown.turnMask.buffer);
    // A copy: changing the original afterwards does not reach the snapshot.
    const before = snap.outcome[0];
    grown.outcome[0] = 1 - grown.outcome[0];
    expect(snap.outcome[0]).toBe(before);
    grown.outcome[0] = before;
    const config = makeRewardConfig({ ...CALIBRATED, tiers: { ...CALIBRATED.tiers, read: 0.41 } });
    const copy = restoreColumnar(structuredClone(snap));
    expect(copy.behaviorIndex.get(grown.behaviorNames[1])).toBe(1);
    expect(compareEstimators(copy, config, { slice: { behavior: grown.behaviorNames[1] } })).toEqual(compareEstimators(grown, config, { slice: { behavior: grown.behaviorNames[1] } }));
  });
});
