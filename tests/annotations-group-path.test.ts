/**
 * The rollout browser's annotations are computed from the group's own rollouts
 * (lib/calibration/annotations.ts groupAnnotations), not from the whole experiment's data. That is
 * only right if every number of a turn depends on its group alone and the group's rollouts are
 * summed in the order the experiment's data holds them. Here, on an experiment built to stress
 * that order (tied and reshuffled finish times, class rows missing, rollouts still running), the
 * group path's per-turn tier, reward and advantage and each rollout's AO are the same values,
 * Object.is, as computeTurnValues over the experiment's whole data (getExperimentData, the RL
 * export's and changedGroups' path) — for every group, under all four estimators, the pooled GN
 * scope and a config whose classification differs from the stored one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb, type Db } from "../db/client";
import { computeTurnValues } from "../lib/analysis";
import { groupAnnotations, resolveBrowserConfig, type ConfigSelector, type RolloutAnnotation } from "../lib/calibration/annotations";
import { DEFAULT_CLASS_KEY } from "../lib/calibration/class-store";
import { classifyOptionsOf, clearCalibrationStore, getExperimentData } from "../lib/calibration/experiment-data";
import { diffConfig, encodeConfigDiff } from "../lib/calibration/url-state";
import { classificationKey, makeRewardConfig, NAIVE_V5, TIER_NAMES, type RewardConfig } from "../lib/rewards";
import { describeGroupOpenDb, ensureGroupOpenDb } from "../bench/group-open-db";

const ROLLOUTS = 320;
const GROUP = 8;

/** A read tool the bench conversations call, moved to the generic tools: its turns get another tier (another classification key). */
const MOVED_TOOL = "get_reservation_details";

const CONFIGS: Record<string, RewardConfig> = {
  grpo: makeRewardConfig({ ...NAIVE_V5, estimator: "grpo" }),
  mt_grpo: makeRewardConfig({ ...NAIVE_V5, estimator: "mt_grpo" }),
  gtpo: makeRewardConfig({ ...NAIVE_V5, estimator: "gtpo" }),
  gtpo_pooled: makeRewardConfig({ ...NAIVE_V5, estimator: "gtpo", gn_scope: "pooled" }),
  hybrid: makeRewardConfig({ ...NAIVE_V5, estimator: "hybrid" }),
  reclassified: makeRewardConfig({
    ...NAIVE_V5,
    estimator: "hybrid",
    read_tools: NAIVE_V5.read_tools.filter((t) => t !== MOVED_TOOL),
    generic_tools: [...NAIVE_V5.generic_tools, MOVED_TOOL],
  }),
};

/** The browser's link form of a config: the workbench diff against NAIVE_V5 (no iteration). */
const selectorOf = (config: RewardConfig): ConfigSelector => ({ diff: encodeConfigDiff(diffConfig(NAIVE_V5, config)) || "est:" + config.estimator });

let dir: string;
let db: Db;
let experimentId: number;
let groupIds: string[];
let running: Set<string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "writ-group-path-"));
  const path = join(dir, "writ.db");
  clearCalibrationStore();
  // The bench experiment (tool-calling conversations, a task set with gold, stored class rows), small.
  ensureGroupOpenDb(path, { rollouts: ROLLOUTS, turns: 6, group: GROUP }, () => {});
  db = openDb(path);
  experimentId = describeGroupOpenDb(db).experimentId;
  const c = db.$client;
  // Finish times with ties (five distinct values) in an order unrelated to groups and samples:
  // the finished order then falls back to rollout ids, which sort differently from sample order.
  c.prepare("UPDATE rollouts SET finished_at = created_at + ((rowid * 7919) % 5)").run();
  // A stored class row lost for some rollouts (the load classifies their messages instead).
  c.prepare("DELETE FROM rollout_classes WHERE rowid % 7 = 3").run();
  // Some rollouts still running: not in the analysed data, not scored in the browser.
  c.prepare("UPDATE rollouts SET status = 'running', finished_at = NULL, outcome = NULL WHERE rowid % 13 = 5").run();
  running = new Set(c.prepare("SELECT id FROM rollouts WHERE status = 'running'").pluck().all() as string[]);
  groupIds = c.prepare("SELECT id FROM groups WHERE experiment_id = ? ORDER BY position").pluck().all(experimentId) as string[];
  // The store cached the experiment's data before the edits above.
  clearCalibrationStore();
});

