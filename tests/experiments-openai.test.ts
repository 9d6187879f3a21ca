/**
 * OpenAI drivers through the rollouts.run job (in-process worker, real openai SDK, local
 * stub server): scripted tool calls, malformed arguments, 429 then success, persistent 500,
 * and a timeout each land in the rollout as specified, and the worker keeps running.
 * Then the API-key test: an endpoint created with a key through the API is used by a run;
 * the key appears in no API response, exported file, rollout row, message, job payload,
 * job step or captured log line.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getDb } from "../db/server";
import { createWorker, type Worker } from "../workers/worker";
import { startStubServer, reply, type StubRequest, type StubServer } from "./stub-openai-server";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { waitFor } from "./helpers";
import { getExperimentRow } from "../db/queries/experiments";
import { exportExperiment, EXPORT_FORMATS } from "../lib/experiments/export";
import * as experimentsRoute from "../app/api/experiments/route";
import * as experimentRoute from "../app/api/experiments/[id]/route";
import * as overviewRoute from "../app/api/experiments/[id]/overview/route";
import * as groupsRoute from "../app/api/experiments/[id]/groups/route";
import * as groupRoute from "../app/api/groups/[id]/route";
import * as rolloutRoute from "../app/api/rollouts/[id]/route";
import * as endpointsRoute from "../app/api/endpoints/route";
import * as endpointTestRoute from "../app/api/endpoints/test/route";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

const SECRET = "sk-live-TOPSECRET-9f8e7d6c5b4a3210";
let stub: StubServer;
let worker: Worker;
let setId: number;
let endpointId: number;
const logs: string[] = [];
const responses: string[] = [];
const appDb = appTempDb("writ-exp-openai-", { env: { OPENAI_API_KEY: undefined } });

const isAgent = (req: StubRequest) => Array.isArray(req.body?.tools);
const last = (req: StubRequest) => req.body?.messages?.at(-1) as { role: string; content?: unknown } | undefined;
const ownTurns = (req: StubRequest) => (req.body?.messages ?? []).filter((m) => m.role === "assistant").length;

/** The happy script: user asks, agent calls a tool, answers, user stops. */
function scripted(agentCall: () => ReturnType<typeof reply.toolCalls>) {
  return (req: StubRequest) => {
    if (!isAgent(req)) return ownTurns(req) >= 1 ? reply.text("Thanks, bye ###STOP###") : reply.text("Which airports do you serve?");
    return last(req)?.role === "tool" ? reply.text("We serve those airports.") : agentCall();
  };
}

async function call(res: Response | Promise<Response>) {
  const r = await res;
  const text = await r.text();
  responses.push(text);
  return { status: r.status, body: JSON.parse(text) };
}
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });

async function runExperiment(agent: Record<string, unknown>, user: Record<string, unknown> = { kind: "openai", endpoint_id: endpointId }, extra: Record<string, unknown> = {}) {
  const created = await call(
    experimentsRoute.POST(
      new Request("http://x/api/experiments", {
        method: "POST",
        body: JSON.stringify({ name: `case ${Date.now()}`, task_set_id: setId, agent, user, group_size: 1, max_errors: 3, ...extra }),
      }),
    ),
  );
  expect(created.status).toBe(201);
  const id = created.body.experiment.id as number;
  await waitFor(() => getExperimentRow(getDb(), id)?.status === "completed" || undefined, 30_000, `experiment ${id}`);
  const rows = getDb().$client.prepare(`SELECT * FROM rollouts WHERE experiment_id = ?`).all(id) as Record<string, unknown>[];
  expect(rows).toHaveLength(1);
  const detail = await call(rolloutRoute.GET(new Request("http://x"), params(rows[0].id as string)));
  return { id, row: rows[0], rollout: detail.body.rollout };
}

beforeAll(async () => {
  appDb.open();
  stub = await startStubServer({});
  setId = insertTaskSet(getDb(), "openai-set", synthesizeSmall([{ writes: 1, evidence: 1, count: 1 }]));
  const ep = await call(
    endpointsRoute.POST(
      new Request("http://x/api/endpoints", { method: "POST", body: JSON.stringify({ name: "stub", base_url: stub.baseURL, model: "stub-model", api_key: SECRET }) }),
    ),
  );
  endpointId = ep.body.endpoint.id;
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void logs.push(a.map(String).join(" ")));
  vi.spyOn(console, "warn").mockImplementation((...a: unknown[]) => void logs.push(a.map(String).join(" ")));
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logs.push(a.map(String).join(" ")));
  worker = createWorker({ db: getDb(), pollMs: 10, leaseMs: 5_000, log: (m) => logs.push(m) });
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  await stub.close();
  vi.restoreAllMocks();
  appDb.close();
});

