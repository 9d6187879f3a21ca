/**
 * The jobs page's Workers panel against the real server and its one worker process
 * (playwright.config.ts: WORKERS=1): the worker is listed live under its host, shows the job it
 * runs while it runs it, and its done count grows once the job finishes.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";

interface WorkerBody {
  id: string;
  state: string;
  jobsDone: number;
  jobs: { id: number; name: string }[];
}
interface WorkersBody {
  hosts: { host: string; live: number; workers: WorkerBody[] }[];
}

async function liveWorkers(request: APIRequestContext): Promise<WorkerBody[]> {
  const res = await request.get("/api/workers");
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as WorkersBody;
  return body.hosts.flatMap((h) => h.workers).filter((w) => w.state === "live");
}

test("the Workers panel lists the live worker by host and follows the job it runs", async ({ page, request }) => {
  // The server starts its worker beside it; it is live once it heartbeats.
  await expect.poll(async () => (await liveWorkers(request)).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const [worker] = await liveWorkers(request);

  await page.goto("/jobs");
  const panel = page.getByRole("region", { name: "Workers" });
  await expect(panel).toBeVisible();
  const row = panel.locator(`[data-testid="worker-row"][data-worker-id="${worker.id}"]`);
  await expect(row).toHaveAttribute("data-state", "live");
  await expect(panel.getByTestId("worker-host").first().getByTestId("worker-host-count")).toHaveText(/^\d+ workers?/);

  const enqueued = await request.post("/api/jobs", { data: { name: "demo.sleep", payload: { steps: 8, stepMs: 400 } } });
  expect(enqueued.status(), await enqueued.text()).toBe(201);
  const { job } = (await enqueued.json()) as { job: { id: number } };

  // Live refresh: the job shows on its worker's row while it runs, then leaves it, without a reload.
  const current = panel.locator(`[data-testid="worker-job"][data-job-id="${job.id}"]`);
  await expect(current).toBeVisible({ timeout: 15_000 });
  await expect(current).toContainText("demo.sleep");
  await expect(current).toHaveCount(0, { timeout: 20_000 });
  await expect
    .poll(async () => (await liveWorkers(request)).find((w) => w.id === worker.id)?.jobsDone ?? 0, { timeout: 10_000 })
    .toBeGreaterThan(worker.jobsDone);
  await expect(row.getByTestId("worker-throughput")).toContainText("jobs/min");
});
