/**
 * POST /api/v1/reward-configs/:iteration/score through its route handler over a temp db: the
 * answer's shape (turn reasons, gold actions, group flags), single trajectories (advantages
 * undefined, not 0), `latest`, ETag / If-None-Match, 4xx naming the field, trajectories the
 * evaluator cannot replay, chat-template text instead of messages, and `ingest` storing the
 * group through the ingestion API's path.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "../db/server";
import { experiments, rollouts as rolloutsTable } from "../db/schema";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { clearRewardServingCaches } from "../lib/reward-serving/resolve";
import { ingestBatch } from "../lib/ingest/ingest";
import { AIRLINE_TOOL_SCHEMAS } from "../lib/airline";
import { CALIBRATED, NAIVE_V5, TIER_NAMES } from "../lib/rewards";
import type { Rollout } from "../lib/types/rollout";
import type { Task } from "../lib/types/task";
import type { RewardConfigIteration } from "../lib/calibration/api-types";
import type { ScoreAnswer } from "../lib/reward-serving/request";
import * as scoreRoute from "../app/api/v1/reward-configs/[iteration]/score/route";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";
import { renderQwen25, toTemplateMessages } from "./qwen-template";
import { appTempDb } from "./fixtures/app-db";
import { listIterationsOf, saveIteration } from "./fixtures/reward-configs";

vi.mock("next/server", () => ({ connection: async () => {} }));

const appDb = appTempDb("writ-reward-api-", { caches: [clearCalibrationStore, clearRewardServingCaches] });
let tasks: Task[];
let rollouts: Rollout[];
let experimentId: number;
let seed: RewardConfigIteration;
let calibrated: RewardConfigIteration;
let setId: number;

async function post(iteration: string | number, body: unknown, headers: Record<string, string> = {}, query = "") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const res = await scoreRoute.POST(new Request(`http://x/api/v1/reward-configs/${iteration}/score${query}`, { method: "POST", body: text, headers }), {
    params: Promise.resolve({ iteration: String(iteration) }),
  });
  const raw = await res.text();
  return { status: res.status, etag: res.headers.get("etag"), raw, body: raw ? JSON.parse(raw) : null };
}

const groupOf = (taskId: string) => rollouts.filter((r) => r.task_id === taskId);
const asTrajectories = (rs: readonly Rollout[]) => rs.map((r) => ({ trajectory_id: r.rollout_id, messages: r.messages, termination: r.termination }));
/** A task whose group has passes and failures (live outcome advantages). */
const mixedTask = () => tasks.find((t) => new Set(groupOf(t.id).map((r) => r.outcome)).size === 2)!;

beforeAll(async () => {
  appDb.open();
  ({ tasks, rollouts } = await fixtureRollouts(3));
  experimentId = insertExperiment(getDb(), "serving", tasks, rollouts);
  setId = getDb().select({ t: experiments.taskSetId }).from(experiments).where(eq(experiments.id, experimentId)).get()!.t!;
  calibrated = await saveIteration({ experiment_id: experimentId, config: CALIBRATED, note: "calibrated" });
  seed = (await listIterationsOf(experimentId))[0];
});

afterAll(() => appDb.close());

