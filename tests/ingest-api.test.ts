/**
 * POST /api/v1/ingest through its route handler on a temp database: 207 with per-event
 * successes and errors (id + field), idempotent replays, 409 on changed content, unknown
 * task ids and runs, out-of-order steps, the 4 MB limit, WRIT Lab's own scoring beside the
 * trainer's numbers, the run in GET /api/experiments, and the workbench store growing as
 * groups land.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import * as ingestRoute from "../app/api/v1/ingest/route";
import * as experimentsRoute from "../app/api/experiments/route";
import { simulateStep, type SimulatedGroup } from "../lib/ingest/simulate";
import { listRunSteps } from "../lib/ingest/store/training-runs";
import { clearIngestTaskCache } from "../lib/ingest/task-sets";
import { getExperimentData } from "../lib/calibration/experiment-data";
import { DEFAULT_CLASS_OPTIONS } from "../lib/calibration/class-store";
import { evaluateTrajectory, isSuccess } from "../lib/rollouts/evaluate";
import { getGeneratedState } from "../lib/airline";
import type { Task } from "../lib/types/task";
import type { Message } from "../lib/types/messages";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

let tasks: Task[];
let groups: SimulatedGroup[];
/** The first group as the first test sent it (with the trainer's numbers). */
let sent: SimulatedGroup;
const appDb = appTempDb("writ-ingest-api-", { caches: [clearIngestTaskCache] });

async function ingest(batch: unknown, raw?: string) {
  const r = await ingestRoute.POST(new Request("http://x/api/v1/ingest", { method: "POST", body: raw ?? JSON.stringify({ batch }) }));
  return { status: r.status, body: await r.json() };
}

const upsert = (id: string, body: Record<string, unknown> = {}) => ({ id, type: "run.upsert", body: { run_id: "r-1", name: "qwen-mtgrpo", task_set: "ingest-set", trainer: "verl", group_size: 4, ...body } });
const groupEvent = (id: string, g: object, extra: Record<string, unknown> = {}) => ({ id, type: "group.create", body: { run_id: "r-1", ...g, ...extra } });

beforeAll(async () => {
  appDb.open();
  tasks = synthesizeSmall([{ writes: 1, evidence: 1, count: 2 }, { writes: 2, evidence: 4, count: 1 }]);
  insertTaskSet(getDb(), "ingest-set", tasks);
  groups = [...(await simulateStep(tasks, 0, 3, 4)), ...(await simulateStep(tasks, 2, 3, 4))];
});
afterAll(() => appDb.close());

