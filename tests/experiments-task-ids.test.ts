/**
 * task_ids on POST /api/experiments: the schema caps them at 10,000 with a 400 that names the
 * field and the limit, and the task lookup never runs out of SQL variables (SQLite allows
 * 32,766 per statement), whether from the route or from the job of a set synthesized later.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { listRunTasks } from "../lib/rollouts/store/run-tasks";
import * as experimentsRoute from "../app/api/experiments/route";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

const appDb = appTempDb("writ-task-ids-");
let setId: number;
let realIds: string[];

const post = async (body: unknown) => {
  const r = await experimentsRoute.POST(new Request("http://x/api/experiments", { method: "POST", body: JSON.stringify(body) }));
  return { status: r.status, body: await r.json() };
};
const valid = (taskIds: string[]) => ({ name: "many ids", task_set_id: setId, agent: { kind: "simulated" }, group_size: 1, task_ids: taskIds });
const padded = (n: number) => [...realIds, ...Array.from({ length: n - realIds.length }, (_, i) => `no-such-task-${i}`)];

beforeAll(() => {
  appDb.open();
  const tasks = synthesizeSmall([{ writes: 1, evidence: 1, count: 3 }]);
  realIds = tasks.map((t) => t.id);
  setId = insertTaskSet(getDb(), "ids-set", tasks);
});
afterAll(() => appDb.close());

describe("task_ids", () => {
  it("33,000 ids: a 400 naming task_ids and the limit, not a 500", async () => {
    const r = await post(valid(padded(33_000)));
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe("task_ids");
    expect(r.body.error.message).toMatch(/10,000 task ids/);
  });

  it("10,000 ids are looked up in one go: the unknown one is named", async () => {
    const r = await post(valid(padded(10_000)));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: "task_ids", message: expect.stringMatching(/"no-such-task-0" is not in task set/) });
    const ok = await post(valid([realIds[2], realIds[0]]));
    expect(ok.status).toBe(201);
    expect(ok.body.experiment.groups).toBe(2);
  });

  it("the lookup takes more ids than SQLite has variables, in the set's order", () => {
    const ids = [...Array.from({ length: 40_000 }, (_, i) => `x${i}`), realIds[2], realIds[0]];
    expect(listRunTasks(getDb(), setId, ids).map((r) => r.taskId)).toEqual([realIds[0], realIds[2]]);
  });
});