describe("the answer", () => {
  it("scores a group: outcome, evaluation, per-turn tier with reason, advantages and group flags", async () => {
    const task = mixedTask();
    const group = groupOf(task.id);
    const r = await post(calibrated.id, { task_id: task.id, trajectories: asTrajectories(group) });
    expect(r.status).toBe(200);
    const a = r.body as ScoreAnswer;
    expect(a.iteration).toBe(calibrated.id);
    expect(a.config_hash).toBe(calibrated.hash);
    expect(a.estimator).toBe("hybrid");
    expect(a.results.map((x) => x.trajectory_id)).toEqual(group.map((g) => g.rollout_id));
    expect(a.results.map((x) => x.outcome)).toEqual(group.map((g) => g.outcome));
    const gold = task.evaluation_criteria!.actions!.map((x) => x.name);
    let goldTurns = 0;
    for (const res of a.results) {
      expect(res.evaluation).toHaveProperty("db_match");
      expect(res.evaluation.termination_source).toBe("given");
      for (const t of res.turns) {
        expect(TIER_NAMES).toContain(t.tier);
        expect(t.classes).toContain(t.tier);
        expect(typeof t.advantage).toBe("number");
        expect(t.reason.length).toBeGreaterThan(5);
        if (t.tier === "gold") {
          goldTurns++;
          expect(gold).toContain(t.gold_action!.name);
          expect(t.reason).toContain(t.gold_action!.name);
        } else expect(t.gold_action).toBeNull();
      }
    }
    expect(goldTurns).toBeGreaterThan(0);
    const rewards = a.results.map((x) => x.reward);
    const mean = rewards.reduce((s, x) => s + x, 0) / rewards.length;
    const std = Math.sqrt(rewards.reduce((s, x) => s + (x - mean) ** 2, 0) / (rewards.length - 1));
    expect(a.group.reward_std).toBeCloseTo(std, 12);
    expect(a.group.zero_variance).toBe(false);
    expect(a.group.outcome_zero_variance).toBe(false);
    expect(a.group.advantages).toBe("defined");
    expect(Object.keys(a.group.tiers).sort()).toEqual([...TIER_NAMES].sort());
    expect(a.group.mismatches).toBe(Object.values(a.group.tiers).filter((t) => t.mismatch).length);
    expect(r.raw).not.toMatch(/NaN|Infinity/);
  });

  it("says advantages are undefined (null, not 0) for a single trajectory", async () => {
    const one = groupOf(mixedTask().id).slice(0, 1);
    const a = (await post(calibrated.id, { task_id: one[0].task_id, trajectories: asTrajectories(one) })).body as ScoreAnswer;
    expect(a.group.advantages).toBe("undefined (single trajectory)");
    expect(a.group.reward_std).toBeNull();
    expect(a.results[0].turns.length).toBeGreaterThan(0);
    for (const t of a.results[0].turns) {
      expect(t.advantage).toBeNull();
      expect(t.turn_advantage_part).toBeNull();
      expect(typeof t.reward).toBe("number");
    }
  });

  it("takes the estimator override and names it", async () => {
    const task = mixedTask();
    const hybrid = (await post(calibrated.id, { task_id: task.id, trajectories: asTrajectories(groupOf(task.id)) })).body as ScoreAnswer;
    const grpo = (await post(calibrated.id, { task_id: task.id, estimator: "grpo", trajectories: asTrajectories(groupOf(task.id)) })).body as ScoreAnswer;
    expect(grpo.estimator).toBe("grpo");
    // GRPO: every turn of a trajectory carries its outcome advantage.
    for (const res of grpo.results) expect(new Set(res.turns.map((t) => t.advantage)).size).toBe(1);
    expect(grpo.results[0].turns.map((t) => t.advantage)).not.toEqual(hybrid.results[0].turns.map((t) => t.advantage));
  });

  it("resolves latest to the newest iteration and says which", async () => {
    const task = mixedTask();
    const body = { task_id: task.id, trajectories: asTrajectories(groupOf(task.id).slice(0, 2)) };
    expect(((await post("latest", body)).body as ScoreAnswer).iteration).toBe(calibrated.id);
    expect(((await post("latest", body, {}, `?experiment=${experimentId}`)).body as ScoreAnswer).iteration).toBe(calibrated.id);
    const older = (await post(seed.id, body)).body as ScoreAnswer;
    expect(older.iteration).toBe(seed.id);
    expect(older.estimator).toBe(NAIVE_V5.estimator);
  });

  it("reads chat-template text (Qwen2.5) to the same scores as the messages", async () => {
    const task = mixedTask();
    const group = groupOf(task.id);
    const fromMessages = (await post(calibrated.id, { task_id: task.id, trajectories: group.map((r) => ({ trajectory_id: r.rollout_id, messages: r.messages })) })).body as ScoreAnswer;
    const fromText = (
      await post(calibrated.id, {
        task_id: task.id,
        trajectories: group.map((r) => ({ trajectory_id: r.rollout_id, text: renderQwen25(toTemplateMessages(r.messages, "policy"), { tools: AIRLINE_TOOL_SCHEMAS }) })),
      })
    ).body as ScoreAnswer;
    const view = (a: ScoreAnswer) => a.results.map((x) => ({ o: x.outcome, r: x.reward, t: x.turns.map((t) => [t.tier, t.reward, t.advantage]) }));
    expect(view(fromText)).toEqual(view(fromMessages));
  });
});

