/**
 * The workbench's analysis thread (lib/calibration/estimator-thread) with a real worker thread:
 * the route's answer is the same split across two threads as on one; a thread that fails,
 * hangs or dies is dropped and the request thread computes what is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { closeDb, openDb, type Db } from "../db/client";
import { runAnalysis, runAnalysisParallel } from "../lib/calibration/analysis";
import { WORKBENCH_SECTIONS } from "../lib/api-client/calibration";
import { EstimatorThread, spawnAnalysisThread } from "../lib/calibration/estimator-thread";
import { classifyOptionsOf, clearCalibrationStore, getExperimentData } from "../lib/calibration/experiment-data";
import { makeSyntheticColumnar, sliceView, summarizeEstimators } from "../lib/analysis";
import { makeRewardConfig, NAIVE_V5, type RewardConfig } from "../lib/rewards";
import type { AnalysisResponse } from "../lib/calibration/api-types";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";

let dir: string;
let db: Db;
let exp: number;
const threads: EstimatorThread[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "writ-analysis-thread-"));
  db = openDb(join(dir, "writ.db"));
  clearCalibrationStore();
  const { tasks, rollouts } = await fixtureRollouts(5);
  exp = insertExperiment(db, "threaded", tasks, rollouts);
});

afterAll(async () => {
  await Promise.all(threads.map((t) => t.close()));
  clearCalibrationStore();
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newThread(spawn: () => Worker, timeoutMs?: number, log: string[] = []): EstimatorThread {
  const t = new EstimatorThread(spawn, (m) => log.push(m), timeoutMs);
  threads.push(t);
  return t;
}

/** Offer the experiment's current data and wait until the thread holds it. */
async function holdData(thread: EstimatorThread, config: RewardConfig): Promise<void> {
  const { data } = getExperimentData(db, exp, classifyOptionsOf(config));
  thread.offer(data, null);
  thread.offer(data, null);
  for (let i = 0; i < 300 && !thread.holds(data); i++) await sleep(20);
  expect(thread.holds(data)).toBe(true);
}

/** The response without the fields that say how it was computed. */
const numbers = (r: AnalysisResponse) => ({ ...r, computed_ms: 0, cached: false });

const configs = (["grpo", "mt_grpo", "gtpo", "hybrid"] as const).map((estimator) =>
  makeRewardConfig({ ...NAIVE_V5, estimator, tiers: { ...NAIVE_V5.tiers, read: 0.23 } }),
);

