/**
 * The trainer shims, each driven with the exact request its trainer sends, checked against the
 * native scoring endpoint on the same trajectories:
 * - OpenRLHF: openrlhf/utils/agent.py (OpenRLHF/OpenRLHF), SingleTurnAgentExecutor.execute and
 *   _fetch_rewards_via_http: `query = hf_tokenizer.decode(observation_tokens,
 *   skip_special_tokens=False)` (prompt + response as chat-template text), then
 *   `session.post(url, json={"query": [...], "prompts": [...], "labels": [...]})`, reading
 *   `rewards`, `scores` (or rewards) and `extra_logs` from the JSON answer.
 * - slime: slime/rollout/rm_hub/__init__.py (THUDM/slime), remote_rm:
 *   `session.post(args.rm_url, json={"prompt": sample.prompt, "response": sample.response,
 *   "label": sample.label})`, the JSON answer kept as sample.reward and `--reward-key reward`
 *   picking the scalar.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { clearRewardServingCaches } from "../lib/reward-serving/resolve";
import { AIRLINE_TOOL_SCHEMAS } from "../lib/airline";
import { CALIBRATED } from "../lib/rewards";
import type { Rollout } from "../lib/types/rollout";
import type { Task } from "../lib/types/task";
import type { RewardConfigIteration } from "../lib/calibration/api-types";
import type { ScoreAnswer } from "../lib/reward-serving/request";
import type { OpenRlhfAnswer, SlimeAnswer } from "../lib/reward-serving/compat";
import * as scoreRoute from "../app/api/v1/reward-configs/[iteration]/score/route";
import * as openrlhfRoute from "../app/api/v1/compat/openrlhf/[iteration]/route";
import * as slimeRoute from "../app/api/v1/compat/slime/[iteration]/route";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";
import { renderQwen25, renderQwen3, toTemplateMessages } from "./qwen-template";
import { appTempDb } from "./fixtures/app-db";
import { saveIteration } from "./fixtures/reward-configs";

vi.mock("next/server", () => ({ connection: async () => {} }));

const SYSTEM = "You are an airline customer service agent. Follow the policy.";
const appDb = appTempDb("writ-reward-compat-", { caches: [clearCalibrationStore, clearRewardServingCaches] });
let tasks: Task[];
let rollouts: Rollout[];
let iteration: RewardConfigIteration;

type Handler = (req: Request, ctx: { params: Promise<{ iteration: string }> }) => Promise<Response>;
async function call(handler: Handler, path: string, it: string | number, json: unknown) {
  // aiohttp's `json=` sends the body as application/json.
  const res = await handler(new Request(`http://x${path}`, { method: "POST", body: JSON.stringify(json), headers: { "content-type": "application/json" } }), {
    params: Promise.resolve({ iteration: String(it) }),
  });
  return { status: res.status, body: await res.json() };
}
const native = async (taskId: string, rs: readonly Rollout[]) =>
  (await call(scoreRoute.POST, `/api/v1/reward-configs/${iteration.id}/score`, iteration.id, { task_id: taskId, trajectories: rs.map((r) => ({ trajectory_id: r.rollout_id, messages: r.messages })) })).body as ScoreAnswer;

/** The text OpenRLHF decodes: the templated prompt (system, greeting, first user turn, generation header) followed by the generated rest. */
function openRlhfSample(r: Rollout, render = renderQwen25) {
  const messages = toTemplateMessages(r.messages, SYSTEM);
  const firstUser = messages.findIndex((m) => m.role === "user");
  const prompt = render(messages.slice(0, firstUser + 1), { tools: AIRLINE_TOOL_SCHEMAS, addGenerationPrompt: true });
  const full = render(messages, { tools: AIRLINE_TOOL_SCHEMAS });
  expect(full.startsWith(prompt)).toBe(true);
  return { query: full, prompt };
}

beforeAll(async () => {
  appDb.open();
  ({ tasks, rollouts } = await fixtureRollouts(11));
  const experimentId = insertExperiment(getDb(), "compat", tasks, rollouts);
  iteration = await saveIteration({ experiment_id: experimentId, config: CALIBRATED });
});

afterAll(() => appDb.close());

