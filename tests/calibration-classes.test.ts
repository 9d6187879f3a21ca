/**
 * Stored rollout classifications (rollout_classes): the blob round-trips the engine's per-turn
 * columns; the calibration store built from class rows gives the same analysis as the store
 * built from message bodies; rollouts without a class row are classified from their messages
 * once and the row is written back; the rollouts.run job and imports write the rows when they
 * finalise a rollout, identical to what the backfill computes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "./helpers";
import { createSimulatedExperiment, runJobToSuccess } from "./fixtures/simulated-run";
import { fixtureRollouts, insertExperiment, addRollouts } from "./calibration-fixtures";
import { synthesizeSmall } from "./experiments-fixtures";
import { runAnalysis } from "../lib/calibration/analysis";
import { classBlobOf, DEFAULT_CLASS_KEY, goldOfTask } from "../lib/calibration/class-store";
import { decodeClassBlob, encodeClassBlob, hashAction, MESSAGE_HASH } from "../lib/calibration/class-store-blob";
import { clearCalibrationStore, classifyOptionsOf, getExperimentData } from "../lib/calibration/experiment-data";
import { importExperiment } from "../lib/experiments/import";
import { getRolloutMessages } from "../db/queries/rollouts";
import { classificationKey, classifyRollout, DEFAULT_GENERIC_TOOLS, DEFAULT_REWARD_CONFIG, makeRewardConfig, NAIVE_V5, type RewardConfig } from "../lib/rewards";
import type { ColumnarRollouts } from "../lib/analysis";
import type { Task } from "../lib/types/task";

let t: TempDb;
beforeAll(() => {
  t = createTempDb([clearCalibrationStore]);
});
afterAll(() => t.cleanup());

const SECTIONS = ["estimators", "cells", "heatmap", "distribution"] as const;

/** Same classification as the default, but another key: forces the store's message path. */
function messagePathConfig(base: RewardConfig): RewardConfig {
  return makeRewardConfig({ ...base, generic_tools: [...DEFAULT_GENERIC_TOOLS, "tool_no_rollout_calls"] });
}

function classCount(experimentId: number): number {
  return t.db.$client.prepare(`SELECT count(*) FROM rollout_classes WHERE experiment_id = ? AND class_key = ?`).pluck().get(experimentId, DEFAULT_CLASS_KEY) as number;
}

function perTurn(d: ColumnarRollouts) {
  const n = d.nTurns;
  return {
    ids: d.rolloutIds.slice(0, d.nRollouts),
    offsets: Array.from(d.turnOffsets.subarray(0, d.nRollouts + 1)),
    masks: Array.from(d.turnMask.subarray(0, n)),
    soft: Array.from(d.turnSoft.subarray(0, n)),
    tokens: Array.from(d.turnTokens.subarray(0, n)),
    pos: Array.from(d.turnPos.subarray(0, n)),
    groups: Array.from(d.rolloutGroup.subarray(0, d.nRollouts), (g) => d.groupIds[g]),
    w: Array.from(d.rolloutW.subarray(0, d.nRollouts)),
    b: Array.from(d.rolloutB.subarray(0, d.nRollouts)),
  };
}

/** Canonical actions compared as a partition (ids differ: strings vs hashes, same equalities). */
function actionPartition(d: ColumnarRollouts): number[] {
  const first = new Map<number, number>();
  return Array.from(d.turnAction.subarray(0, d.nTurns), (a, t) => {
    if (!first.has(a)) first.set(a, t);
    return first.get(a)!;
  });
}

