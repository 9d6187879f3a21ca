/**
 * Security of the rollout browser: model and tool output render as text. A crafted rollout
 * (imported through the CLI, as researchers do) carries HTML in the assistant's message,
 * the tool result and the user's reply; every one must show literally and none may run.
 */
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = "<script>window.__pwned = 1</script>";
const IMG = "<img src=x onerror=alert(1)>";

function craftedRollout(i: number) {
  return {
    rollout_id: `r-xss-${i}`,
    task_id: "xss-task",
    group_id: "g-xss",
    sample_index: i,
    outcome: i === 0 ? 1 : 0,
    reward: i === 0 ? 1 : 0,
    termination: "user_stop",
    messages: [
      { role: "assistant", content: "Hi! How can I help you today?" },
      { role: "user", content: `Please help. ${IMG}` },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "get_user_details", arguments: { user_id: `<b>bold</b>${i}` } }] },
      { role: "tool", tool_call_id: "c1", content: JSON.stringify({ note: IMG, html: "<iframe src=javascript:alert(2)></iframe>" }), error: false },
      { role: "assistant", content: `Here you go: ${SCRIPT} and ${IMG} **not markdown**` },
      { role: "user", content: "###STOP###" },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5 },
    metadata: { agent: "imported-agent", user: "imported-user" },
  };
}

/** A long conversation: `turns` agent turns alternating a tool call and a question answered by the user. */
function longRollout(i: number, turns: number) {
  const messages: unknown[] = [
    { role: "assistant", content: "Hi! How can I help you today?" },
    { role: "user", content: "I have many questions." },
  ];
  for (let t = 1; t <= turns; t++) {
    if (t % 2 === 1) {
      messages.push({ role: "assistant", content: null, tool_calls: [{ id: `c${t}`, name: "get_flight_status", arguments: { flight_number: `HAT${String(t).padStart(3, "0")}`, date: "2024-05-16" } }] });
      messages.push({ role: "tool", tool_call_id: `c${t}`, content: JSON.stringify({ status: "available", sample: i, turn: t }), error: false });
    } else {
      messages.push({ role: "assistant", content: `Sample ${i}, turn ${t}: anything else?` });
      messages.push({ role: "user", content: t === turns ? "###STOP###" : `Yes, question ${t}.` });
    }
  }
  return { rollout_id: `r-long-${i}`, task_id: "long-task", group_id: "g-long", sample_index: i, outcome: i % 2, reward: i % 2, termination: "user_stop", messages };
}

function importJsonl(name: string, rows: unknown[]): number {
  const dir = mkdtempSync(join(tmpdir(), "writ-ui-"));
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  let out: string;
  try {
    out = execFileSync(process.execPath, ["--import", "tsx", "bin/writ.ts", "import", "--from", "jsonl", file, "--experiment", `${name}-${Date.now()}`], {
      env: { ...process.env, WRIT_DB: process.env.E2E_DB },
      encoding: "utf8",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (JSON.parse(out) as { experiment_id: number }).experiment_id;
}

let experimentId = 0;
let longExperimentId = 0;

test.beforeAll(() => {
  experimentId = importJsonl("xss", [0, 1].map((i) => craftedRollout(i)));
  longExperimentId = importJsonl("long", Array.from({ length: 8 }, (_, i) => longRollout(i, 40)));
});

test("HTML in model, tool and user output shows literally and never runs", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/experiments/${experimentId}/groups`);
  await page.getByTestId("group-row").first().getByRole("link").click();
  const grid = page.getByTestId("rollout-grid");
  await expect(grid.getByTestId("rollout-header")).toHaveCount(2);

  // Assistant text, literally.
  const assistant = page.getByTestId("turn-cell-2-0").getByTestId("assistant-text");
  await expect(assistant).toHaveText(`Here you go: ${SCRIPT} and ${IMG} **not markdown**`);
  // User text, literally.
  await expect(page.getByTestId("turn-cell-0-0").getByTestId("user-text")).toHaveText(`Please help. ${IMG}`);
  // Tool arguments, literally (formatted JSON).
  await expect(page.getByTestId("turn-cell-1-0").getByTestId("tool-args")).toContainText('"user_id": "<b>bold</b>0"');
  // Tool result: collapsed by default, literal when opened.
  const result = page.getByTestId("turn-cell-1-0").getByTestId("tool-result");
  await expect(result).not.toHaveAttribute("open", "");
  await result.locator("summary").click();
  await expect(result).toContainText(IMG);
  await expect(result).toContainText("<iframe src=javascript:alert(2)></iframe>");

  // Nothing was turned into elements, nothing ran.
  await expect(grid.locator("img, iframe, b, script")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // The single-rollout page renders the same way.
  await page.getByTestId("sibling-header-0").getByRole("link", { name: /open/ }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${experimentId}/rollouts/`));
  await expect(page.getByTestId("turn-cell-2-0").getByTestId("assistant-text")).toHaveText(`Here you go: ${SCRIPT} and ${IMG} **not markdown**`);
  await expect(page.getByTestId("rollout-grid").locator("img, iframe, b, script")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("8 siblings × 40 turns: keyboard navigation stays quick and lands where the URL says", async ({ page }) => {
  await page.goto(`/experiments/${longExperimentId}/groups`);
  await page.getByTestId("group-row").first().getByRole("link").click();
  const grid = page.getByTestId("rollout-grid");
  await expect(grid.getByTestId("rollout-header")).toHaveCount(8);
  await expect(page.getByTestId("turn-row-40")).toBeAttached();

  // Latency of one move measured in the page: key event → the new cell is selected and painted.
  const latencies = await page.evaluate(async () => {
    const out: number[] = [];
    const moves: [string, number, number][] = [];
    for (let t = 1; t <= 39; t++) moves.push(["j", t, 0]);
    for (let s = 1; s <= 7; s++) moves.push(["l", 39, s]);
    for (const [key, t, s] of moves) {
      const t0 = performance.now();
      window.dispatchEvent(new KeyboardEvent("keydown", { key }));
      await new Promise<void>((resolve) => {
        const check = () => (document.querySelector(`[data-testid="turn-cell-${t}-${s}"][aria-selected="true"]`) ? requestAnimationFrame(() => resolve()) : setTimeout(check, 0));
        check();
      });
      out.push(performance.now() - t0);
    }
    return out;
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`selection move on an 8 × 41 grid: median ${median.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
  expect(median).toBeLessThan(150);
  await expect(page.getByTestId("turn-cell-39-7")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("turn-cell-39-7")).toBeInViewport();
  await expect(page).toHaveURL(/turn=39&sibling=7$/);
  // Past the edges the selection stays put.
  await page.keyboard.press("l");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(page).toHaveURL(/turn=40&sibling=7$/);
  await page.reload();
  await expect(page.getByTestId("turn-cell-40-7")).toHaveAttribute("aria-selected", "true");
});
