/**
 * The experiments / groups / rollouts / endpoints route handlers called directly (no
 * server): 400s naming the field, 404s, keyset pagination and filters of the groups list
 * over a synthetic experiment, overview figures, cancel, export download, and that an
 * endpoint's API key never appears in any response.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { insertSyntheticExperiment } from "../lib/experiments/store/synthetic";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import * as experimentsRoute from "../app/api/experiments/route";
import * as experimentRoute from "../app/api/experiments/[id]/route";
import * as cancelRoute from "../app/api/experiments/[id]/cancel/route";
import * as overviewRoute from "../app/api/experiments/[id]/overview/route";
import * as groupsRoute from "../app/api/experiments/[id]/groups/route";
import * as exportRoute from "../app/api/experiments/[id]/export/route";
import * as groupRoute from "../app/api/groups/[id]/route";
import * as rolloutRoute from "../app/api/rollouts/[id]/route";
import * as endpointsRoute from "../app/api/endpoints/route";
import * as endpointRoute from "../app/api/endpoints/[id]/route";
import * as endpointTestRoute from "../app/api/endpoints/test/route";
import { startStubServer, type StubServer } from "./stub-openai-server";
import type { ListGroupsResponse } from "../lib/experiments/api-types";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

const SECRET = "sk-test-SECRET-abcdef0123456789";
let setId: number;
let stub: StubServer;
const appDb = appTempDb("writ-exp-api-", { env: { OPENAI_API_KEY: undefined } });
const seen: string[] = [];

async function call(res: Response | Promise<Response>) {
  const r = await res;
  const text = await r.text();
  seen.push(text);
  return { status: r.status, body: text ? JSON.parse(text) : null, text };
}
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const post = (body: unknown) =>
  call(experimentsRoute.POST(new Request("http://x/api/experiments", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) })));

beforeAll(async () => {
  appDb.open();
  setId = insertTaskSet(getDb(), "api-set", synthesizeSmall([{ writes: 1, evidence: 1, count: 2 }]));
  stub = await startStubServer({});
});
afterAll(async () => {
  await stub.close();
  appDb.close();
});

const valid = () => ({ name: "api exp", task_set_id: setId, agent: { kind: "simulated", preset: "expert" }, group_size: 2 });

describe("POST /api/experiments validation", () => {
  it.each([
    [() => ({ ...valid(), name: "" }), "name"],
    [() => ({ ...valid(), group_size: 0 }), "group_size"],
    [() => ({ ...valid(), group_size: "4" }), "group_size"],
    [() => ({ ...valid(), task_set_id: undefined }), "task_set_id"],
    [() => ({ ...valid(), agent: { kind: "robot" } }), "agent.kind"],
    [() => ({ ...valid(), agent: { kind: "simulated", preset: "genius" } }), "agent.preset"],
    [() => ({ ...valid(), agent: { kind: "openai" } }), "agent.endpoint_id"],
    [() => ({ ...valid(), agent: { kind: "openai", base_url: "http://h/v1" } }), "agent.model"],
    [() => ({ ...valid(), agent: { kind: "openai", base_url: "not a url", model: "m" } }), "agent.base_url"],
    [() => ({ ...valid(), agent: { kind: "openai", endpoint_id: 999 } }), "agent.endpoint_id"],
    [() => ({ ...valid(), concurrency: 0 }), "concurrency"],
    [() => ({ ...valid(), max_turns: 0 }), "max_turns"],
    [() => ({ ...valid(), task_set_id: 999 }), "task_set_id"],
    [() => ({ ...valid(), task_ids: ["nope"] }), "task_ids"],
    [() => ({ ...valid(), agent: { kind: "openai", base_url: "http://h/v1", model: "m", api_key: "sk-x" } }), "agent.api_key"],
  ])("400 naming the field (%#)", async (body, field) => {
    const r = await post(body());
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
    expect(r.text).not.toMatch(/at .*\.ts|node_modules/);
  });

  it("400s broken JSON without a stack trace", async () => {
    const r = await post("{oops");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_json");
  });

  it("creates, shows live detail, cancels a queued experiment and 409s a second cancel", async () => {
    const created = await post(valid());
    expect(created.status).toBe(201);
    const e = created.body.experiment;
    expect(e).toMatchObject({ status: "queued", rollouts_total: 4, groups: 2, group_size: 2, agent_label: "simulated agent (expert)" });
    expect(e.config).toMatchObject({ agent: { kind: "simulated", preset: "expert" }, user: { kind: "simulated" }, max_turns: 30 });
    expect(e.progress).toMatchObject({ done: 0, total: 4, pass_rate: null });
    expect(e.job).toMatchObject({ status: "queued" });
    const list = await call(experimentsRoute.GET(new Request("http://x/api/experiments?limit=10")));
    expect(list.body.experiments.map((x: { id: number }) => x.id)).toContain(e.id);
    const cancelled = await call(cancelRoute.POST(new Request("http://x", { method: "POST" }), params(e.id)));
    expect(cancelled.body.experiment.status).toBe("cancelled");
    const again = await call(cancelRoute.POST(new Request("http://x", { method: "POST" }), params(e.id)));
    expect(again.status).toBe(409);
    expect((await call(experimentRoute.GET(new Request("http://x"), params(123456)))).status).toBe(404);
    expect((await call(experimentRoute.GET(new Request("http://x"), params("abc")))).body.error.field).toBe("id");
  });
});

describe("groups list, group and rollout views over a synthetic experiment", () => {
  let expId: number;
  beforeAll(() => {
    expId = insertSyntheticExperiment(getDb(), { tasks: 120, groupSize: 4, messagesPerRollout: 6, seed: 3 }).experimentId;
  });
  const list = (q: string) => call(groupsRoute.GET(new Request(`http://x/api/experiments/${expId}/groups?${q}`), params(expId)));

  it("pages with a keyset cursor, covering every group exactly once", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(`limit=50${cursor !== null ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      const body = r.body as ListGroupsResponse;
      for (const g of body.groups) {
        ids.push(g.id);
        expect(g.rollouts).toHaveLength(4);
        expect(g.rollouts.map((x) => x.sample_index)).toEqual([0, 1, 2, 3]);
        expect(g.rollouts[0]).not.toHaveProperty("messages");
      }
      cursor = body.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it("filters by W, B, behaviour, task, outcome and termination", async () => {
    const all = (await list("limit=200")).body as ListGroupsResponse;
    const w3 = (await list("limit=200&w=3")).body as ListGroupsResponse;
    expect(w3.groups.length).toBe(all.groups.filter((g) => g.writes === 3).length);
    expect(w3.groups.every((g) => g.writes === 3)).toBe(true);
    const wb = (await list("limit=200&w=2&b=8")).body as ListGroupsResponse;
    expect(wb.groups.every((g) => g.writes === 2 && g.evidence_cell === 8)).toBe(true);
    const terse = (await list("limit=200&behavior=terse")).body as ListGroupsResponse;
    expect(terse.groups.length).toBeGreaterThan(0);
    expect(terse.groups.every((g) => g.behavior === "terse")).toBe(true);
    const one = (await list("task=t7")).body as ListGroupsResponse;
    expect(one.groups.map((g) => g.task_id)).toEqual(["t7"]);
    const allFail = (await list("limit=200&outcome=all_fail")).body as ListGroupsResponse;
    expect(allFail.groups.every((g) => g.passed === 0 && g.outcome_class === "all_fail")).toBe(true);
    expect(allFail.groups.length).toBe(all.groups.filter((g) => g.passed === 0).length);
    const mixed = (await list("limit=200&outcome=mixed")).body as ListGroupsResponse;
    expect(mixed.groups.every((g) => g.passed > 0 && g.passed < g.done)).toBe(true);
    const errs = (await list("limit=200&termination=error")).body as ListGroupsResponse;
    expect(errs.groups.length).toBe(all.groups.filter((g) => g.rollouts.some((r) => r.termination === "error")).length);
    // Filtered pages are keyset-paged too.
    const p1 = (await list("limit=5&w=3")).body as ListGroupsResponse;
    const p2 = (await list(`limit=5&w=3&cursor=${p1.next_cursor}`)).body as ListGroupsResponse;
    expect(p2.groups[0].position).toBeGreaterThan(p1.groups[4].position);
  });

  it("400s bad filters naming them", async () => {
    expect((await list("w=abc")).body.error.field).toBe("w");
    expect((await list("outcome=great")).body.error.field).toBe("outcome");
    expect((await list("termination=boom")).body.error.field).toBe("termination");
    expect((await list("limit=1000")).body.error.field).toBe("limit");
  });

  it("returns a group's siblings with messages, and one rollout", async () => {
    const g = await call(groupRoute.GET(new Request("http://x"), params(`g-${expId}-5`)));
    expect(g.status).toBe(200);
    expect(g.body.rollouts).toHaveLength(4);
    expect(g.body.rollouts[0].messages).toHaveLength(6);
    expect(g.body.rollouts[0].messages[0]).toMatchObject({ role: "assistant" });
    const r = await call(rolloutRoute.GET(new Request("http://x"), params(`r-${expId}-5-2`)));
    expect(r.body.rollout).toMatchObject({ id: `r-${expId}-5-2`, sample_index: 2, policy_violations: [] });
    expect((await call(rolloutRoute.GET(new Request("http://x"), params("r-0-0-0")))).status).toBe(404);
    expect((await call(groupRoute.GET(new Request("http://x"), params("nope")))).body.error.field).toBe("id");
  });

  it("computes the overview from summary rows", async () => {
    const o = (await call(overviewRoute.GET(new Request("http://x"), params(expId)))).body;
    expect(o.rollouts_done).toBe(480);
    expect(o.pass_hat_k.map((x: { k: number }) => x.k)).toEqual([1, 2, 3, 4]);
    expect(o.pass_hat_k[0].value).toBeCloseTo(o.pass_rate, 9);
    const cellN = o.cells.reduce((s: number, c: { n: number }) => s + c.n, 0);
    expect(cellN).toBe(480);
    const termN = Object.values(o.terminations as Record<string, number>).reduce((s, n) => s + n, 0);
    expect(termN).toBe(480);
    expect(o.turns_histogram.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(480);
    expect(o.tokens_histogram.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(480);
  });

  it("streams an export download", async () => {
    const res = await exportRoute.GET(new Request(`http://x/api/experiments/${expId}/export?format=jsonl`), params(expId));
    expect(res.headers.get("content-disposition")).toContain("rollouts.jsonl");
    const lines = (await res.text()).trim().split("\n");
    expect(lines).toHaveLength(480);
    expect(JSON.parse(lines[0])).toMatchObject({ rollout_id: `r-${expId}-0-0`, sample_index: 0 });
    const bad = await call(exportRoute.GET(new Request(`http://x/api/experiments/${expId}/export?format=xml`), params(expId)));
    expect(bad.body.error.field).toBe("format");
  });
});

describe("endpoints", () => {
  it("stores a key server-side, never returns it, tests with it, deletes", async () => {
    const created = await call(
      endpointsRoute.POST(
        new Request("http://x/api/endpoints", { method: "POST", body: JSON.stringify({ name: "stub", base_url: stub.baseURL, model: "stub-model", api_key: SECRET }) }),
      ),
    );
    expect(created.status).toBe(201);
    expect(created.body.endpoint).toMatchObject({ name: "stub", has_api_key: true });
    const dup = await call(endpointsRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ name: "stub", base_url: stub.baseURL, model: "m" }) })));
    expect(dup.body.error.field).toBe("name");
    const badUrl = await call(endpointsRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ name: "x", base_url: "nope", model: "m" }) })));
    expect(badUrl.body.error.field).toBe("base_url");
    const listed = await call(endpointsRoute.GET());
    expect(listed.body.endpoints).toHaveLength(1);
    const tested = await call(
      endpointTestRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ endpoint_id: created.body.endpoint.id }) })),
    );
    expect(tested.body.ok).toBe(true);
    // The stored key went to the model server (server-side), nowhere else.
    expect(stub.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    const del = await call(endpointRoute.DELETE(new Request("http://x", { method: "DELETE" }), params(created.body.endpoint.id)));
    expect(del.body).toEqual({ deleted: true, id: created.body.endpoint.id });
    expect((await call(endpointRoute.DELETE(new Request("http://x", { method: "DELETE" }), params(created.body.endpoint.id)))).status).toBe(404);
    for (const text of seen) expect(text).not.toContain(SECRET);
  });
});
