/**
 * Export as a background job from the experiment page (issue 20, item 7): the Export menu
 * queues an export, the Exports card shows it until the worker has written the file, and
 * the download link serves a file whose lines match the row count shown.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

test("export rollouts from the experiment page as a job, then download the file", async ({ page, request }) => {
  test.setTimeout(90_000);
  // The demo experiment is seeded on first start; wait until it has finished rollouts to export.
  const list = (await (await request.get("/api/experiments")).json()) as { experiments: { id: number; name: string }[] };
  const demo = list.experiments.find((e) => e.name.startsWith("Demo: simulated agents"));
  expect(demo, "the demo experiment is seeded").toBeTruthy();
  await expect
    .poll(async () => ((await (await request.get(`/api/experiments/${demo!.id}`)).json()) as { experiment: { rollouts_done: number } }).experiment.rollouts_done, { timeout: 60_000 })
    .toBeGreaterThan(0);

  await page.goto(`/experiments/${demo!.id}`);
  await page.getByText("Export ▾").click();
  await page.getByTestId("export-create-jsonl").click();

  const card = page.getByTestId("exports-card");
  await expect(card).toBeVisible();
  const link = card.getByRole("link", { name: /experiment-\d+-rollouts\.jsonl/ }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  const rows = Number((await link.textContent())!.match(/([\d,]+) rows/)![1].replace(/,/g, ""));

  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const text = readFileSync((await download.path())!, "utf8");
  expect(text.trim().split("\n")).toHaveLength(rows);
  expect(JSON.parse(text.split("\n")[0])).toMatchObject({ rollout_id: expect.any(String), messages: expect.any(Array) });
});
