/**
 * A single-trial import (one rollout per task, as in many published τ² result files) in the
 * calibration workbench: every advantage is 0, so the checked tiers show as "no direction"
 * (a grey badge, ○ on the direction chart), the mismatch badge says 0, and the stop rule says
 * "undecided" instead of asking to iterate.
 */
import { expect, test } from "@playwright/test";
import { makeRollout } from "../lib/rewards/test-helpers";

/** 30 tasks, one trial each: passing trials read and cancel right, failing ones err and guess. */
function singleTrialJsonl(): string {
  const gold = [
    { name: "get_reservation_details", arguments: { reservation_id: "R1" } },
    { name: "cancel_reservation", arguments: { reservation_id: "R1" } },
  ];
  const lines: string[] = [];
  for (let g = 0; g < 30; g++) {
    const pass = g % 3 !== 0;
    const turns = pass
      ? [[{ name: "get_reservation_details", args: { reservation_id: "R1" } }], [{ name: "cancel_reservation", args: { reservation_id: "R1" } }], "Done."]
      : [[{ name: "get_reservation_details", args: { reservation_id: "R404" }, error: true }], [{ name: "cancel_reservation", args: { reservation_id: "R9" } }], "Sorry."];
    lines.push(JSON.stringify(makeRollout(turns, { rollout_id: `e2e-single-${Date.now()}-${g}`, group_id: `g${g}`, task_id: `single-${g}`, outcome: pass ? 1 : 0, gold_actions: gold })));
  }
  return lines.join("\n") + "\n";
}

test("single-trial import: no-direction badge, 0 mismatches, stop rule undecided", async ({ page, request }) => {
  const res = await request.post("/api/experiments/import", { data: { from: "jsonl", text: singleTrialJsonl(), name: `e2e single trials ${Date.now()}` } });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { experiment_id: number }).experiment_id;

  await page.goto(`/experiments/${id}/calibrate`);
  const badge = page.getByTestId("no-direction-badge");
  await expect(badge).toBeVisible({ timeout: 30_000 });
  expect(Number(await badge.getAttribute("data-count"))).toBeGreaterThanOrEqual(1);
  await expect(badge).toContainText("no direction");
  await expect(page.getByTestId("mismatch-badge")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("stop-rule")).toHaveAttribute("data-status", "undecided");
  await expect(page.getByTestId("stop-rule-undecided")).toContainText("more rollouts per task");
  await expect(page.getByTestId("direction-none")).toContainText("without direction");
});