describe("OpenRLHF shim", () => {
  it("one sample per call (the single-turn executor): reward, score and logs equal the native answer", async () => {
    for (const r of rollouts.slice(0, 12)) {
      const { query, prompt } = openRlhfSample(r);
      const res = await call(openrlhfRoute.POST, "/api/v1/compat/openrlhf/latest", "latest", { query: [query], prompts: [prompt], labels: [r.task_id] });
      expect(res.status).toBe(200);
      const a = res.body as OpenRlhfAnswer;
      const ref = (await native(r.task_id, [r])).results[0];
      expect(a.rewards).toEqual([ref.reward]);
      expect(a.scores).toEqual([ref.outcome]);
      expect(a.scores).toEqual([r.outcome]);
      expect(a.extra_logs.writ_outcome).toEqual([ref.outcome]);
      expect(a.extra_logs.writ_agent_turns).toEqual([ref.turns.length]);
      expect(a.iteration).toBe(iteration.id);
    }
  });

  it("a batch of several tasks scores each task's samples as one group, in request order", async () => {
    const batch = [...rollouts].sort((a, b) => a.sample_index - b.sample_index).slice(0, 16);
    const samples = batch.map((r) => openRlhfSample(r, renderQwen3));
    // Labels: the plain id or JSON with task_id (both are dataset label columns people use).
    const labels = batch.map((r, i) => (i % 2 ? JSON.stringify({ task_id: r.task_id }) : r.task_id));
    const res = await call(openrlhfRoute.POST, `/api/v1/compat/openrlhf/${iteration.id}`, iteration.id, { query: samples.map((s) => s.query), prompts: samples.map((s) => s.prompt), labels });
    expect(res.status).toBe(200);
    const a = res.body as OpenRlhfAnswer;
    expect(a.rewards.length).toBe(batch.length);
    for (const taskId of new Set(batch.map((r) => r.task_id))) {
      const members = batch.filter((r) => r.task_id === taskId);
      const ref = await native(taskId, members);
      members.forEach((r, j) => {
        const i = batch.indexOf(r);
        expect(a.rewards[i]).toBe(ref.results[j].reward);
        expect(a.scores[i]).toBe(ref.results[j].outcome);
        expect(a.extra_logs.writ_turn_reward_sum[i]).toBe(ref.results[j].reward_components.turn_reward_sum);
      });
    }
  });

  it("?reward=outcome sends the 0/1 outcome; bad labels are 4xx naming the field", async () => {
    const r = rollouts.find((x) => x.outcome === 1)!;
    const { query, prompt } = openRlhfSample(r);
    const outcome = await call(openrlhfRoute.POST, "/api/v1/compat/openrlhf/latest?reward=outcome", "latest", { query: [query], prompts: [prompt], labels: [r.task_id] });
    expect((outcome.body as OpenRlhfAnswer).rewards).toEqual([1]);
    const unknown = await call(openrlhfRoute.POST, "/api/v1/compat/openrlhf/latest", "latest", { query: [query, query], prompts: [prompt, prompt], labels: [r.task_id, "nope"] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.field).toBe("labels.1");
    const short = await call(openrlhfRoute.POST, "/api/v1/compat/openrlhf/latest", "latest", { query: [query], prompts: [prompt], labels: [] });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe("labels");
    const none = await call(openrlhfRoute.POST, "/api/v1/compat/openrlhf/latest", "latest", { query: [query], prompts: [prompt], labels: [null] });
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe("labels.0");
  });
});

describe("slime shim", () => {
  it("prompt as templated text: reward (for --reward-key reward), outcome and turn rewards equal the native answer", async () => {
    for (const r of rollouts.slice(0, 12)) {
      const { query, prompt } = openRlhfSample(r);
      const res = await call(slimeRoute.POST, "/api/v1/compat/slime/latest", "latest", { prompt, response: query.slice(prompt.length), label: r.task_id });
      expect(res.status).toBe(200);
      const a = res.body as SlimeAnswer;
      const ref = (await native(r.task_id, [r])).results[0];
      expect(a.reward).toBe(ref.reward);
      expect(a.outcome).toBe(r.outcome);
      expect(a.turn_rewards).toEqual(ref.turns.map((t) => t.reward));
      expect(a.turn_tiers).toEqual(ref.turns.map((t) => t.tier));
    }
  });

  it("prompt as a message list with the response text starting inside the assistant turn", async () => {
    const r = rollouts.find((x) => x.outcome === 1)!;
    const messages = toTemplateMessages(r.messages, SYSTEM);
    const firstUser = messages.findIndex((m) => m.role === "user");
    const { query, prompt } = openRlhfSample(r);
    const res = await call(slimeRoute.POST, `/api/v1/compat/slime/${iteration.id}`, iteration.id, { prompt: messages.slice(0, firstUser + 1), response: query.slice(prompt.length), label: r.task_id });
    expect(res.status).toBe(200);
    const ref = (await native(r.task_id, [r])).results[0];
    expect((res.body as SlimeAnswer).reward).toBe(ref.reward);
    expect((res.body as SlimeAnswer).outcome).toBe(1);
  });

  it("a missing label or a malformed prompt message is a 400 naming the field", async () => {
    const noLabel = await call(slimeRoute.POST, "/api/v1/compat/slime/latest", "latest", { prompt: "hi", response: "hello", label: null });
    expect(noLabel.status).toBe(400);
    expect(noLabel.body.error.field).toBe("label");
    const badPrompt = await call(slimeRoute.POST, "/api/v1/compat/slime/latest", "latest", { prompt: [{ role: "wizard", content: "x" }], response: "hello", label: tasks[0].id });
    expect(badPrompt.status).toBe(400);
    expect(badPrompt.body.error.field).toBe("prompt.0.role");
  });
});