describe("ETag", () => {
  it("is stable for the same inputs, answers 304 to If-None-Match, and changes with the inputs", async () => {
    const task = mixedTask();
    const body = { task_id: task.id, trajectories: asTrajectories(groupOf(task.id)) };
    const first = await post(calibrated.id, body);
    const again = await post(calibrated.id, JSON.stringify({ trajectories: body.trajectories, task_id: task.id }));
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    expect(again.etag).toBe(first.etag);
    expect(again.raw).toBe(first.raw);
    const notModified = await post(calibrated.id, body, { "if-none-match": first.etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.raw).toBe("");
    // Arguments as a JSON string (OpenAI's wire form) instead of an object: the same inputs, the same tag.
    const asStrings = body.trajectories.map((t) => ({
      ...t,
      messages: t.messages.map((m) => (m.role === "assistant" && m.tool_calls ? { ...m, tool_calls: m.tool_calls.map((c) => ({ ...c, arguments: JSON.stringify(c.arguments) })) } : m)),
    }));
    expect((await post(calibrated.id, { task_id: task.id, trajectories: asStrings })).etag).toBe(first.etag);
    expect((await post(calibrated.id, { ...body, estimator: "gtpo" })).etag).not.toBe(first.etag);
    expect((await post(seed.id, body)).etag).not.toBe(first.etag);
  });
});

describe("bad input is a 4xx naming the field", () => {
  const task = () => mixedTask();
  const traj = () => asTrajectories(groupOf(task().id).slice(0, 2));
  const cases: [string, () => unknown, number, string, string?][] = [
    ["unknown task", () => ({ task_id: "no-such-task", trajectories: traj() }), 404, "task_id"],
    ["malformed message role", () => ({ task_id: task().id, trajectories: [{ trajectory_id: "a", messages: [{ role: "assistant", content: "x" }, { role: "robot", content: "y" }] }] }), 400, "trajectories.0.messages.1.role"],
    ["tool call without a name", () => ({ task_id: task().id, trajectories: [{ trajectory_id: "a", messages: [{ role: "assistant", content: null, tool_calls: [{ id: "c", arguments: {} }] }] }] }), 400, "trajectories.0.messages.0.tool_calls.0.name"],
    ["no messages", () => ({ task_id: task().id, trajectories: [{ trajectory_id: "a" }] }), 400, "trajectories.0.messages"],
    ["no trajectories", () => ({ task_id: task().id, trajectories: [] }), 400, "trajectories"],
    ["duplicate trajectory ids", () => ({ task_id: task().id, trajectories: [traj()[0], traj()[0]] }), 400, "trajectories.1.trajectory_id"],
    ["unknown estimator", () => ({ task_id: task().id, estimator: "ppo", trajectories: traj() }), 400, "estimator"],
    ["missing task id", () => ({ trajectories: traj() }), 400, "task_id"],
  ];
  for (const [name, body, status, field] of cases) {
    it(name, async () => {
      const r = await post(calibrated.id, body());
      expect(r.status).toBe(status);
      expect(r.body.error.field).toBe(field);
    });
  }

  it("a body over 4 MB is a 413", async () => {
    const big = { task_id: task().id, trajectories: [{ trajectory_id: "a", messages: [{ role: "user", content: "x".repeat(4 * 1024 * 1024) }] }] };
    const r = await post(calibrated.id, big);
    expect(r.status).toBe(413);
    expect(r.body.error.field).toBe("body");
  });

  it("an iteration that is not an id, or does not exist", async () => {
    const body = { task_id: task().id, trajectories: traj() };
    const bad = await post("newest", body);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("iteration");
    const missing = await post(987654, body);
    expect(missing.status).toBe(404);
    expect(missing.body.error.field).toBe("iteration");
  });

  it("invalid JSON is a 400", async () => {
    const r = await post(calibrated.id, "{not json");
    expect(r.status).toBe(400);
  });
});

describe("trajectories the evaluator cannot replay still get a score with the reason", () => {
  it("invalid tool arguments, an unknown tool and a call with no result", async () => {
    const task = mixedTask();
    const messages = [
      { role: "assistant", content: "Hi! How can I help you today?" },
      { role: "user", content: "Please cancel my reservation." },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "cancel_reservation", arguments: '{"reservation_id": ' } }] },
      { role: "tool", tool_call_id: "c1", content: "Error: invalid arguments", error: true },
      { role: "assistant", content: null, tool_calls: [{ id: "c2", name: "teleport_passenger", arguments: { to: "moon" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "c3", name: "book_reservation", arguments: { user_id: 17, flights: "nonsense" } }] },
      { role: "user", content: "bye ###STOP###" },
    ];
    const r = await post(calibrated.id, { task_id: task.id, trajectories: [{ trajectory_id: "broken", messages }, { trajectory_id: "ok", messages: groupOf(task.id)[0].messages }] });
    expect(r.status).toBe(200);
    const broken = (r.body as ScoreAnswer).results[0];
    expect(broken.outcome).toBe(0);
    expect(broken.turns.map((t) => t.tier)).toEqual(["error", "error", "state"]);
    expect(broken.turns[0].reason).toMatch(/not valid JSON/);
    expect(broken.turns[1].reason).toMatch(/unknown tool "teleport_passenger"/);
    expect(broken.turns[0].reward).toBe(CALIBRATED.tiers.error);
    for (const t of broken.turns) expect(typeof t.advantage).toBe("number");
  });
});

