/** The worked example of docs/reward-calibration.md §7 as compact rows (shared by golden tests and docs). */
import { TIER_CODE, type TierName } from "../rewards";
import type { CompactRolloutRow } from "./columnar";

const bit = (t: TierName): number => 1 << TIER_CODE[t];

/** One group, N = 4, K = 3; position 0 is the same read everywhere; soft fraction 0.5 gives 0.75. */
export const WORKED_EXAMPLE_ROWS: CompactRolloutRow[] = [
  { rollout_id: "r0", group_id: "g", outcome: 1, masks: [bit("read"), bit("gold"), bit("gold")], soft: [0, 0, 0], actions: ["read", "gold1", "gold2"] },
  { rollout_id: "r1", group_id: "g", outcome: 0, masks: [bit("read"), bit("state"), bit("message")], soft: [0, 0, 0], actions: ["read", "state", "message"] },
  { rollout_id: "r2", group_id: "g", outcome: 0, masks: [bit("read"), bit("soft"), bit("error")], soft: [0, 0.5, 0], actions: ["read", "soft", "error"] },
  { rollout_id: "r3", group_id: "g", outcome: 1, masks: [bit("read"), bit("gold"), bit("message")], soft: [0, 0, 0], actions: ["read", "gold1", "message"] },
];

export const WORKED_EXAMPLE = {
  rewards: [
    [0, 1.0, 1.0],
    [0, -0.1, 0.0],
    [0, 0.75, -0.1],
    [0, 1.0, 0.0],
  ],
  ao: [0.866, -0.866, -0.866, 0.866],
  mtGrpo: [
    [3.007, 3.007, 2.36],
    [-2.761, -2.761, -1.3],
    [-1.325, -1.325, -1.492],
    [1.079, 1.079, 0.432],
  ],
  returns: [
    [2.439, 2.71, 1.9],
    [-0.09, -0.1, 0.0],
    [0.594, 0.66, -0.1],
    [1.629, 1.81, 0.9],
  ],
  hybridPerPosition: [
    [1.421, 1.421, 1.574],
    [-1.364, -1.364, -0.984],
    [-0.752, -0.752, -1.091],
    [0.695, 0.695, 0.501],
  ],
  hybridPooled: [
    [1.624, 1.886, 1.102],
    [-1.343, -1.353, -1.256],
    [-0.681, -0.617, -1.353],
    [0.84, 1.015, 0.135],
  ],
  mtGrpoDdof0Row0: [3.472, 3.472, 2.725],
};
