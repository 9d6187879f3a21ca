/**
 * The run timeline while a training run streams: groups posted to POST /api/v1/ingest by the test
 * (the simulated agent on the demo task set, skill rising with the step) appear on the open page
 * without a reload; clicking a point lands on the workbench sliced to that step.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { simulateStep } from "../lib/ingest/simulate";
import type { Task } from "../lib/types/task";

const STEPS = 4;

async function post(request: APIRequestContext, batch: unknown[]) {
  const r = await request.post("/api/v1/ingest", { data: { batch } });
  expect(r.status(), await r.text()).toBe(207);
  const body = (await r.json()) as { successes: { experiment_id?: number }[]; errors: unknown[] };
  expect(body.errors).toEqual([]);
  return body;
}

async function stepEvents(runId: string, tasks: Task[], step: number) {
  const groups = await simulateStep(tasks, step, STEPS, 4);
  return groups.map((g) => ({ id: `${runId}:${g.group_id}`, type: "group.create", body: { run_id: runId, ...g } }));
}

test.setTimeout(180_000);

test("the timeline grows while a run streams; a point opens the workbench on its step", async ({ page, request }) => {
  const sets = (await (await request.get("/api/task-sets")).json()) as { task_sets: { id: number; name: string }[] };
  const demo = sets.task_sets.find((s) => s.name === "Demo: WRIT 5×5 grid");
  expect(demo, "the demo task set is seeded on first start").toBeTruthy();
  const tasks = ((await (await request.get(`/api/task-sets/${demo!.id}/export`)).json()) as Task[]).slice(0, 3);
  const runId = `e2e-timeline-${Date.now()}`;

  const first = await post(request, [
    { id: `${runId}:upsert`, type: "run.upsert", body: { run_id: runId, name: `e2e timeline ${runId}`, task_set: demo!.id, trainer: "e2e", group_size: 4 } },
    ...(await stepEvents(runId, tasks, 0)),
    ...(await stepEvents(runId, tasks, 1)),
  ]);
  const id = first.successes[0].experiment_id!;

  // The experiment page links to the timeline of a training run.
  await page.goto(`/experiments/${id}`);
  await page.getByTestId("timeline-link").click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${id}/timeline$`), { timeout: 45_000 });
  await expect(page.getByTestId("timeline-live")).toBeVisible();
  await expect(page.getByTestId("timeline-summary")).toContainText("2 points · steps 0–1");
  await expect(page.getByTestId("timeline-pass-rate").locator(".recharts-line")).toBeVisible();

  // The trainer goes on: the open page picks the new steps up by itself.
  await post(request, await stepEvents(runId, tasks, 2));
  await post(request, await stepEvents(runId, tasks, 3));
  await expect(page.getByTestId("timeline-summary")).toContainText("4 points · steps 0–3", { timeout: 20_000 });

  // Click the last point of the pass-rate chart (its right edge): the workbench opens on step 3.
  const plot = page.getByTestId("timeline-pass-rate").locator(".recharts-cartesian-grid");
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  await expect(page).toHaveURL(new RegExp(`/experiments/${id}/calibrate\\?steps=3$`), { timeout: 45_000 });
  await expect(page.getByLabel("from step")).toHaveValue("3");
  await expect(page.getByLabel("to step")).toHaveValue("3");
  await expect(page.getByTestId("chart-rho")).toBeVisible({ timeout: 30_000 });

  await post(request, [{ id: `${runId}:finish`, type: "run.finish", body: { run_id: runId } }]);
});
