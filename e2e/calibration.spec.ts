/**
 * The calibration workbench end to end, on the demo experiment (seeded on first start and run by
 * the worker; if this server's seed has none, a small simulated experiment is created here):
 * move a tier slider → the mismatch badge and the charts change; apply the IRC suggestion; save
 * an iteration; copy its link (and a long, short-linked one) and open each in a fresh browser
 * context → the same numbers; download every export and validate it.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

const DEMO_NAME = "Demo: simulated agents (mixed presets)";

interface ExperimentRow {
  id: number;
  name: string;
  status: string;
  rollouts_done: number;
}

async function listExperiments(request: APIRequestContext): Promise<ExperimentRow[]> {
  const res = await request.get("/api/experiments?limit=100");
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { experiments: ExperimentRow[] }).experiments;
}

/** A small simulated experiment (12 rollouts), for a server whose seed has no demo experiment. */
async function createSmallExperiment(request: APIRequestContext): Promise<number> {
  const set = await request.post("/api/task-sets", {
    data: {
      name: `e2e-calibration-${Date.now()}`,
      config: { grid: [{ writes: 1, evidence: 1, count: 2 }, { writes: 2, evidence: 2, count: 1 }], behaviors: { cooperative: 1 }, seed: 11 },
    },
  });
  expect(set.status(), await set.text()).toBeLessThan(300);
  const taskSetId = ((await set.json()) as { task_set: { id: number } }).task_set.id;
  await expect
    .poll(async () => {
      const list = (await (await request.get("/api/task-sets")).json()) as { task_sets: { id: number; status: string }[] };
      return list.task_sets.find((s) => s.id === taskSetId)?.status;
    }, { timeout: 60_000 })
    .toBe("ready");
  const res = await request.post("/api/experiments", {
    data: {
      name: "e2e calibration",
      task_set_id: taskSetId,
      agent: { kind: "simulated", preset: "average", presets_by_sample: ["expert", "sloppy", "average", "sloppy"] },
      user: { kind: "simulated" },
      group_size: 4,
      max_turns: 30,
      seed: 3,
    },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return ((await res.json()) as { experiment: { id: number } }).experiment.id;
}

/** The demo experiment once completed (or a fresh small one), polled through the API. */
async function completedExperiment(request: APIRequestContext): Promise<number> {
  const demo = (await listExperiments(request)).find((e) => e.name === DEMO_NAME);
  const id = demo?.id ?? (await createSmallExperiment(request));
  await expect
    .poll(async () => (await listExperiments(request)).find((e) => e.id === id)?.status, { timeout: 180_000, intervals: [1_000] })
    .toBe("completed");
  return id;
}

/** Wait until the charts show the result for the current editor state. */
async function waitFresh(page: Page) {
  await expect(page.locator('[data-testid="workbench"][data-fresh="true"][data-pending="false"]')).toBeVisible({ timeout: 30_000 });
}

/** The figures compared across browser contexts. */
async function readFigures(page: Page) {
  await waitFresh(page);
  const text = async (id: string) => (await page.getByTestId(id).textContent())?.trim() ?? "";
  const irc: Record<string, string> = {};
  for (const tier of ["gold", "soft", "read", "state", "message", "error", "duplicate"]) irc[tier] = await text(`irc-value-${tier}`);
  return {
    mismatches: await page.getByTestId("mismatch-badge").getAttribute("data-count"),
    badge: await text("mismatch-badge"),
    corrReward: await text("stat-corr-reward"),
    corrAdv: await text("stat-corr-adv"),
    dead: await text("stat-dead"),
    pass: await text("stat-pass"),
    n: await text("stat-n"),
    direction: await text("direction-summary"),
    estimators: await text("estimators-table"),
    irc,
    configHash: await page.getByTestId("workbench").getAttribute("data-config-hash"),
  };
}

async function copyLink(page: Page): Promise<string> {
  await page.getByTestId("copy-link").click();
  const field = page.getByTestId("share-link-text");
  await expect(field).toBeVisible();
  return field.inputValue();
}

async function readLines(path: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) rows.push(JSON.parse(line));
  return rows;
}

test("calibration workbench: slider → badge, IRC, save, share, exports", async ({ page, request, browser }) => {
  test.setTimeout(420_000);
  const id = await completedExperiment(request);

  // 1. Open: with no link state, the latest iteration is the base and the URL says so.
  await page.goto(`/experiments/${id}/calibrate`);
  await expect(page).toHaveURL(/\?it=\d+$/);
  const startIteration = Number(new URL(page.url()).searchParams.get("it"));
  await waitFresh(page);
  const before = await readFigures(page);
  expect(before.mismatches).toMatch(/^\d+$/);

  // 2. Move the gold slider to −1: gold (ρ > 0) is now penalised, so the direction check must change.
  await page.getByTestId("tier-slider-gold").fill("-1");
  await expect(page.getByTestId("tier-input-gold")).toHaveValue("-1");
  await expect(page).toHaveURL(/[?&]c=gold:-1(&|$)/);
  await expect.poll(async () => (await readFigures(page)).mismatches).not.toBe(before.mismatches);
  const moved = await readFigures(page);
  expect(moved.configHash).not.toBe(before.configHash);
  expect(moved.direction).not.toBe(before.direction);
  expect(moved.corrAdv).not.toBe(before.corrAdv);
  expect(Number(moved.mismatches)).toBeGreaterThan(0);
  await expect(page.getByTestId("direction-summary")).toContainText("gold");

  // 3. Apply the IRC suggestion (all tiers): the editor takes the suggested values, rounded to 0.01.
  const suggested = moved.irc;
  await page.getByTestId("irc-apply-all").click();
  for (const tier of ["gold", "read", "state", "error"]) {
    await expect(page.getByTestId(`tier-input-${tier}`)).toHaveValue(String(Number(suggested[tier])));
  }
  await waitFresh(page);
  const applied = await readFigures(page);
  expect(applied.configHash).not.toBe(moved.configHash);
  // gold is rewarded again (α·ρ > 0), so it is no longer misaligned.
  await expect(page.getByTestId("direction-summary")).not.toContainText("gold");

  // 4. Save an iteration: the URL becomes ?it=<new id> with no edits, and the list shows the note.
  const note = `e2e iteration ${Date.now()}`;
  await page.getByTestId("iteration-note").fill(note);
  await page.getByTestId("save-iteration").click();
  await expect(page).toHaveURL(/\?it=\d+$/);
  await expect.poll(() => Number(new URL(page.url()).searchParams.get("it"))).toBeGreaterThan(startIteration);
  const iterationId = Number(new URL(page.url()).searchParams.get("it"));
  await expect(page.getByTestId(`iteration-row-${iterationId}`)).toContainText(note);
  await expect(page.getByTestId("base-label")).toContainText(note);
  const saved = await readFigures(page);
  expect(saved.configHash).toBe(applied.configHash);
  expect(saved.mismatches).toBe(applied.mismatches);

  // 5. Copy its link and open it in a new browser context: the same numbers.
  const link = await copyLink(page);
  expect(link).toContain(`/experiments/${id}/calibrate?it=${iterationId}`);
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto(link);
  expect(await readFigures(page2)).toEqual(saved);

  // 6. A long view state (many knobs + a slice filter) is shared through a /v/<id> short link.
  await page.getByTestId("estimator-gtpo").click();
  await page.getByTestId("knob-gamma").fill("0.75");
  await page.getByTestId("knob-delta").fill("0.02");
  await page.getByTestId("knob-alpha").fill("1.5");
  await page.getByTestId("knob-eta").fill("0.25");
  await page.getByTestId("tier-slider-duplicate").fill("-0.5");
  await page.getByRole("button", { name: "Move read up" }).click();
  await page.getByTestId("deep-equal-drop_empty").uncheck();
  await page.getByTestId("slice-w").getByRole("button").first().click();
  await expect(page).toHaveURL(/[?&]w=/);
  const longState = await readFigures(page);
  const shortLink = await copyLink(page);
  expect(shortLink).toMatch(/\/v\/[A-Za-z0-9]+$/);
  const page3 = await other.newPage();
  await page3.goto(shortLink);
  await expect(page3).toHaveURL(/\/calibrate\?.*c=/);
  expect(await readFigures(page3)).toEqual(longState);
  await expect(page3.getByTestId("deep-equal-drop_empty")).not.toBeChecked();
  await expect(page3.getByTestId("knob-gamma")).toHaveValue("0.75");
  await other.close();

  // 7. Exports: each downloads and parses; SFT holds only passing, user-stopped rollouts.
  const download = async (format: string) => {
    const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), page.getByTestId(`export-${format}`).click()]);
    const path = await dl.path();
    expect(path, `${format} download`).toBeTruthy();
    return path as string;
  };
  const rollouts = (await readLines(await download("jsonl"))) as { rollout_id: string; outcome: number; termination: string }[];
  expect(rollouts.length).toBeGreaterThan(0);
  const byId = new Map(rollouts.map((r) => [r.rollout_id, r]));

  const sft = (await readLines(await download("sft"))) as { messages: unknown[]; metadata: { rollout_id: string } }[];
  expect(sft.length).toBeGreaterThan(0);
  expect(sft.length).toBeLessThan(rollouts.length);
  for (const row of sft) {
    expect(Array.isArray(row.messages)).toBe(true);
    const r = byId.get(row.metadata.rollout_id);
    expect(r, row.metadata.rollout_id).toBeTruthy();
    expect(r!.outcome).toBe(1);
    expect(r!.termination).toBe("user_stop");
  }

  // RL: per-turn advantages under the base iteration (the saved one; unsaved edits are not exported).
  await expect(page.getByTestId("export-rl")).toHaveAttribute("href", new RegExp(`format=rl&iteration=${iterationId}$`));
  // The default (compact) layout: a line per rollout, its messages once, per-turn records by agent-turn index.
  const rl = (await readLines(await download("rl"))) as {
    rollout_id: string; config_id: string; messages: unknown[]; turns: { turn: number; message_index: number; advantage: number; tier: string }[];
  }[];
  expect(rl.length).toBe(rollouts.length);
  expect(rl.reduce((n, row) => n + row.turns.length, 0)).toBeGreaterThan(rollouts.length);
  for (const row of rl.slice(0, 100)) {
    expect(byId.has(row.rollout_id)).toBe(true);
    expect(row.config_id).toBe(`iteration-${iterationId}`);
    row.turns.forEach((t, k) => {
      expect(t.turn).toBe(k);
      expect(Number.isFinite(t.advantage)).toBe(true);
      expect(t.message_index).toBeLessThan(row.messages.length);
    });
  }

  const tau2 = JSON.parse(await readFile(await download("tau2"), "utf8")) as { simulations: unknown[]; tasks: unknown[] };
  expect(tau2.simulations.length).toBe(rollouts.length);

  const tasks = JSON.parse(await readFile(await download("tasks"), "utf8")) as { id: string }[];
  expect(Array.isArray(tasks)).toBe(true);
  expect(tasks.length).toBeGreaterThan(0);
  expect(new Set(rollouts.map((r) => (r as unknown as { task_id: string }).task_id)).size).toBeLessThanOrEqual(tasks.length);
});

