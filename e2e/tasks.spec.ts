import { expect, test } from "@playwright/test";

test("synthesize a small task set from the form, watch it finish, open it and a task", async ({ page }) => {
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "Tasks", exact: true })).toBeVisible();
  const form = page.getByRole("form", { name: "New synthesis" });
  await form.getByRole("button", { name: "Clear" }).click();
  await form.getByLabel("Count for W=1, B=1", { exact: true }).fill("2");
  await form.getByLabel("Count for W=2, B=4", { exact: true }).fill("1");
  const name = `e2e grid ${Date.now()}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Weight for terse", { exact: true }).fill("1");
  await form.getByRole("button", { name: "Synthesize 3 tasks" }).click();

  const progress = page.getByTestId("synthesis-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await expect(page.getByTestId("synthesis-progress-count")).toHaveText("done · 2/2 cells");
  await expect(progress.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "2");

  // The list shows the new set as ready with its task count.
  const row = page.locator('[data-testid="task-set-row"]', { hasText: name });
  await expect(row.getByTestId("task-set-status")).toHaveAttribute("data-status", "ready");
  await expect(row.getByTestId("task-count")).toHaveText("3");

  await progress.getByRole("link", { name: "Open task set →" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const heatmap = page.getByTestId("wb-heatmap");
  await expect(heatmap).toBeVisible();
  await expect(heatmap.locator('[data-cell="1x1"]')).toContainText("2/2");
  await expect(heatmap.locator('[data-cell="2x4"]')).toContainText("1/1");
  await expect(page.getByTestId("task-row")).toHaveCount(3);

  // Filters live in the URL.
  await heatmap.locator('[data-cell="2x4"]').click();
  await expect(page).toHaveURL(/w=2&b=4/);
  await expect(page.getByTestId("task-row")).toHaveCount(1);

  await page.getByTestId("task-row").first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: /^Task / })).toBeVisible();
  await expect(page.getByTestId("scenario")).toContainText("Reason for call");
  await expect(page.getByText("Gold read plan")).toBeVisible();
  await expect(page.getByTestId("diff-row").first()).toBeVisible();
});

test("the demo task set is seeded and exports as τ² tasks.json", async ({ page, request }) => {
  await page.goto("/tasks");
  const row = page.locator('[data-testid="task-set-row"]', { hasText: "Demo: WRIT 5×5 grid" });
  await expect(row.getByTestId("task-set-status")).toHaveAttribute("data-status", "ready");
  await row.getByRole("link").click();
  await expect(page.getByTestId("heatmap-cell")).toHaveCount(25);
  const id = page.url().split("/").pop();
  const res = await request.get(`/api/task-sets/${id}/export`);
  expect(res.ok()).toBe(true);
  const tasks = (await res.json()) as { id: string; writ?: { writes: number } }[];
  expect(tasks.length).toBeGreaterThan(40);
  expect(tasks[0].writ?.writes).toBeGreaterThan(0);
});
