/**
 * The experiments UI end to end: a small experiment with simulated drivers created in the
 * form, watched live to 100 %, then the rollout browser: a group's siblings navigated with
 * j/k/h/l, and a reload that lands on the same selected cell.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";

const SET_NAME = `e2e-experiments-${Date.now()}`;

/** A small synthesized task set (3 tasks), created through the API and awaited until ready. */
async function createTaskSet(request: APIRequestContext): Promise<number> {
  const res = await request.post("/api/task-sets", {
    data: {
      name: SET_NAME,
      config: { grid: [{ writes: 1, evidence: 2, count: 2 }, { writes: 2, evidence: 1, count: 1 }], behaviors: { cooperative: 1 }, seed: 7 },
    },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const { task_set } = (await res.json()) as { task_set: { id: number } };
  await expect
    .poll(
      async () => {
        const list = (await (await request.get("/api/task-sets")).json()) as { task_sets: { id: number; status: string; task_count: number }[] };
        const set = list.task_sets.find((s) => s.id === task_set.id);
        return set && set.status === "ready" ? set.task_count : set?.status;
      },
      { timeout: 60_000 },
    )
    .toBe(3);
  return task_set.id;
}

test("create a simulated experiment, watch it finish, browse a group with the keyboard", async ({ page, request }) => {
  test.setTimeout(150_000);
  const taskSetId = await createTaskSet(request);

  // 1. The form: simulated drivers (labelled as such), N = 4.
  await page.goto("/experiments/new");
  await page.getByLabel("Name").fill("e2e simulated run");
  await page.getByLabel("Task set").selectOption(String(taskSetId));
  await expect(page.getByText("simulated", { exact: true }).first()).toBeVisible();
  await page.getByLabel("Preset").selectOption("average");
  await page.getByLabel("Group size N").fill("4");
  await page.getByLabel("Max turns").fill("30");
  await page.getByRole("button", { name: "Launch experiment" }).click();

  // 2. Live progress until 100 %, without reloading.
  await expect(page).toHaveURL(/\/experiments\/\d+$/);
  const experimentId = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.getByTestId("progress-count")).toHaveText("12/12", { timeout: 90_000 });
  await expect(page.getByTestId("progress-pct")).toHaveText("100%");
  await expect(page.getByTestId("experiment-status")).toHaveAttribute("data-status", "completed");
  await expect(page.getByRole("progressbar", { name: "Rollouts done" })).toHaveAttribute("aria-valuenow", "12");
  // The overview follows: pass^k and the W × B heatmap with links to the filtered group list.
  await expect(page.getByTestId("chart-pass-hat-k")).toBeVisible();
  const heatmap = page.getByTestId("heatmap-pass-rate");
  await expect(heatmap).toBeVisible();
  await expect(heatmap.locator(`a[href="/experiments/${experimentId}/groups?w=1&b=2"]`)).toBeVisible();

  // The list shows it as completed.
  await page.goto("/experiments");
  const row = page.getByTestId(`experiment-row-${experimentId}`);
  await expect(row).toHaveAttribute("data-status", "completed");
  await expect(row.getByTestId("experiment-progress")).toHaveText("12/12");
  await expect(row.getByText("simulated").first()).toBeVisible();

  // 3. Heatmap cell → filtered group list (the filter lives in the URL).
  await page.goto(`/experiments/${experimentId}`);
  await page.getByTestId("heatmap-pass-rate").locator(`a[href="/experiments/${experimentId}/groups?w=1&b=2"]`).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${experimentId}/groups\\?w=1&b=2$`));
  await expect(page.getByTestId("group-row")).toHaveCount(2);
  await expect(page.getByLabel("W (writes)")).toHaveValue("1");

  // 4. A group: 4 siblings side by side; j/k move turns, h/l move siblings.
  await page.getByTestId("group-row").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/groups\/[^/?]+/);
  const grid = page.getByTestId("rollout-grid");
  await expect(grid.getByTestId("rollout-header")).toHaveCount(4);
  await expect(page.getByTestId("turn-cell-0-0")).toHaveAttribute("aria-selected", "true");

  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("l");
  await page.keyboard.press("l");
  await page.keyboard.press("l");
  await page.keyboard.press("h");
  await expect(page.getByTestId("turn-cell-2-2")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("turn-cell-0-0")).toHaveAttribute("aria-selected", "false");
  await expect(page.locator('[aria-selected="true"][data-testid^="turn-cell-"]')).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]turn=2&sibling=2$/);
  await expect(page.getByTestId("turn-cell-2-2")).toBeInViewport();

  // 5. Reload: the same cell is selected.
  await page.reload();
  await expect(page.getByTestId("turn-cell-2-2")).toHaveAttribute("aria-selected", "true");
  await expect(grid).toHaveAttribute("data-selected-turn", "2");
  await expect(grid).toHaveAttribute("data-selected-sibling", "2");

  // Tool results start collapsed; a rollout has its own URL at the selected turn.
  const firstResult = grid.getByTestId("tool-result").first();
  await expect(firstResult).not.toHaveAttribute("open", "");
  await expect(page.getByTestId("sibling-header-2").getByRole("link", { name: /open/ })).toHaveAttribute("href", /\/rollouts\/[^/?]+\?turn=2$/);

  // The rollout page (one sibling with at least 4 turns): j moves on, a reload keeps the turn.
  const groupId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  const group = (await (await request.get(`/api/groups/${encodeURIComponent(groupId)}`)).json()) as { rollouts: { id: string; turns: number }[] };
  const long = group.rollouts.find((r) => r.turns >= 4);
  expect(long, "a sibling with 4+ turns").toBeTruthy();
  await page.goto(`/experiments/${experimentId}/rollouts/${encodeURIComponent(long!.id)}?turn=2`);
  await expect(page.getByTestId("turn-cell-2-0")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("j");
  await expect(page).toHaveURL(/\?turn=3$/);
  await page.reload();
  await expect(page.getByTestId("turn-cell-3-0")).toHaveAttribute("aria-selected", "true");
});