describe("class blob", () => {
  it("round-trips masks, soft fractions, tokens and action identity", async () => {
    const { tasks, rollouts } = await fixtureRollouts(3);
    const gold = new Map(tasks.map((task) => [task.id, goldOfTask(task)]));
    for (const r of rollouts.slice(0, 12)) {
      const c = classifyRollout(r, DEFAULT_REWARD_CONFIG, gold.get(r.task_id));
      const v = decodeClassBlob(classBlobOf(r.messages, gold.get(r.task_id) ?? []))!;
      expect(v.nTurns).toBe(c.turns.length);
      expect(Array.from(v.mask)).toEqual(c.turns.map((x) => x.mask));
      expect(Array.from(v.soft)).toEqual(c.turns.map((x) => x.soft));
      expect(Array.from(v.tokens)).toEqual(c.turns.map((x) => x.tokens));
      expect(Array.from(v.action, (a) => v.actionHash[a])).toEqual(c.turns.map((x) => hashAction(x.action)));
    }
    expect(hashAction("message")).toBe(MESSAGE_HASH);
    expect(hashAction('get_user_details({"user_id":"a"})')).not.toBe(hashAction('get_user_details({"user_id":"b"})'));
    expect(Number.isSafeInteger(hashAction("x".repeat(1000)))).toBe(true);
  });

  it("rejects a blob of another version or a truncated one, and decodes from an unaligned Buffer", () => {
    const blob = encodeClassBlob({ masks: [1, 2, 4], soft: [0, 0.5, 0], tokens: [3, -1, 7], actions: ["a", "message", "a"] });
    const other = Buffer.from(blob);
    other.writeUInt32LE(99, 0);
    expect(decodeClassBlob(other)).toBeNull();
    expect(decodeClassBlob(blob.subarray(0, blob.length - 1))).toBeNull();
    const shifted = Buffer.alloc(blob.length + 3);
    blob.copy(shifted, 3);
    const v = decodeClassBlob(shifted.subarray(3))!;
    expect(Array.from(v.soft)).toEqual([0, 0.5, 0]);
    expect(Array.from(v.tokens)).toEqual([3, -1, 7]);
    expect(v.nActions).toBe(2);
    expect(v.action[0]).toBe(v.action[2]);
  });
});

describe("calibration store from class rows", () => {
  it("equals the store built from messages, backfills missing rows lazily, and needs no message body afterwards", async () => {
    const { tasks, rollouts } = await fixtureRollouts(3);
    const half = Math.floor(rollouts.length / 2);
    const id = insertExperiment(t.db, "classes", tasks, rollouts.slice(0, half), 7_000_000);
    expect(classCount(id)).toBe(0);

    // First load: no class rows yet → classified from messages and written back.
    clearCalibrationStore();
    const cfg = makeRewardConfig({ ...NAIVE_V5, estimator: "hybrid" });
    expect(classificationKey(cfg)).toBe(DEFAULT_CLASS_KEY);
    const backfilled = runAnalysis(t.db, id, { config: cfg, include: [...SECTIONS] });
    expect(classCount(id)).toBe(half);

    // Live append of rollouts without class rows: backfilled as they arrive.
    addRollouts(t.db, id, tasks, rollouts.slice(half), 7_000_000 + half);
    const live = getExperimentData(t.db, id, classifyOptionsOf(cfg));
    expect(live.data.nRollouts).toBe(rollouts.length);
    expect(classCount(id)).toBe(rollouts.length);
    const liveResult = runAnalysis(t.db, id, { config: cfg, include: [...SECTIONS] });
    expect(liveResult.analysis.n_rollouts).toBe(rollouts.length);
    expect(backfilled.analysis.n_rollouts).toBe(half);

    // Reference: the message path of the same classification (another key, same result).
    const viaMessages = getExperimentData(t.db, id, classifyOptionsOf(messagePathConfig(cfg)));
    expect(viaMessages.data.classKey).not.toBe(DEFAULT_CLASS_KEY);
    const refTurns = perTurn(viaMessages.data);
    const refActions = actionPartition(viaMessages.data);
    const ref = runAnalysis(t.db, id, { config: messagePathConfig(cfg), include: [...SECTIONS] });
    const calibrated = makeRewardConfig({ ...cfg, tiers: { ...cfg.tiers, read: 0, state: -0.1 } });
    const refCal = runAnalysis(t.db, id, { config: messagePathConfig(calibrated) });

    // Fresh process cache, message bodies gone: everything comes from summary rows + class rows.
    t.db.$client.prepare(`DELETE FROM rollout_messages WHERE rollout_id IN (SELECT id FROM rollouts WHERE experiment_id = ?)`).run(id);
    clearCalibrationStore();
    const fromClasses = getExperimentData(t.db, id, classifyOptionsOf(cfg));
    expect(fromClasses.data.classKey).toBe(DEFAULT_CLASS_KEY);
    expect(perTurn(fromClasses.data)).toEqual(refTurns);
    expect(actionPartition(fromClasses.data)).toEqual(refActions);
    const got = runAnalysis(t.db, id, { config: cfg, include: [...SECTIONS] });
    expect(got.analysis).toEqual(ref.analysis);
    for (const s of SECTIONS) expect(got[s], s).toEqual(ref[s]);
    expect(got.analysis).toEqual(liveResult.analysis);
    expect(got.analysis.dead_turn_pct_cancel).not.toBeNull();

    // A tier-value change reuses the loaded classes (no reload) and still matches the message path.
    expect(getExperimentData(t.db, id, classifyOptionsOf(calibrated)).changed).toBe(false);
    expect(runAnalysis(t.db, id, { config: calibrated }).analysis).toEqual(refCal.analysis);
  });

  it("rewrites a class row stored under another key or blob version", async () => {
    const { tasks, rollouts } = await fixtureRollouts(3);
    const id = insertExperiment(t.db, "stale", tasks, rollouts.slice(0, 8), 8_000_000);
    clearCalibrationStore();
    getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5));
    const c = t.db.$client;
    c.prepare(`UPDATE rollout_classes SET class_key = 'old' WHERE rollout_id IN (SELECT id FROM rollouts WHERE experiment_id = ? AND sample_index = 0)`).run(id);
    c.prepare(`UPDATE rollout_classes SET data = x'00' WHERE rollout_id IN (SELECT id FROM rollouts WHERE experiment_id = ? AND sample_index = 1)`).run(id);
    const before = runAnalysis(t.db, id, { config: NAIVE_V5 }).analysis;
    clearCalibrationStore();
    expect(runAnalysis(t.db, id, { config: NAIVE_V5 }).analysis).toEqual(before);
    expect(classCount(id)).toBe(8);
    const bad = c.prepare(`SELECT data FROM rollout_classes rc JOIN rollouts r ON r.id = rc.rollout_id WHERE r.experiment_id = ?`).pluck().all(id) as Buffer[];
    expect(bad.every((b) => decodeClassBlob(b) !== null)).toBe(true);
  });
});

