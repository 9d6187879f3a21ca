/**
 * The scoring thread (lib/reward-serving/thread.ts): a real worker thread with its own SQLite
 * connection answers byte for byte what the request thread answers (native endpoint, both
 * shims, errors, 304); a thread that dies is dropped, its requests fail over, and after
 * MAX_FAILURES it is no longer used.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { createIteration } from "../lib/calibration/iterations";
import { clearRewardServingCaches } from "../lib/reward-serving/resolve";
import { serve, type ServeInput } from "../lib/reward-serving/serve";
import { MAX_FAILURES, ScoringThread, spawnScoringThread } from "../lib/reward-serving/thread";
import { CALIBRATED } from "../lib/rewards";
import type { Rollout } from "../lib/types/rollout";
import type { Task } from "../lib/types/task";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";
import { renderQwen25, toTemplateMessages } from "./qwen-template";
import { appTempDb } from "./fixtures/app-db";

const appDb = appTempDb("writ-reward-thread-", { caches: [clearCalibrationStore, clearRewardServingCaches] });
let tasks: Task[];
let rollouts: Rollout[];
let iterationId: number;
let thread: ScoringThread;

beforeAll(async () => {
  appDb.open();
  ({ tasks, rollouts } = await fixtureRollouts(3));
  const experimentId = insertExperiment(getDb(), "thread", tasks, rollouts);
  iterationId = createIteration(getDb(), { experiment_id: experimentId, config: CALIBRATED }).id;
  thread = new ScoringThread(spawnScoringThread, () => {});
});

afterAll(async () => {
  await thread?.close();
  appDb.close();
});

const group = (taskId: string) => rollouts.filter((r) => r.task_id === taskId);

function inputs(): ServeInput[] {
  const task = tasks.find((t) => new Set(group(t.id).map((r) => r.outcome)).size === 2)!;
  const body = { task_id: task.id, trajectories: group(task.id).map((r) => ({ trajectory_id: r.rollout_id, messages: r.messages })) };
  const r = group(task.id)[0];
  const query = renderQwen25(toTemplateMessages(r.messages, "policy"));
  return [
    { op: "score", iteration: String(iterationId), search: "", ifNoneMatch: null, text: JSON.stringify(body) },
    { op: "score", iteration: "latest", search: "", ifNoneMatch: null, text: JSON.stringify({ ...body, estimator: "mt_grpo" }) },
    { op: "score", iteration: String(iterationId), search: "", ifNoneMatch: null, text: JSON.stringify({ ...body, task_id: "missing" }) },
    { op: "score", iteration: String(iterationId), search: "", ifNoneMatch: null, text: "{oops" },
    { op: "openrlhf", iteration: "latest", search: "?reward=outcome", ifNoneMatch: null, text: JSON.stringify({ query: [query], prompts: [""], labels: [task.id] }) },
    { op: "slime", iteration: "latest", search: "", ifNoneMatch: null, text: JSON.stringify({ prompt: query, response: "", label: task.id }) },
  ];
}

describe("scoring thread", () => {
  it("answers exactly what the request thread answers", async () => {
    const dbPath = getDb().$client.name;
    const statuses: number[] = [];
    for (const input of inputs()) {
      const here = await serve(getDb(), input);
      const there = await thread.run(dbPath, input);
      expect(there).toEqual(here);
      statuses.push(there.status);
    }
    expect(statuses).toEqual([200, 200, 404, 400, 200, 200]);
    // The ETag from the thread makes the request thread answer 304, and the other way round.
    const first = await thread.run(dbPath, inputs()[0]);
    const notModified = await serve(getDb(), { ...inputs()[0], ifNoneMatch: first.headers.etag });
    expect(notModified.status).toBe(304);
  });

  it("serves concurrent requests in order of their ids", async () => {
    const dbPath = getDb().$client.name;
    const batch = inputs();
    const answers = await Promise.all(batch.map((i) => thread.run(dbPath, i)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 400, 200, 200]);
  });

  it("drops a thread that dies and stops using one after MAX_FAILURES", async () => {
    let spawned = 0;
    const dying = new ScoringThread(
      () => {
        spawned++;
        return new Worker("process.exit(3)", { eval: true });
      },
      () => {},
    );
    for (let i = 0; i < MAX_FAILURES; i++) {
      await expect(dying.run(getDb().$client.name, inputs()[0])).rejects.toThrow(/exited with code 3|was closed|not available/);
    }
    expect(dying.usable).toBe(false);
    expect(spawned).toBe(MAX_FAILURES);
    await expect(dying.run(getDb().$client.name, inputs()[0])).rejects.toThrow(/not available/);
  });
});