afterAll(() => {
  clearCalibrationStore();
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

const clean = (x: number) => (Number.isFinite(x) && x !== 0 ? x : 0);

interface TurnValues {
  tier: string;
  reward: number;
  advantage: number;
}

/** Per rollout id: AO and per-turn values from the experiment's whole data under `config`, copied (computeTurnValues' arrays are a shared workspace). */
function wholeExperimentValues(config: RewardConfig): Map<string, { ao: number; turns: TurnValues[] }> {
  const { data } = getExperimentData(db, experimentId, classifyOptionsOf(config));
  const v = computeTurnValues(data, config);
  const out = new Map<string, { ao: number; turns: TurnValues[] }>();
  for (let i = 0; i < data.nRollouts; i++) {
    const turns: TurnValues[] = [];
    for (let k = data.turnOffsets[i]; k < data.turnOffsets[i + 1]; k++) turns.push({ tier: TIER_NAMES[v.tier[k]], reward: clean(v.reward[k]), advantage: clean(v.adv[k]) });
    out.set(data.rolloutIds[i], { ao: clean(v.ao[i]), turns });
  }
  return out;
}

/** Every difference between the group path's annotations and the whole-experiment values, as readable lines. */
function differences(annotated: readonly RolloutAnnotation[], whole: Map<string, { ao: number; turns: TurnValues[] }>): string[] {
  const out: string[] = [];
  for (const r of annotated) {
    const w = whole.get(r.rollout_id);
    if (!r.scored) {
      if (w) out.push(`${r.rollout_id}: not scored by the group path, in the experiment's data`);
      continue;
    }
    if (!w) {
      out.push(`${r.rollout_id}: scored by the group path, not in the experiment's data`);
      continue;
    }
    if (!Object.is(r.outcome_advantage, w.ao)) out.push(`${r.rollout_id}: AO ${r.outcome_advantage} vs ${w.ao}`);
    if (r.turns.length !== w.turns.length) out.push(`${r.rollout_id}: ${r.turns.length} turns vs ${w.turns.length}`);
    r.turns.forEach((t, k) => {
      const e = w.turns[k];
      if (!e) return;
      if (t.tier !== e.tier || !Object.is(t.reward, e.reward) || !Object.is(t.advantage, e.advantage))
        out.push(`${r.rollout_id} turn ${k}: ${t.tier} ${t.reward} ${t.advantage} vs ${e.tier} ${e.reward} ${e.advantage}`);
    });
  }
  return out;
}

describe("group annotations from the group's own rollouts", () => {
  it("the fixture has what the test relies on: ties, running rollouts in many groups, missing class rows", () => {
    const c = db.$client;
    const finished = c.prepare("SELECT count(*) AS n, count(DISTINCT finished_at) AS distinct_times FROM rollouts WHERE status = 'done'").get() as { n: number; distinct_times: number };
    expect(finished.distinct_times).toBeLessThan(finished.n / 10);
    expect(running.size).toBeGreaterThan(10);
    const groupsWithRunning = c.prepare("SELECT count(DISTINCT group_id) FROM rollouts WHERE status = 'running'").pluck().get() as number;
    expect(groupsWithRunning).toBeGreaterThan(5);
    const missing = c
      .prepare("SELECT count(*) FROM rollouts r LEFT JOIN rollout_classes k ON k.rollout_id = r.id AND k.class_key = ? WHERE r.status = 'done' AND k.rollout_id IS NULL")
      .pluck()
      .get(DEFAULT_CLASS_KEY) as number;
    expect(missing).toBeGreaterThan(10);
    expect(groupIds.length).toBe(ROLLOUTS / GROUP);
  });

  it("the reclassifying config has another classification key and changes tiers", () => {
    expect(classificationKey(CONFIGS.reclassified)).not.toBe(DEFAULT_CLASS_KEY);
    const a = wholeExperimentValues(CONFIGS.hybrid);
    const b = wholeExperimentValues(CONFIGS.reclassified);
    let changed = 0;
    for (const [id, x] of a) x.turns.forEach((t, k) => (changed += t.tier !== b.get(id)!.turns[k].tier ? 1 : 0));
    expect(changed).toBeGreaterThan(0);
  });

  for (const [name, config] of Object.entries(CONFIGS)) {
    it(`${name}: every group's turns equal the whole experiment's, Object.is`, () => {
      const sel = selectorOf(config);
      const resolved = resolveBrowserConfig(db, experimentId, sel);
      expect(resolved.rejected).toEqual([]);
      expect(resolved.config).toEqual(config);
      // The group path before the experiment's load of this classification, and again after it
      // (the load writes the missing default class rows; the group path then reads them).
      const before = groupIds.map((g) => groupAnnotations(db, g, { config: sel }).rollouts);
      const whole = wholeExperimentValues(config);
      const after = groupIds.map((g) => groupAnnotations(db, g, { config: sel }).rollouts);
      for (const rollouts of [...before, ...after]) expect(differences(rollouts, whole)).toEqual([]);

      // Not vacuous: every finished rollout was compared, every running one was left out.
      const annotated = before.flat();
      expect(annotated.filter((r) => r.scored).length).toBe(whole.size);
      expect(annotated.filter((r) => !r.scored).map((r) => r.rollout_id).sort()).toEqual([...running].sort());
      expect(annotated.some((r) => r.turns.some((t) => t.advantage !== 0))).toBe(true);
    });
  }
});
