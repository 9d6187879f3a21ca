/**
 * /api/task-sets, /api/tasks and /api/environments route handlers called directly (no
 * server): synthesis enqueue, τ² import, filters, export, target diff, record lookups,
 * and 400s that name the field.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { getJob } from "../lib/jobs/store/queue";
import * as taskSetsRoute from "../app/api/task-sets/route";
import * as taskSetRoute from "../app/api/task-sets/[id]/route";
import * as taskSetTasksRoute from "../app/api/task-sets/[id]/tasks/route";
import * as exportRoute from "../app/api/task-sets/[id]/export/route";
import * as taskRoute from "../app/api/tasks/[id]/route";
import * as environmentsRoute from "../app/api/environments/route";
import * as environmentRoute from "../app/api/environments/[id]/route";
import * as usersRoute from "../app/api/environments/[id]/users/route";
import * as userRoute from "../app/api/environments/[id]/users/[userId]/route";
import * as reservationsRoute from "../app/api/environments/[id]/reservations/route";
import * as flightsRoute from "../app/api/environments/[id]/flights/route";
import * as flightRoute from "../app/api/environments/[id]/flights/[number]/route";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

const appDb = appTempDb("writ-api-tasks-", { env: { TAU2_DATA_DIR: undefined } });
beforeAll(() => appDb.open());
afterAll(() => appDb.close());

const post = (body: unknown) =>
  taskSetsRoute.POST(new Request("http://x/api/task-sets", { method: "POST", body: JSON.stringify(body) }));
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });
const get = (url: string) => new Request(`http://x${url}`);

const TASKS = [
  {
    id: "a",
    user_scenario: { persona: null, instructions: { domain: "airline", reason_for_call: "cancel", known_info: null, task_instructions: null } },
    evaluation_criteria: {
      actions: [{ action_id: "a_0", name: "cancel_reservation", arguments: { reservation_id: "NOPE01" }, info: null }],
      reward_basis: ["DB"],
    },
  },
  { id: "b", user_scenario: { instructions: "just chat" }, evaluation_criteria: { actions: [], reward_basis: ["DB"] } },
];

describe("POST /api/task-sets", () => {
  it("enqueues a synthesis job with its queued set", async () => {
    const res = await post({ name: "grid", config: { grid: [{ writes: 1, evidence: 2, count: 1 }], seed: 5 } });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.task_set).toMatchObject({ name: "grid", status: "queued", source: "synthesized", task_count: 0 });
    const job = getJob(getDb(), body.job.id)!;
    expect(job).toMatchObject({ name: "synthesis.run", status: "queued" });
    expect(job.payload).toMatchObject({ task_set_id: body.task_set.id, config: { seed: 5 } });
    const list = await (await taskSetsRoute.GET()).json();
    expect(list.task_sets[0]).toMatchObject({ id: body.task_set.id, status: "queued", job: { id: body.job.id, status: "queued" } });
  });

  it("400s a bad config naming the field, and creates nothing", async () => {
    const bad = await post({ name: "bad", config: { grid: [{ writes: 1, evidence: 0, count: 1 }] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_request", field: "config.grid[0].evidence" });
    const behaviour = await post({ name: "bad", config: { grid: [{ writes: 1, evidence: 1, count: 1 }], behaviors: { shouty: 1 } } });
    expect((await behaviour.json()).error.field).toBe("config.behaviors.shouty");
    const none = await post({ name: "bad" });
    expect((await none.json()).error.field).toBe("config");
    const noName = await post({ config: { grid: [{ writes: 1, evidence: 1, count: 1 }] } });
    expect((await noName.json()).error.field).toBe("name");
    const list = await (await taskSetsRoute.GET()).json();
    expect(list.task_sets.map((s: { name: string }) => s.name)).not.toContain("bad");
  });

  it("400s a duplicate name and an unknown environment", async () => {
    const dup = await post({ name: "grid", config: { grid: [{ writes: 1, evidence: 1, count: 1 }] } });
    expect(dup.status).toBe(400);
    expect((await dup.json()).error.field).toBe("name");
    const env = await post({ name: "other", environment_id: 999, config: { grid: [{ writes: 1, evidence: 1, count: 1 }] } });
    expect((await env.json()).error.field).toBe("environment_id");
  });

  it("400s a bad import naming the index and field", async () => {
    const broken = [TASKS[0], { id: "b", user_scenario: {} }];
    const res = await post({ name: "imp-bad", import: broken });
    expect(res.status).toBe(400);
    const err = (await res.json()).error;
    expect(err.field).toBe("import[1].user_scenario.instructions");
    expect(err.message).toContain('task id "b"');
    const dup = await post({ name: "imp-dup", import: [TASKS[0], TASKS[0]] });
    expect((await dup.json()).error.field).toBe("import[1].id");
    const notArray = await post({ name: "imp-x", import: { tasks: [] } });
    expect((await notArray.json()).error.field).toBe("import");
  });
});

describe("imported task sets", () => {
  let setId: number;
  it("imports a τ² tasks.json, lists, filters and exports it", async () => {
    const res = await post({ name: "imported", import: TASKS });
    expect(res.status).toBe(201);
    const { task_set } = await res.json();
    setId = task_set.id;
    expect(task_set).toMatchObject({ status: "ready", source: "tau2", task_count: 2 });

    const all = await (await taskSetTasksRoute.GET(get(`/api/task-sets/${setId}/tasks`), params({ id: String(setId) }))).json();
    expect(all.total).toBe(2);
    expect(all.tasks[0]).toMatchObject({ task_id: "a", writes: 1, evidence_total: 0, decision_types: ["cancel_reservation"] });
    expect(all.tasks[0].body).toBeUndefined();
    const w0 = await (await taskSetTasksRoute.GET(get(`/api/task-sets/${setId}/tasks?w=0`), params({ id: String(setId) }))).json();
    expect(w0.tasks.map((t: { task_id: string }) => t.task_id)).toEqual(["b"]);
    const byType = await (
      await taskSetTasksRoute.GET(get(`/api/task-sets/${setId}/tasks?decision=cancel_reservation`), params({ id: String(setId) }))
    ).json();
    expect(byType.total).toBe(1);
    const badQ = await taskSetTasksRoute.GET(get(`/api/task-sets/${setId}/tasks?w=x`), params({ id: String(setId) }));
    expect((await badQ.json()).error.field).toBe("w");

    const detail = await (await taskSetRoute.GET(get(""), params({ id: String(setId) }))).json();
    expect(detail.facets.writes).toEqual([0, 1]);

    const exp = await exportRoute.GET(get(""), params({ id: String(setId) }));
    expect(exp.headers.get("content-disposition")).toContain("imported.tasks.json");
    expect(await exp.json()).toEqual(TASKS);

    const task = await (await taskRoute.GET(get(`/api/tasks/${all.tasks[0].id}?diff=1`), params({ id: String(all.tasks[0].id) }))).json();
    expect(task.task.body.id).toBe("a");
    // The gold write names a reservation the generated state lacks: reported, not thrown.
    expect(task.target.writes[0]).toMatchObject({ name: "cancel_reservation", error: true });
    const missing = await taskRoute.GET(get("/api/tasks/99999"), params({ id: "99999" }));
    expect(missing.status).toBe(404);
    const badId = await taskSetRoute.GET(get(""), params({ id: "abc" }));
    expect(badId.status).toBe(400);
  });
});

describe("/api/environments", () => {
  it("lists the default environment and serves record lookups", async () => {
    const { environments } = await (await environmentsRoute.GET()).json();
    expect(environments[0]).toMatchObject({ source_kind: "generated", seed: expect.any(Number) });
    const id = String(environments[0].id);
    const env = await (await environmentRoute.GET(get(""), params({ id }))).json();
    expect(env.counts.users).toBeGreaterThan(100);
    const users = await (await usersRoute.GET(get(`/x?q=&page_size=5`), params({ id }))).json();
    expect(users.items).toHaveLength(5);
    const userId = users.items[0].user_id;
    const user = await (await userRoute.GET(get(""), params({ id, userId }))).json();
    expect(user.user.user_id).toBe(userId);
    expect(user.reservations.every((r: { user_id: string }) => r.user_id === userId)).toBe(true);
    const res = await (await reservationsRoute.GET(get(`/x?user=${userId}&status=active`), params({ id }))).json();
    expect(res.items.every((r: { status: string }) => r.status === "active")).toBe(true);
    const fl = await (await flightsRoute.GET(get(`/x?date=2024-05-20`), params({ id }))).json();
    expect(fl.items[0].date_status).not.toBeNull();
    const number = fl.items[0].flight_number;
    const flight = await (await flightRoute.GET(get(""), params({ id, number }))).json();
    expect(flight.dates.length).toBeGreaterThan(1);
    expect((await userRoute.GET(get(""), params({ id, userId: "__proto__" }))).status).toBe(404);
    const badDate = await flightsRoute.GET(get(`/x?date=May`), params({ id }));
    expect((await badDate.json()).error.field).toBe("date");
    expect((await environmentRoute.GET(get(""), params({ id: "999" }))).status).toBe(404);
  });

  it("creates a generated environment and 400s a missing τ² directory", async () => {
    const mk = (body: unknown) => environmentsRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify(body) }));
    expect((await mk({ source_kind: "generated", seed: 7 })).status).toBe(201);
    const bad = await mk({ source_kind: "tau2", domain_dir: "/no/such/dir" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("domain_dir");
  });
});
