/**
 * Seeded synthetic columnar data for tests and benchmarks, built straight into typed arrays
 * (no rollout JSON, no classification). Passing rollouts lean to gold/read turns, failing ones
 * to errors/state changes, so tier statistics are non-trivial.
 */
import { TIER_CODE } from "../rewards";
import { mulberry32 } from "../random/prng";
import { createColumnar, type ColumnarRollouts } from "./columnar";

export interface SyntheticSpec {
  groups: number;
  groupSize: number;
  /** Turns per rollout (maximum when ragged). */
  turns: number;
  /** Vary rollout lengths in [1, turns] (some rollouts get 0 turns when zeroTurns). */
  ragged?: boolean;
  zeroTurns?: boolean;
  seed?: number;
  /** Report completion tokens on this share of turns (default 1). */
  tokenShare?: number;
  /** Distinct canonical actions per position (small → more cancellation buckets). */
  actions?: number;
}

const B = (t: keyof typeof TIER_CODE) => 1 << TIER_CODE[t];
const PASS_MASKS = [B("gold") | B("read"), B("gold") | B("state"), B("read"), B("read"), B("message"), B("soft") | B("state"), B("read") | B("duplicate")];
const FAIL_MASKS = [B("read"), B("state"), B("error"), B("message"), B("soft") | B("state"), B("duplicate") | B("state"), B("error") | B("read"), B("gold") | B("read")];

export function makeSyntheticColumnar(spec: SyntheticSpec): ColumnarRollouts {
  const rand = mulberry32(spec.seed ?? 1);
  const nR = spec.groups * spec.groupSize;
  const lengths = new Int32Array(nR);
  let nT = 0;
  for (let i = 0; i < nR; i++) {
    let k = spec.turns;
    if (spec.ragged) k = (spec.zeroTurns ? 0 : 1) + Math.floor(rand() * (spec.turns + (spec.zeroTurns ? 1 : 0)));
    if (spec.ragged && !spec.zeroTurns && k < 1) k = 1;
    lengths[i] = k;
    nT += k;
  }
  const data = createColumnar("synthetic", Math.max(16, nT), Math.max(16, nR));
  const actions = Math.max(1, spec.actions ?? 3);
  for (let a = 1; a <= actions; a++) {
    data.actionIndex.set(`a${a}`, a);
    data.actionKeys.push(`a${a}`);
  }
  for (const name of ["cooperative", "terse", "progressive"]) {
    data.behaviorIndex.set(name, data.behaviorNames.length);
    data.behaviorNames.push(name);
  }
  const tokenShare = spec.tokenShare ?? 1;
  let t = 0;
  for (let g = 0; g < spec.groups; g++) {
    const gid = `g${g}`;
    data.groupIndex.set(gid, g);
    data.groupIds.push(gid);
    const difficulty = rand();
    const w = 1 + (g % 3);
    const b = 1 + (g % 5);
    const behavior = 1 + (g % 3);
    for (let j = 0; j < spec.groupSize; j++) {
      const i = g * spec.groupSize + j;
      const pass = rand() > difficulty ? 1 : 0;
      data.outcome[i] = pass;
      data.rolloutGroup[i] = g;
      data.rolloutW[i] = w;
      data.rolloutB[i] = b;
      data.rolloutBehavior[i] = behavior;
      data.rolloutIds.push(`${gid}-r${j}`);
      data.taskIds.push(`task${g}`);
      data.turnOffsets[i] = t;
      const masks = pass ? PASS_MASKS : FAIL_MASKS;
      for (let k = 0; k < lengths[i]; k++, t++) {
        const m = masks[Math.floor(rand() * masks.length)];
        data.turnRollout[t] = i;
        data.turnPos[t] = k;
        data.turnMask[t] = m;
        data.turnSoft[t] = m & B("soft") ? 0.25 + 0.25 * Math.floor(rand() * 3) : 0;
        data.turnTokens[t] = rand() < tokenShare ? 20 + Math.floor(rand() * 200) : -1;
        data.turnAction[t] = m === B("message") ? 0 : 1 + Math.floor(rand() * actions);
      }
      data.turnOffsets[i + 1] = t;
    }
  }
  data.nRollouts = nR;
  data.nTurns = t;
  data.nGroups = spec.groups;
  // Rollouts were written group-contiguously: the CSR index is the identity.
  const offsets = new Int32Array(spec.groups + 1);
  for (let g = 0; g <= spec.groups; g++) offsets[g] = g * spec.groupSize;
  data.groupRolloutOffsets = offsets;
  const members = new Int32Array(nR);
  for (let i = 0; i < nR; i++) members[i] = i;
  data.groupRollouts = members;
  data.version = 1;
  return data;
}