describe("analysis thread", () => {
  it("gives the same response as one thread, for every configured estimator, and is really used", async () => {
    const thread = newThread(spawnAnalysisThread);
    let runs = 0;
    const summarize = thread.summarize.bind(thread);
    thread.summarize = (...args) => {
      runs++;
      return summarize(...args);
    };
    for (const config of configs) {
      for (const slice of [null, { w: 1 }]) {
        clearCalibrationStore();
        const input = { config, slice, include: [...WORKBENCH_SECTIONS] };
        // Requests on new data run on one thread; the second on the same version hands the thread a copy.
        const first = await runAnalysisParallel(db, exp, input, thread);
        await runAnalysisParallel(db, exp, { ...input, config: { ...config, tiers: { ...config.tiers, read: 0.29 } } }, thread);
        expect(runs).toBe(0);
        // A slice that keeps whole groups is analysed (and handed to the thread) as its own view.
        const { data } = sliceView(getExperimentData(db, exp, classifyOptionsOf(config)).data, slice);
        for (let i = 0; i < 300 && !thread.holds(data); i++) await sleep(20);
        expect(thread.holds(data)).toBe(true);
        const split = await runAnalysisParallel(db, exp, { ...input, config: { ...config, tiers: { ...config.tiers, read: 0.31 } } }, thread);
        expect(runs).toBe(1);
        runs = 0;
        clearCalibrationStore();
        const one = runAnalysis(db, exp, { ...input, config: { ...config, tiers: { ...config.tiers, read: 0.31 } } });
        expect(numbers(split)).toEqual(numbers(one));
        expect(JSON.stringify(numbers(split))).toBe(JSON.stringify(numbers(one)));
        expect(Object.keys(split.estimators!)).toEqual(["grpo", "mt_grpo", "gtpo", "hybrid"]);
        expect(first.estimators![config.estimator].mismatches).toBe(first.analysis.mismatches);
      }
    }
  });

  it("summarises a snapshot in the thread exactly as in-process", async () => {
    const thread = newThread(spawnAnalysisThread);
    const data = makeSyntheticColumnar({ groups: 30, groupSize: 5, turns: 10, ragged: true, seed: 9 });
    thread.offer(data, { config: configs[0], slice: null, kinds: ["gtpo", "hybrid"] });
    await sleep(100);
    expect(thread.holds(data)).toBe(false); // offered once: not copied yet
    thread.offer(data, { config: configs[0], slice: null, kinds: ["gtpo", "hybrid"] });
    for (let i = 0; i < 300 && !thread.holds(data); i++) await sleep(20);
    expect(thread.holds(data)).toBe(true);
    for (const config of configs) {
      const kinds = (["mt_grpo", "gtpo", "hybrid"] as const).filter((k) => k !== config.estimator);
      expect(await thread.summarize(data, config, { b: [2, 4] }, kinds)).toEqual(summarizeEstimators(data, config, { slice: { b: [2, 4] } }, kinds));
    }
    // New rows bump the version: the thread no longer holds the data and says so.
    data.version++;
    expect(thread.holds(data)).toBe(false);
    await expect(thread.summarize(data, configs[0], null, ["gtpo"])).rejects.toThrow(/does not hold/);
  });

  it("a thread that errors, hangs or exits is dropped; the request thread computes the rest", async () => {
    const config = configs[2];
    const input = { config, slice: null, include: [...WORKBENCH_SECTIONS] };
    clearCalibrationStore();
    const one = runAnalysis(db, exp, input);
    // Loads fine, then answers every run with an error, hangs, or exits.
    const fake = (onRun: string) => () =>
      new Worker(
        `const { parentPort } = require("node:worker_threads");
         parentPort.on("message", (m) => {
           if (m.type === "load") return parentPort.postMessage({ type: "loaded", key: m.key });
           ${onRun}
         });`,
        { eval: true },
      );
    const cases = [
      { name: "error", onRun: `parentPort.postMessage({ type: "error", id: m.id, key: m.key, message: "boom" });`, failsThread: false },
      { name: "hang", onRun: `/* never answers */`, failsThread: true },
      { name: "exit", onRun: `process.exit(3);`, failsThread: true },
    ];
    for (const c of cases) {
      const log: string[] = [];
      const thread = newThread(fake(c.onRun), 300, log);
      clearCalibrationStore();
      await holdData(thread, config);
      const r = await runAnalysisParallel(db, exp, input, thread);
      expect(numbers(r), c.name).toEqual(numbers(one));
      const { data } = getExperimentData(db, exp, classifyOptionsOf(config));
      expect(thread.holds(data), c.name).toBe(!c.failsThread);
      if (c.failsThread) expect(log.join("\n"), c.name).toMatch(c.name === "hang" ? /no answer within 300 ms/ : /exited with code 3/);
    }
  });

  it("identical requests while one is being computed share its answer (one thread run)", async () => {
    const thread = newThread(spawnAnalysisThread);
    const config = makeRewardConfig({ ...configs[3], tiers: { ...configs[3].tiers, read: 0.37 } });
    clearCalibrationStore();
    await holdData(thread, config);
    let runs = 0;
    const summarize = thread.summarize.bind(thread);
    thread.summarize = (...args) => {
      runs++;
      return summarize(...args);
    };
    const input = { config, slice: null, include: [...WORKBENCH_SECTIONS] };
    const [a, b] = await Promise.all([runAnalysisParallel(db, exp, input, thread), runAnalysisParallel(db, exp, input, thread)]);
    expect(runs).toBe(1);
    expect([a.cached, b.cached]).toEqual([false, true]);
    expect(numbers(b)).toEqual(numbers(a));
    // A different config is computed on its own.
    const c = await runAnalysisParallel(db, exp, { ...input, config: { ...config, tiers: { ...config.tiers, read: 0.38 } } }, thread);
    expect(c.cached).toBe(false);
    expect(runs).toBe(2);
  });

  it("a run's clock starts when the runs before it are answered: a queue is not a hang", async () => {
    // Answers each run after 200 ms of busy work (the thread computes one run at a time).
    const slow = () =>
      new Worker(
        `const { parentPort } = require("node:worker_threads");
         parentPort.on("message", (m) => {
           if (m.type === "load") return parentPort.postMessage({ type: "loaded", key: m.key });
           const until = Date.now() + 200;
           while (Date.now() < until);
           parentPort.postMessage({ type: "result", id: m.id, summaries: {} });
         });`,
        { eval: true },
      );
    const log: string[] = [];
    const thread = newThread(slow, 300, log);
    clearCalibrationStore();
    await holdData(thread, configs[0]);
    const { data } = getExperimentData(db, exp, classifyOptionsOf(configs[0]));
    // Three runs at once: the last answers after ~600 ms, past the 300 ms timeout, and yet none times out.
    const runs = [0, 1, 2].map(() => thread.summarize(data, configs[0], null, ["gtpo"]));
    expect(thread.backlog).toBe(3);
    await expect(Promise.all(runs)).resolves.toEqual([{}, {}, {}]);
    expect(log).toEqual([]);
    expect(thread.holds(data)).toBe(true);
    expect(thread.backlog).toBe(0);
  });

  it("after repeated failures the process stops using a thread", async () => {
    const log: string[] = [];
    const thread = newThread(() => new Worker(`process.exit(1)`, { eval: true }), 300, log);
    const data = makeSyntheticColumnar({ groups: 4, groupSize: 3, turns: 4, seed: 1 });
    for (let i = 0; i < 3; i++) {
      thread.offer(data, null);
      thread.offer(data, null);
      for (let j = 0; j < 100 && log.length <= i; j++) await sleep(10);
    }
    expect(log).toHaveLength(3);
    expect(log[2]).toMatch(/one thread from now on/);
    expect(thread.usable).toBe(false);
    thread.offer(data, null);
    thread.offer(data, null);
    await sleep(50);
    expect(log).toHaveLength(3);
  });
});