describe("OpenAI drivers through the job", () => {
  it("scripted tool calls: the call runs on the env and the episode ends with the user stop", async () => {
    stub.setHandler(scripted(() => reply.toolCalls([{ id: "c1", name: "list_all_airports", arguments: {} }])));
    const { rollout, row } = await runExperiment({ kind: "openai", endpoint_id: endpointId });
    expect(row.termination).toBe("user_stop");
    expect(rollout.messages.map((m: { role: string }) => m.role)).toEqual(["assistant", "user", "assistant", "tool", "assistant", "user"]);
    expect(rollout.messages[2].tool_calls[0]).toMatchObject({ name: "list_all_airports", arguments: {} });
    expect(rollout.messages[3]).toMatchObject({ tool_call_id: "c1", error: false });
    expect(JSON.parse(rollout.messages[3].content).length).toBeGreaterThan(5);
    expect(row.prompt_tokens).toBe(22); // two agent calls × 11 from the stub's usage
    expect(row.error_count).toBe(0);
  });

  it("malformed arguments: recorded as a raw string, answered by an error tool message", async () => {
    stub.setHandler(scripted(() => reply.toolCalls([{ id: "c1", name: "get_user_details", arguments: '{"user_id": "x"' }])));
    const { rollout, row } = await runExperiment({ kind: "openai", endpoint_id: endpointId });
    expect(rollout.messages[2].tool_calls[0].arguments).toBe('{"user_id": "x"');
    expect(rollout.messages[3]).toMatchObject({ role: "tool", error: true });
    expect(rollout.messages[3].content).toMatch(/not valid JSON/);
    expect(row.termination).toBe("user_stop");
    expect(row.error_count).toBe(1);
  });

  it("429 then success: retried inside the driver, the rollout completes normally", async () => {
    let first = true;
    const happy = scripted(() => reply.toolCalls([{ id: "c1", name: "list_all_airports", arguments: {} }]));
    stub.setHandler((req) => {
      if (isAgent(req) && first) {
        first = false;
        return reply.error(429, "slow down", { "retry-after-ms": "10" });
      }
      return happy(req);
    });
    const { rollout, row } = await runExperiment({ kind: "openai", endpoint_id: endpointId, max_retries: 3 });
    expect(row.termination).toBe("user_stop");
    expect(rollout.messages.filter((m: { error?: string }) => m.error)).toHaveLength(0);
    expect(rollout.metadata.agent_calls).toMatchObject({ retries: 1 });
  });

  it("persistent 500 on the agent: failed turns counted, the rollout ends too_many_errors", async () => {
    stub.setHandler((req) => (isAgent(req) ? reply.error(500, "boom") : reply.text("Hello?")));
    const { rollout, row } = await runExperiment({ kind: "openai", endpoint_id: endpointId, max_retries: 0 });
    expect(row.termination).toBe("too_many_errors");
    expect(row.outcome).toBe(0);
    const failed = rollout.messages.filter((m: { error?: string }) => m.error);
    expect(failed).toHaveLength(3);
    expect(failed[0].error).toMatch(/500/);
  });

  it("500 on the user simulator: the rollout ends with termination error and says why", async () => {
    stub.setHandler((req) => (isAgent(req) ? reply.text("ok") : reply.error(500, "user side down")));
    const { rollout, row, id } = await runExperiment({ kind: "simulated" }, { kind: "openai", endpoint_id: endpointId, max_retries: 0 });
    expect(row.termination).toBe("error");
    expect(row.status).toBe("error");
    expect(rollout.error).toMatch(/user driver/);
    expect(getExperimentRow(getDb(), id)!.rolloutsErrored).toBe(1);
  });

  it("timeout: the slow call becomes a failed turn, never a worker crash", async () => {
    stub.setHandler((req) => (isAgent(req) ? { ...reply.text("late"), delayMs: 1_500 } : reply.text("Hi")));
    const { rollout, row } = await runExperiment({ kind: "openai", endpoint_id: endpointId, max_retries: 0, timeout_ms: 150 }, { kind: "simulated" }, { max_errors: 2 });
    expect(row.termination).toBe("too_many_errors");
    expect(rollout.messages.filter((m: { error?: string }) => m.error).every((m: { error: string }) => /timeout|timed out/i.test(m.error))).toBe(true);
    expect(worker.running).toBeLessThanOrEqual(1);
  });

  it("the worker is still healthy afterwards: another experiment completes", async () => {
    stub.setHandler(scripted(() => reply.toolCalls([{ id: "c9", name: "list_all_airports", arguments: {} }])));
    const { row } = await runExperiment({ kind: "openai", endpoint_id: endpointId });
    expect(row.termination).toBe("user_stop");
  });
});

describe("API keys never leak", () => {
  it("appears in no API response, export, rollout row, message, job payload, job step or log line", async () => {
    stub.setHandler(scripted(() => reply.toolCalls([{ id: "c1", name: "list_all_airports", arguments: {} }])));
    // Every model request did carry the key (server-side use is the point).
    const { id } = await runExperiment({ kind: "openai", endpoint_id: endpointId });
    expect(stub.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    // A failing endpoint test must not echo the key either.
    await call(endpointTestRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ endpoint_id: endpointId }) })));
    await call(experimentsRoute.GET(new Request("http://x/api/experiments")));
    const detail = await call(experimentRoute.GET(new Request("http://x"), params(id)));
    expect(detail.body.experiment.config.agent).toEqual({ kind: "openai", endpoint_id: endpointId });
    await call(overviewRoute.GET(new Request("http://x"), params(id)));
    const groups = await call(groupsRoute.GET(new Request(`http://x/api/experiments/${id}/groups`), params(id)));
    await call(groupRoute.GET(new Request("http://x"), params(groups.body.groups[0].id)));
    await call(endpointsRoute.GET());
    for (const text of responses) expect(text).not.toContain(SECRET);

    for (const format of EXPORT_FORMATS.filter((f) => f !== "rl")) {
      const file = join(appDb.dir, `export.${format}`);
      writeFileSync(file, [...exportExperiment(getDb(), id, format).chunks].join(""));
      expect(readFileSync(file, "utf8")).not.toContain(SECRET);
    }
    const c = getDb().$client;
    const dump = (sql: string) => JSON.stringify(c.prepare(sql).all());
    for (const table of ["experiments", "groups", "rollouts", "rollout_messages", "jobs", "job_steps", "experiment_policy_counts"]) {
      expect(dump(`SELECT * FROM ${table}`), table).not.toContain(SECRET);
    }
    expect(dump("SELECT * FROM model_endpoints")).toContain(SECRET); // stored where it belongs
    expect(logs.join("\n")).not.toContain(SECRET);
  });
});