describe("ingest: {run_id, step}", () => {
  it("stores the scored group into the training run through the ingestion API, once", async () => {
    const up = ingestBatch(getDb(), [{ id: "u1", type: "run.upsert", body: { run_id: "serve-run", name: "served", task_set: setId, trainer: "verl" } }]);
    expect(up.errors).toEqual([]);
    const task = mixedTask();
    const group = groupOf(task.id).map((r, i) => ({ ...r, rollout_id: `serve-${i}` }));
    const body = { task_id: task.id, trajectories: asTrajectories(group), ingest: { run_id: "serve-run", step: 7 } };
    const first = await post(calibrated.id, body);
    expect(first.status).toBe(200);
    const a = first.body as ScoreAnswer;
    expect(a.ingested).toEqual({ run_id: "serve-run", step: 7, group_id: `7:${task.id}:serve-0`, status: 201 });
    const run = getDb().select().from(experiments).where(eq(experiments.externalRunId, "serve-run")).get()!;
    const stored = getDb().select().from(rolloutsTable).where(and(eq(rolloutsTable.experimentId, run.id), eq(rolloutsTable.step, 7))).all();
    expect(stored.map((s) => s.outcome).sort()).toEqual(a.results.map((x) => x.outcome).sort());
    const byId = new Map(stored.map((s) => [s.externalId, s]));
    for (const res of a.results) {
      expect(byId.get(res.trajectory_id)!.trainerReward).toBe(res.reward);
      expect(byId.get(res.trajectory_id)!.trainerTurnAdvantages).toEqual(res.turns.map((t) => t.advantage));
    }
    // A retry is a no-op (200), and is never answered 304 even with the ETag: it has a side effect.
    const retry = await post(calibrated.id, body, { "if-none-match": first.etag! });
    expect(retry.status).toBe(200);
    expect((retry.body as ScoreAnswer).ingested!.status).toBe(200);
    const missing = await post(calibrated.id, { ...body, ingest: { run_id: "no-such-run", step: 1 } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.field).toBe("ingest.run_id");
  });
});