describe("POST /api/v1/ingest", () => {
  it("creates the run, scores each trajectory itself and keeps the trainer's numbers beside", async () => {
    const g = groups[0];
    // The trainer claims reward 0.25 for every trajectory; WRIT Lab's outcome must come from its evaluator.
    sent = { ...g, trajectories: g.trajectories.map((t, i) => ({ ...t, reward: 0.25, reward_components: { format: 1 }, turn_advantages: [0.5, -0.5], advantage: i - 1.5 })) };
    const r = await ingest([upsert("e1"), groupEvent("e2", sent)]);
    expect(r.status).toBe(207);
    expect(r.body.errors).toEqual([]);
    expect(r.body.successes.map((s: { id: string; status: number }) => [s.id, s.status])).toEqual([["e1", 201], ["e2", 201]]);
    const expId = r.body.successes[0].experiment_id as number;
    const rows = getDb().$client.prepare(`SELECT * FROM rollouts WHERE experiment_id = ? ORDER BY sample_index`).all(expId) as Record<string, unknown>[];
    expect(rows).toHaveLength(4);
    const task = tasks.find((t) => t.id === g.task_id)!;
    rows.forEach((row, i) => {
      const t = g.trajectories[i];
      const e = evaluateTrajectory({ task, messages: t.messages, termination: t.termination as "user_stop", baseState: getGeneratedState(task.writ!.state_seed!) });
      expect(row.outcome).toBe(isSuccess(e.reward) ? 1 : 0);
      expect(row.trainer_reward).toBe(0.25);
      expect(row.trainer_advantage).toBe(i - 1.5);
      expect(JSON.parse(row.trainer_turn_advantages as string)).toEqual([0.5, -0.5]);
      expect(JSON.parse(row.trainer_reward_components as string)).toEqual({ format: 1 });
      expect(row.external_id).toBe(t.trajectory_id);
      expect(row.step).toBe(0);
      expect(row.preset).toBe(t.metadata.preset);
    });
    const classes = getDb().$client.prepare(`SELECT count(*) FROM rollout_classes WHERE experiment_id = ?`).pluck().get(expId);
    expect(classes).toBe(4);
    const msgs = getDb().$client.prepare(`SELECT count(*) FROM rollout_messages m JOIN rollouts r ON r.id = m.rollout_id WHERE r.experiment_id = ?`).pluck().get(expId);
    expect(msgs).toBe(g.trajectories.reduce((s, t) => s + t.messages.length, 0));

    const list = await experimentsRoute.GET(new Request("http://x/api/experiments"));
    const item = (await list.json()).experiments.find((e: { id: number }) => e.id === expId);
    expect(item).toMatchObject({ name: "qwen-mtgrpo", source: "training", status: "running", rollouts_done: 4, group_size: 4 });
  });

  it("replays are no-ops, changed content is a 409, and arguments as JSON strings hash the same", async () => {
    const g = sent;
    const asStrings = {
      ...g,
      trajectories: g.trajectories.map((t) => ({
        ...t,
        messages: t.messages.map((m: Message) => (m.role === "assistant" && m.tool_calls ? { ...m, tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : m)),
      })),
    };
    const changed = { ...g, trajectories: g.trajectories.map((t, i) => (i === 1 ? { ...t, messages: t.messages.slice(0, -1) } : t)) };
    const stolen = { ...groups[1], group_id: "other", trajectories: [g.trajectories[0]] };
    const r = await ingest([upsert("u2"), groupEvent("again", asStrings), groupEvent("changed", changed), groupEvent("stolen", stolen)]);
    expect(r.status).toBe(207);
    expect(r.body.successes).toEqual([
      expect.objectContaining({ id: "u2", status: 200, unchanged: true }),
      expect.objectContaining({ id: "again", status: 200, unchanged: true }),
    ]);
    expect(r.body.errors).toEqual([
      expect.objectContaining({ id: "changed", status: 409, field: "body.group_id" }),
      expect.objectContaining({ id: "stolen", status: 409, field: "body.trajectories.0.trajectory_id" }),
    ]);
    const n = getDb().$client.prepare(`SELECT count(*) FROM rollouts r JOIN experiments e ON e.id = r.experiment_id WHERE e.external_run_id = 'r-1'`).pluck().get();
    expect(n).toBe(4);
  });

  it("reports bad events by id and field while the good ones beside them land; steps may arrive out of order", async () => {
    const late = groups.find((g) => g.step === 2)!;
    const early = groups.filter((g) => g.step === 0)[1];
    const noMessages = { ...early, group_id: "bad-msg", trajectories: [{ ...early.trajectories[0], trajectory_id: "x1", messages: [{ role: "robot", content: "hi" }] }] };
    const r = await ingest([
      groupEvent("late", late),
      groupEvent("unknown-task", { ...early, group_id: "u", task_id: "no-such-task" }),
      groupEvent("bad-role", noMessages),
      { id: "no-step", type: "group.create", body: { run_id: "r-1", group_id: "z", task_id: early.task_id, trajectories: early.trajectories } },
      groupEvent("unknown-run", early, { run_id: "nope" }),
      { id: "weird", type: "run.delete", body: {} },
      groupEvent("early", early),
    ]);
    expect(r.status).toBe(207);
    expect(r.body.successes.map((s: { id: string }) => s.id)).toEqual(["late", "early"]);
    const errors = Object.fromEntries(r.body.errors.map((e: { id: string; status: number; field: string }) => [e.id, [e.status, e.field]]));
    expect(errors).toEqual({
      "unknown-task": [400, "body.task_id"],
      "bad-role": [400, "body.trajectories.0.messages.0.role"],
      "no-step": [400, "body.step"],
      "unknown-run": [404, "body.run_id"],
      weird: [400, "type"],
    });
    const expId = r.body.successes[0].experiment_id as number;
    expect(listRunSteps(getDb(), expId).map((s) => [s.step, s.rollouts])).toEqual([[0, 8], [2, 4]]);
  });

  it("the workbench store picks up a group as it lands", async () => {
    const expId = (await ingest([upsert("u3")])).body.successes[0].experiment_id as number;
    const before = getExperimentData(getDb(), expId, DEFAULT_CLASS_OPTIONS);
    const n0 = before.data.nRollouts;
    const next = groups.filter((g) => g.step === 2)[1];
    expect((await ingest([groupEvent("more", next)])).body.successes[0].status).toBe(201);
    const after = getExperimentData(getDb(), expId, DEFAULT_CLASS_OPTIONS);
    expect(after.changed).toBe(true);
    expect(after.data.nRollouts).toBe(n0 + next.trajectories.length);
  });

  it("finishes the run once, and refuses more than 4 MB with a 413 naming the limit", async () => {
    const f1 = await ingest([{ id: "f", type: "run.finish", body: { run_id: "r-1" } }]);
    expect(f1.body.successes[0]).toMatchObject({ id: "f", status: 200 });
    const f2 = await ingest([{ id: "f", type: "run.finish", body: { run_id: "r-1" } }]);
    expect(f2.body.successes[0]).toMatchObject({ unchanged: true });
    const status = getDb().$client.prepare(`SELECT status FROM experiments WHERE external_run_id = 'r-1'`).pluck().get();
    expect(status).toBe("completed");

    const big = JSON.stringify({ batch: [{ id: "x", type: "run.finish", body: { run_id: "r-1", error: "x".repeat(4 * 1024 * 1024) } }] });
    const r = await ingest(null, big);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toContain("4 MB");
    const bad = await ingest(null, "{not json");
    expect(bad.status).toBe(400);
    const noBatch = await ingest(null, JSON.stringify({ events: [] }));
    expect(noBatch.body.error.field).toBe("batch");
  });
});