/** The tier and position label of a position-heatmap cell, read from the text the heatmap shows for it. */
function parseWhere(text: string): { tier: string; position: string } {
  const m = /tier (\w+), agent turn position k \(0 = first\) ≥?(\d+)/.exec(text);
  expect(m, text).toBeTruthy();
  return { tier: m![1], position: m![2] };
}

test("position heatmap: a click or keyboard Enter on a cell opens that position × tier's turns", async ({ page, request }) => {
  test.setTimeout(240_000);
  const id = await completedExperiment(request);
  await page.goto(`/experiments/${id}/calibrate`);
  await waitFresh(page);
  const heatmap = page.getByTestId("chart-position-heatmap");
  const withData = heatmap.locator("rect[data-row]:not([data-missing])");
  await expect(withData.first()).toBeVisible();
  const panel = page.getByTestId("drilldown-panel");

  // Pointer: hovering shows the cell's tooltip; clicking opens the drill-down for that cell.
  const first = withData.first();
  await first.hover();
  const tip = page.getByTestId("heatmap-tooltip");
  await expect(tip).toContainText("turns ·");
  const clicked = parseWhere((await tip.textContent()) ?? "");
  await first.click();
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText(`Tier “${clicked.tier}” at turn position ${clicked.position}`);
  await expect(panel.getByTestId("drilldown-turn").first()).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  // Keyboard: focus starts on the top-left cell; arrows walk to the last cell with data; Enter opens it.
  const target = withData.last();
  const row = Number(await target.getAttribute("data-row"));
  const col = Number(await target.getAttribute("data-col"));
  const svg = heatmap.locator('svg[aria-roledescription="heatmap"]');
  await svg.blur();
  await svg.focus();
  const live = page.getByTestId("chart-position-heatmap-active");
  await expect(live).toContainText("agent turn position k (0 = first) 0:");
  for (let i = 0; i < col; i++) await page.keyboard.press("ArrowRight");
  for (let i = 0; i < row; i++) await page.keyboard.press("ArrowDown");
  await expect(heatmap.getByTestId("heatmap-active-cell")).toBeVisible();
  const expected = await target.evaluate((el) => el.getAttribute("data-testid"));
  expect(expected).toBe(`heatmap-cell-${row}-${col}`);
  const live2 = (await live.textContent()) ?? "";
  expect(live2).not.toContain("no data");
  const chosen = parseWhere(live2);
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText(`Tier “${chosen.tier}” at turn position ${chosen.position}`);
  await expect(panel.getByTestId("drilldown-turn").first()).toBeVisible();
});
