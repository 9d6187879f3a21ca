/**
 * `--format rl`: per agent turn its tier, reward and advantage under the
 * chosen iteration (a stored version, an inline config, or the experiment's latest
 * iteration). Advantages come from computeTurnValues over the experiment's whole groups (what
 * training sees), rows from lib/interchange/rl.ts in its compact (a line per rollout) or
 * full (a line per turn) layout, every row through stripSecrets.
 */
import type { Db } from "../../db/client";
import type { ExperimentRow } from "../../db/schema";
import { computeTurnValues } from "../analysis";
import { stripSecrets } from "../interchange/redact";
import { toRlCompactRow, toRlRows, type RlLayout, type TurnScore } from "../interchange/rl";
import { TIER_NAMES, type RewardConfig } from "../rewards";
import type { Rollout } from "../types/rollout";
import { configHash, parseConfigInput } from "./config-input";
import { getIteration, latestIteration } from "./iterations";
import { classifyOptionsOf, getExperimentData } from "./experiment-data";

export interface RlExportSource {
  /** A reward_configs id (`--iteration ID`). */
  iteration?: number;
  /** Inline reward config (`--config FILE` contents). */
  config?: unknown;
}

export function resolveRlConfig(db: Db, experimentId: number, src: RlExportSource): { config: RewardConfig; configId: string } {
  if (src.iteration !== undefined) {
    const it = getIteration(db, src.iteration);
    return { config: it.config, configId: `iteration-${it.id}` };
  }
  if (src.config !== undefined) {
    const config = parseConfigInput(src.config);
    return { config, configId: `config-${configHash(config)}` };
  }
  const it = latestIteration(db, experimentId);
  return { config: it.config, configId: `iteration-${it.id}` };
}

/** Copies of the per-turn values (the workspace is shared with other analyses) and the rollout index. */
export function turnScoresFor(db: Db, experimentId: number, config: RewardConfig) {
  const { data } = getExperimentData(db, experimentId, classifyOptionsOf(config));
  const v = computeTurnValues(data, config);
  const tier = Uint8Array.from(v.tier);
  const reward = Float64Array.from(v.reward);
  const adv = Float64Array.from(v.adv);
  const offsets = Int32Array.from(data.turnOffsets.subarray(0, data.nRollouts + 1));
  const index = new Map(data.rolloutIds.map((id, i) => [id, i]));
  return {
    scores(rolloutId: string): TurnScore[] | null {
      const i = index.get(rolloutId);
      if (i === undefined) return null;
      const out: TurnScore[] = [];
      for (let t = offsets[i], k = 0; t < offsets[i + 1]; t++, k++) {
        out.push({ k, tier: TIER_NAMES[tier[t]], reward: clean(reward[t]), advantage: clean(adv[t]) });
      }
      return out;
    },
  };
}

const clean = (x: number): number => (Number.isFinite(x) && x !== 0 ? x : 0);

export function* rlChunks(
  db: Db,
  exp: ExperimentRow,
  rollouts: Iterable<Rollout>,
  systemPrompt: string,
  src: RlExportSource,
  stats: { rows: number; scanned: number },
  /** compact: a line per rollout, messages once; full: a line per turn (lib/interchange/rl.ts). */
  layout: RlLayout = "compact",
): Generator<string> {
  const { config, configId } = resolveRlConfig(db, exp.id, src);
  const scores = turnScoresFor(db, exp.id, config);
  for (const r of rollouts) {
    stats.scanned++;
    const s = scores.scores(r.rollout_id);
    if (!s) continue; // finished after the values were computed: the next export has it
    if (layout === "compact") {
      const row = toRlCompactRow(r, s, systemPrompt, configId);
      if (!row) continue;
      stats.rows++;
      yield JSON.stringify(stripSecrets(row)) + "\n";
      continue;
    }
    for (const row of toRlRows(r, s, systemPrompt, configId)) {
      stats.rows++;
      yield JSON.stringify(stripSecrets(row)) + "\n";
    }
  }
}
