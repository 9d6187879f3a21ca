/**
 * Compare two runs on the demo: from the experiment page's "Compare with…" picker to /compare
 * with the demo on both sides; the tier table, the per-task table (its numbers equal the API's),
 * the W × B delta heatmap and the paired groups show, and the view state survives a reload.
 */
import { expect, test } from "@playwright/test";
import { demoExperiment } from "./demo";

interface CompareBody {
  a: { tiers: Record<string, { rho: number | null }> };
  tasks: { task_id: string; a: { passed: number; rollouts: number }; b: { passed: number; rollouts: number } }[];
  cells: unknown[];
}

test("compare the demo with itself: side by side, delta heatmap, paired groups, URL round-trip", async ({ page, request }) => {
  test.setTimeout(240_000);
  const id = await demoExperiment(request);
  const api = (await (await request.get(`/api/compare?a=${id}&b=${id}`)).json()) as CompareBody;

  await page.goto(`/experiments/${id}`);
  await page.getByTestId("compare-menu").locator("summary").click();
  await expect(page.getByTestId("compare-pick-a")).toHaveValue(String(id));
  await page.getByTestId("compare-menu").getByTestId("compare-pick-b").selectOption(String(id));
  await page.getByTestId("compare-menu").getByTestId("compare-submit").click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${id}&b=${id}$`));

  // Tiers side by side: the same experiment on both sides gives the same rho and a zero delta.
  const soft = page.getByTestId("compare-tiers").locator('tr[data-tier="soft"]');
  const rho = api.a.tiers.soft.rho!;
  const shown = `${rho > 0 ? "+" : ""}${rho.toFixed(3)}`;
  await expect(soft.locator('[data-col="rho-a"]')).toHaveText(shown);
  await expect(soft.locator('[data-col="rho-b"]')).toHaveText(shown);
  await expect(soft.locator('[data-col="delta"]').first()).toHaveText("0.000");

  // Per task: one row per task of the API, pass counts as the API counted them.
  const rows = page.getByTestId("compare-tasks").locator("tbody tr");
  await expect(rows).toHaveCount(api.tasks.length);
  const first = api.tasks.find((t) => t.task_id === "writ-c0-w1b1-0") ?? api.tasks[0];
  await expect(page.locator(`tr[data-task="${first.task_id}"] td`).last()).toHaveText(`${first.a.passed}/${first.a.rollouts} · ${first.b.passed}/${first.b.rollouts}`);

  // The W × B delta heatmap (signed scale) has a cell per W × B pair, all 0 here.
  const heatmap = page.getByTestId("compare-cell-deltas");
  await expect(heatmap).toContainText("Δ pass rate per W × B cell");
  await expect(heatmap.locator("[data-testid^='heatmap-cell-']").first()).toBeVisible();
  await expect(heatmap).toContainText("percentage points, B − A");

  // Paired groups: A's and B's group of the same task, annotated turns in both.
  await expect(page.getByTestId("compare-group-a").locator("[data-tier]").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("compare-group-b").locator("[data-tier]").first()).toBeVisible();

  // View state into the URL, and back out of it after a reload.
  await page.getByTestId("sort-task").click();
  await page.getByRole("radio", { name: "Δ mean advantage" }).click();
  await page.getByTestId("compare-group-task").selectOption(api.tasks[1].task_id);
  await expect(page).toHaveURL(/sort=task&dir=asc&metric=mean_adv&task=/);
  await page.reload();
  await expect(page.getByTestId("compare-tasks").locator("tbody tr").first()).toHaveAttribute("data-task", [...api.tasks.map((t) => t.task_id)].sort()[0]);
  await expect(page.getByTestId("compare-cell-deltas")).toContainText("Δ mean advantage (soft) per W × B cell");
  await expect(page.getByTestId("compare-groups")).toContainText(`task ${api.tasks[1].task_id}`);
});

test("the compare API names the field of bad input and refuses step ranges on a non-training experiment", async ({ request }) => {
  const id = await demoExperiment(request);
  const bad = await request.get(`/api/compare?a=${id}&b=${id}&a_steps=0-50`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("a_steps");
  expect((await request.get(`/api/compare?a=${id}&b=999999`)).status()).toBe(404);
});