describe("class rows written on finalisation", () => {
  function expectRowsMatchMessages(experimentId: number, goldOf: (taskId: string) => Task | undefined): number {
    const rows = t.db.$client
      .prepare(`SELECT r.id, r.task_id, rc.class_key, rc.n_turns, rc.data FROM rollouts r LEFT JOIN rollout_classes rc ON rc.rollout_id = r.id WHERE r.experiment_id = ? AND r.status = 'done'`)
      .all(experimentId) as { id: string; task_id: string; class_key: string | null; n_turns: number; data: Buffer | null }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.class_key, r.id).toBe(DEFAULT_CLASS_KEY);
      const expected = classBlobOf(getRolloutMessages(t.db, r.id), goldOfTask(goldOf(r.task_id)));
      expect(Buffer.compare(r.data!, expected), r.id).toBe(0);
      expect(r.n_turns).toBe(decodeClassBlob(r.data)!.nTurns);
    }
    return rows.length;
  }

  it("the rollouts.run job writes each finished rollout's class row, equal to a backfill from its messages", async () => {
    const tasks = synthesizeSmall([{ writes: 1, evidence: 2, count: 2 }, { writes: 2, evidence: 1, count: 2 }]);
    const { experiment, job } = createSimulatedExperiment(t.db, { setName: "classes-run", name: "classes run", tasks, groupSize: 3, concurrency: 2 });
    await runJobToSuccess(t.db, job.id);
    const byId = new Map(tasks.map((task) => [task.id, task]));
    const n = expectRowsMatchMessages(experiment.id, (taskId) => byId.get(taskId));
    expect(n).toBe(classCount(experiment.id));
    // A load reads the stored rows and writes nothing more.
    clearCalibrationStore();
    expect(getExperimentData(t.db, experiment.id, classifyOptionsOf(NAIVE_V5)).data.nRollouts).toBe(tasks.length * 3);
  });

  it("an import writes the class rows in its transaction", async () => {
    const { rollouts } = await fixtureRollouts(3);
    const text = rollouts.slice(0, 10).map((r) => JSON.stringify(r)).join("\n");
    const res = importExperiment(t.db, { from: "jsonl", text, name: "classes import" });
    expect(classCount(res.experiment_id)).toBe(10);
    // JSONL imports ship no tasks: classified against no gold, as the store does.
    expectRowsMatchMessages(res.experiment_id, () => undefined);
  });
});
