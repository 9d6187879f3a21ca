/**
 * The rollout browser explains every reward, on the demo experiment: each agent turn carries
 * its tier, reward and advantage (data-* attributes equal to the annotation API), hovering a
 * soft turn shows the near-missed gold action, a config change in the URL changes the labels,
 * and a compared config marks the changed turns with counts that match the marked cells.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoExperiment } from "./demo";

interface Turn {
  turn: number;
  tier: string;
  reward: number;
  advantage: number;
  reason: { text: string };
}
interface Annotations {
  config: { iteration_id: number | null; label: string };
  rollouts: { rollout_id: string; sample_index: number; scored: boolean; turns: Turn[] }[];
  compare: null | { summary: { changed: number; by_kind: Record<string, number> }; changes: unknown[] };
}

async function annotations(request: APIRequestContext, groupId: string, query: string): Promise<Annotations> {
  const res = await request.get(`/api/groups/${groupId}/annotations?${query}`);
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as Annotations;
}

test("turns carry tier, reward and advantage; the reason shows on hover; config and compare come from the URL", async ({ page, request }) => {
  test.setTimeout(240_000);
  const exp = await demoExperiment(request);
  const iterations = (await (await request.get(`/api/reward-configs?experiment_id=${exp}`)).json()) as { iterations: { id: number; number: number }[] };
  const first = iterations.iterations[0].id; // NAIVE_V5, seeded
  const groups = (await (await request.get(`/api/experiments/${exp}/groups?limit=50`)).json()) as { groups: { id: string }[] };
  // A group with a soft turn and with changes under the calibrated values.
  const CC = "read:0,state:-0.1,est:hybrid";
  let groupId = "";
  let base: Annotations | null = null;
  for (const g of groups.groups) {
    const a = await annotations(request, g.id, `iteration=${first}&compare=${first}&cc=${CC}`);
    const soft = a.rollouts.some((r) => r.turns.some((t) => t.tier === "soft"));
    if (soft && a.compare!.summary.changed > 0 && a.compare!.summary.by_kind.reward > 0) {
      groupId = g.id;
      base = a;
      break;
    }
  }
  expect(groupId, "a demo group with a soft turn and reward changes").not.toBe("");

  // 1. Annotated turns equal the API's numbers.
  await page.goto(`/experiments/${exp}/groups/${groupId}?iteration=${first}`);
  await expect(page.getByTestId("config-label")).toContainText("iteration #1");
  const cells = page.locator("[data-tier]");
  await expect(cells.first()).toBeVisible({ timeout: 60_000 });
  const total = base!.rollouts.reduce((s, r) => s + r.turns.length, 0);
  await expect(cells).toHaveCount(total);
  const sorted = [...base!.rollouts].sort((a, b) => a.sample_index - b.sample_index);
  const col = sorted.findIndex((r) => r.turns.some((t) => t.tier === "soft"));
  const softTurn = sorted[col].turns.find((t) => t.tier === "soft")!;
  const softCell = page.getByTestId(`turn-cell-${softTurn.turn + 1}-${col}`);
  await expect(softCell).toHaveAttribute("data-tier", "soft");
  await expect(softCell).toHaveAttribute("data-turn", String(softTurn.turn));
  expect(Number(await softCell.getAttribute("data-reward"))).toBe(softTurn.reward);
  expect(Number(await softCell.getAttribute("data-advantage"))).toBe(softTurn.advantage);
  const chip = softCell.getByTestId("turn-annotation");
  await expect(chip).toContainText("soft");

  // 2. Hover tells why: the near-missed gold action and the argument that differed.
  await chip.hover();
  const reason = softCell.getByTestId("turn-reason");
  await expect(reason).toBeVisible();
  await expect(reason).toContainText(/Near miss of gold action #\d+/);
  await expect(reason).toContainText("gold #");
  await expect(reason).toContainText("argument");

  // 3. A config in the URL changes the labels: the workbench's unsaved diff, soft fixed at 0.42.
  await page.goto(`/experiments/${exp}/groups/${groupId}?iteration=${first}&c=soft:0.42`);
  await expect(page.getByTestId("config-label")).toContainText("unsaved edits");
  await expect(softCell).toHaveAttribute("data-reward", "0.42");
  await expect(softCell.getByTestId("turn-annotation")).toContainText("r +0.42");

  // 4. Compare: the changed turns are marked, the summary counts them.
  await page.goto(`/experiments/${exp}/groups/${groupId}?iteration=${first}&compare=${first}&cc=${CC}`);
  const summary = page.getByTestId("compare-summary");
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const changed = base!.compare!.summary.changed;
  await expect(page.getByTestId("compare-changed")).toHaveText(String(changed));
  await expect(page.getByTestId("compare-kind-reward")).toHaveText(`reward ${base!.compare!.summary.by_kind.reward}`);
  await expect(page.locator("[data-changed]")).toHaveCount(changed);
  await expect(page.getByTestId("turn-change")).toHaveCount(changed);

  // 5. Keys: c jumps to a changed turn, t to a turn of the chosen tier (soft by default); j still moves.
  await page.locator("body").press("c");
  await expect(page.locator('[data-selected="true"]')).toHaveAttribute("data-changed", /tier|reward|sign/);
  await page.locator("body").press("t");
  await expect(page.locator('[data-selected="true"]')).toHaveAttribute("data-tier", "soft");
  const before = Number(await page.getByTestId("rollout-grid").getAttribute("data-selected-turn"));
  await page.locator("body").press("j");
  await expect(page.getByTestId("rollout-grid")).not.toHaveAttribute("data-selected-turn", String(before));

  // 6. The single-rollout view carries the same annotations for the same config.
  const rid = sorted[col].rollout_id;
  await page.goto(`/experiments/${exp}/rollouts/${rid}?iteration=${first}&turn=${softTurn.turn + 1}`);
  const one = page.getByTestId(`turn-cell-${softTurn.turn + 1}-0`);
  await expect(one).toHaveAttribute("data-tier", "soft", { timeout: 60_000 });
  expect(Number(await one.getAttribute("data-advantage"))).toBe(softTurn.advantage);
  await expect(page.getByTestId("rollout-strip")).toBeVisible();

  // 7. A workbench drill-down opens the browser on that group, turn and config.
  await page.goto(`/experiments/${exp}/calibrate?it=${first}&sel=tier.soft`);
  const link = page.getByTestId("drilldown-turn").first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  const href = (await link.getAttribute("href"))!;
  expect(href).toContain(`iteration=${first}`);
  expect(href).toContain("tier=soft");
  const turnParam = Number(new URL(href, "http://x").searchParams.get("turn"));
  await link.click();
  await expect(page).toHaveURL(/\/groups\//);
  const selected = page.locator('[data-selected="true"]');
  await expect(selected).toHaveAttribute("data-tier", "soft", { timeout: 60_000 });
  await expect(selected).toHaveAttribute("data-turn", String(turnParam - 1));
});
