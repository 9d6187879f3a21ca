/**
 * An imported τ² file whose recorded rewards disagree with WRIT Lab's evaluator: the
 * experiment page counts the disagreements and the rollout pages show "recorded 0.0 vs
 * recomputed 1.0" (and a replayed tool output that differs). Imported through the CLI with
 * the real τ² domain directory; skipped with a notice when that directory is absent.
 */
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TAU2_DIR } from "../lib/airline/testing/fixture";
import { oracleResults } from "../tests/tau2-results-fixture";

const haveTau2 = existsSync(TAU2_DIR);
if (!haveTau2) console.warn(`[e2e import-check] τ² data folder ${TAU2_DIR} absent: skipping`);

let experimentId = 0;

test.beforeAll(() => {
  test.skip(!haveTau2);
  const doc = oracleResults(TAU2_DIR, ["7", "8", "9"], { recordedReward: 0 });
  doc.simulations[2].reward_info = { reward: 1 };
  const tool = doc.simulations[1].messages.find((m) => m.role === "tool") as { content: string };
  tool.content = tool.content.replace("{", "{ ");
  const dir = mkdtempSync(join(tmpdir(), "writ-ui-import-"));
  const file = join(dir, "results.json");
  writeFileSync(file, JSON.stringify(doc));
  try {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "bin/writ.ts", "import", "--from", "tau2", file, "--experiment", `import check ${Date.now()}`, "--domain-dir", TAU2_DIR],
      { env: { ...process.env, WRIT_DB: process.env.E2E_DB }, encoding: "utf8" },
    );
    experimentId = (JSON.parse(out) as { experiment_id: number }).experiment_id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the experiment counts reward disagreements and the rollout shows recorded vs recomputed", async ({ page }) => {
  test.skip(!haveTau2);
  await page.goto(`/experiments/${experimentId}`);
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("Re-scored 3 of 3 rollouts");
  await expect(report.getByTestId("reward-disagreements")).toHaveText("2 recorded rewards differ from the recomputed one");
  await expect(report).toContainText("1 of 10 recorded tool outputs differ on replay");

  // Task 8's group (second in the file): recorded 0.0, recomputed 1.0, one altered tool output.
  await page.goto(`/experiments/${experimentId}/groups/g-${experimentId}-1`);
  await expect(page.getByTestId("reward-disagreement").first()).toHaveText("recorded 0.0 vs recomputed 1.0");
  await expect(page.getByTestId("rollout-header").first()).toContainText("1 tool output differ");
});
