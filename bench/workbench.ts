/**
 * Calibration workbench latency: from a tier-slider change to the redrawn charts, in a real
 * browser (playwright-core + /usr/bin/chromium) against the production server (`bin/start.ts`,
 * no workers) on a temporary database holding ~240,000 agent turns (1,000 groups × 8 rollouts ×
 * 30 turns, bulk-inserted with tool calls that hit every tier).
 *
 * The page marks "wb:input" on the slider's input event and measures "wb:update" once the fresh
 * analysis result has been committed (components/calibration/workbench.tsx). Each change uses a
 * value not seen before, so neither the browser cache nor the server's result cache answers it.
 * Prints one JSON object; target: median ≤ 150 ms. Skips (exit 0) without Chromium.
 * Also reported, not the target: slider → the first frame painted after that commit
 * ("wb:painted", set here), which includes work a chart library does after the commit (follow-up
 * renders, style, layout, paint).
 *
 * The figures are taken twice in one run: as shipped (the analysis thread computes the estimators
 * other than the configured one beside the request thread, lib/calibration/estimator-thread), then
 * with WRIT_ANALYSIS_THREAD=0 as the one-thread baseline (skipped with --quick).
 *
 * Run: npx tsx bench/workbench.ts [--quick]   (the server builds first when .next has no build)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { AGENT_GREETING } from "../lib/types/messages";
import { mulberry32 } from "../lib/random/prng";
import { freePort, waitHealthy } from "./server-process";
import { prepareBulkInserts } from "./bulk-insert";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = resolve(__dirname, "..");
const quick = process.argv.includes("--quick");
const GROUPS = quick ? 200 : 1000;
const GROUP_SIZE = 8;
const TURNS = 30;
const CHANGES = 20;
const WARMUP = 3;

const log = (m: string) => process.stderr.write(`[bench:workbench] ${m}\n`);

const READS = ["get_user_details", "get_reservation_details", "search_direct_flight"];
const WRITES = ["cancel_reservation", "update_reservation_baggages", "book_reservation"];

/** Bulk insert: a task set with gold actions, a completed experiment, groups, rollouts, messages. */
export function insertExperiment(db: Db): { experimentId: number; rollouts: number; turns: number } {
  const rand = mulberry32(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const c = db.$client;
  let turnsTotal = 0;
  const result = c
    .transaction(() => {
      const now = Date.now();
      const set = c
        .prepare(`INSERT INTO task_sets (name, source, task_count, status, created_at) VALUES (?, 'synthetic', ?, 'ready', ?) RETURNING id`)
        .get(`bench-workbench-${now}`, GROUPS, now) as { id: number };
      const exp = c
        .prepare(
          `INSERT INTO experiments (name, task_set_id, agent_config, user_config, group_size, max_turns, max_errors, status, source, rollouts_total, created_at, updated_at, started_at, finished_at)
           VALUES ('bench workbench', ?, '{"kind":"simulated","preset":"average"}', '{"kind":"simulated"}', ?, ?, 10, 'completed', 'run', ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(set.id, GROUP_SIZE, TURNS, GROUPS * GROUP_SIZE, now, now, now, now) as { id: number };
      const { insTask, insGroup, insRollout, insMsg } = prepareBulkInserts(c, '{}');
      let passedAll = 0;
      for (let g = 0; g < GROUPS; g++) {
        const w = 1 + Math.floor(rand() * 5);
        const b = [1, 2, 4, 8, 16][Math.floor(rand() * 5)];
        const behavior = pick(["cooperative", "terse", "no_ids", "split_request"]);
        const taskId = `bench-${g}`;
        const gold = Array.from({ length: w }, (_, j) => ({
          action_id: `a${j}`,
          name: WRITES[j % WRITES.length],
          arguments: { reservation_id: `R${g}X${j}`, reason: j % 2 ? "weather" : "change_of_plan", amount: 10 * (j + 1) },
        }));
        const body = { id: taskId, user_scenario: { instructions: { domain: "airline", reason_for_call: "bench", known_info: "", task_instructions: "" } }, evaluation_criteria: { actions: gold } };
        insTask.run(set.id, taskId, JSON.stringify(body), w, w * b, b, behavior, now);
        const gid = `g-${exp.id}-${g}`;
        let passed = 0;
        // Rollouts reference their group: buffer them until the group row (with its pass count) is in.
        const pending: { row: unknown[]; msgs: { role: string; body: unknown }[] }[] = [];
        for (let s = 0; s < GROUP_SIZE; s++) {
          const skill = rand();
          const outcome = skill > 0.35 + 0.02 * b ? 1 : 0;
          passed += outcome;
          const rid = `r-${exp.id}-${g}-${s}`;
          const msgs: { role: string; body: unknown }[] = [{ role: "assistant", body: { role: "assistant", content: AGENT_GREETING } }];
          const seen: { name: string; arguments: Record<string, unknown> }[] = [];
          const goldLeft = outcome ? [...gold] : gold.filter(() => rand() < 0.4);
          for (let k = 0; k < TURNS; k++) {
            const r = rand();
            let call: { name: string; arguments: Record<string, unknown> } | null = null;
            let error = false;
            if (r < 0.12 && goldLeft.length) {
              const a = goldLeft.shift()!;
              call = { name: a.name, arguments: { ...a.arguments } };
            } else if (r < 0.2) {
              const a = gold[Math.floor(rand() * gold.length)];
              call = { name: a.name, arguments: { reservation_id: a.arguments.reservation_id, reason: "other" } };
            } else if (r < 0.45) call = { name: pick(READS), arguments: { user_id: `u${g}`, reservation_id: `R${g}X${Math.floor(rand() * 3)}` } };
            else if (r < 0.52) call = { name: pick(WRITES), arguments: { reservation_id: `Z${Math.floor(rand() * 1e6)}` } };
            else if (r < 0.58 + (outcome ? 0 : 0.08)) {
              call = { name: pick(READS), arguments: { user_id: "nobody" } };
              error = true;
            } else if (r < 0.63 && seen.length) call = seen[Math.floor(rand() * seen.length)];
            if (call) {
              seen.push(call);
              const id = `c${k}`;
              msgs.push({ role: "assistant", body: { role: "assistant", content: null, tool_calls: [{ id, name: call.name, arguments: call.arguments }], usage: { prompt_tokens: 0, completion_tokens: 20 + Math.floor(rand() * 60) } } });
              msgs.push({ role: "tool", body: { role: "tool", tool_call_id: id, content: error ? "Error: not found" : "{}", error } });
            } else {
              msgs.push({ role: "assistant", body: { role: "assistant", content: `turn ${k}: let me help with that.`, usage: { prompt_tokens: 0, completion_tokens: 15 } } });
            }
          }
          turnsTotal += TURNS;
          const termination = outcome ? "user_stop" : pick(["user_stop", "max_turns", "too_many_errors"]);
          pending.push({ row: [rid, exp.id, gid, taskId, s, outcome, outcome, termination, TURNS, TURNS * 900, TURNS * 40, w, w * b, b, behavior, now, now], msgs });
        }
        passedAll += passed;
        insGroup.run(gid, exp.id, taskId, g, GROUP_SIZE, GROUP_SIZE, passed, passed / GROUP_SIZE, w, w * b, b, behavior, now);
        for (const p of pending) {
          insRollout.run(...p.row);
          p.msgs.forEach((m, i) => insMsg.run(p.row[0], i, m.role, JSON.stringify(m.body)));
        }
      }
      c.prepare(`UPDATE experiments SET rollouts_done = ?, rollouts_passed = ? WHERE id = ?`).run(GROUPS * GROUP_SIZE, passedAll, exp.id);
      return { experimentId: exp.id, rollouts: GROUPS * GROUP_SIZE };
    })
    .immediate();
  return { ...result, turns: turnsTotal };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null;
};
const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

interface Run {
  slider_to_charts_ms: { median: number | null; p90: number | null; min: number | null; max: number | null };
  slider_to_painted_ms: { median: number | null; p90: number | null };
  server_compute_ms_median: number | null;
  split_ms_median: { input_to_request: number | null; request_to_response: number | null; response_to_rendered: number | null };
  cold_first_analysis_ms: number | null;
  response_kb: number | null;
}

/** One production server on the database (extra env), one browser, WARMUP + CHANGES slider moves. */
async function measure(chromium: typeof import("playwright-core").chromium, dbPath: string, experimentId: number, extraEnv: Record<string, string>): Promise<Run> {
  let server: ChildProcess | null = null;
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bin", "start.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv, WRIT_DB: dbPath, PORT: String(port), WORKERS: "0", WRIT_ACCESS_TOKEN: "", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitHealthy(base, server, 600_000, 500);

    // First load classifies every turn once (a cold cost, reported separately).
    const tCold = performance.now();
    const cold = await fetch(`${base}/api/experiments/${experimentId}/analysis`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ include: ["estimators", "cells", "heatmap", "distribution"] }),
    });
    if (!cold.ok) throw new Error(`analysis failed: ${cold.status} ${await cold.text()}`);
    const coldMs = performance.now() - tCold;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      const serverMs: number[] = [];
      page.on("response", async (res) => {
        if (res.url().endsWith("/analysis") && res.request().method() === "POST") {
          const body = (await res.json().catch(() => null)) as { computed_ms?: number; cached?: boolean } | null;
          if (body?.computed_ms !== undefined && !body.cached) serverMs.push(body.computed_ms);
        }
      });
      // Split the latency: input → request sent, request → response parsed, parsed → charts committed.
      await page.addInitScript(() => {
        const orig = window.fetch;
        window.fetch = async (...args: Parameters<typeof fetch>) => {
          const url = String(args[0] instanceof Request ? args[0].url : args[0]);
          if (!url.endsWith("/analysis")) return orig(...args);
          performance.mark("wb:fetch-start");
          const res = await orig(...args);
          const text = await res.clone().text();
          performance.mark("wb:fetch-end");
          (window as unknown as { __wbSizes: number[] }).__wbSizes = [...((window as unknown as { __wbSizes?: number[] }).__wbSizes ?? []), text.length];
          return res;
        };
        // A new result's commit changes the workbench's data-config-hash: mark the end of the next
        // frame (rAF runs before that frame's style/layout/paint, the timeout after it).
        new MutationObserver(() => requestAnimationFrame(() => setTimeout(() => performance.mark("wb:painted")))).observe(document, {
          subtree: true,
          attributes: true,
          attributeFilter: ["data-config-hash"],
        });
      });
      await page.goto(`${base}/experiments/${experimentId}/calibrate`, { waitUntil: "load", timeout: 120_000 });
      const fresh = page.locator('[data-testid="workbench"][data-fresh="true"][data-pending="false"]');
      await fresh.waitFor({ timeout: 120_000 });
      const slider = page.getByTestId("tier-slider-read");
      const durations: number[] = [];
      const parts: { toFetch: number; fetch: number; render: number }[] = [];
      const painted: number[] = [];
      // Distinct slider values (step 0.05) so every change is a new config.
      const values = Array.from({ length: 51 }, (_, i) => Math.round((-1 + 0.05 * i) * 100) / 100).filter((v) => v !== 0.3);
      for (let i = 0; i < WARMUP + CHANGES; i++) {
        const before = await page.evaluate(() => performance.getEntriesByName("wb:update").length);
        const paintedBefore = await page.evaluate(() => performance.getEntriesByName("wb:painted").length);
        await slider.fill(String(values[(i * 7) % values.length]));
        await page.waitForFunction((n) => performance.getEntriesByName("wb:update").length > n, before, { timeout: 60_000 });
        await fresh.waitFor({ timeout: 60_000 });
        await page.waitForFunction((n) => performance.getEntriesByName("wb:painted").length > n, paintedBefore, { timeout: 60_000 });
        const p = await page.evaluate(() => performance.getEntriesByName("wb:painted").at(-1)!.startTime - performance.getEntriesByName("wb:update").at(-1)!.startTime);
        const d = await page.evaluate(() => {
          const e = performance.getEntriesByName("wb:update");
          const u = e[e.length - 1];
          const fs = performance.getEntriesByName("wb:fetch-start").at(-1)?.startTime ?? 0;
          const fe = performance.getEntriesByName("wb:fetch-end").at(-1)?.startTime ?? 0;
          return { total: u.duration, toFetch: fs - u.startTime, fetch: fe - fs, render: u.startTime + u.duration - fe };
        });
        if (i >= WARMUP) {
          durations.push(d.total);
          parts.push(d);
          painted.push(p);
        }
        await page.waitForTimeout(120); // let the next change hit the throttle's leading edge
      }
      return {
        slider_to_charts_ms: { median: r1(median(durations)), p90: r1(pct(durations, 0.9)), min: r1(Math.min(...durations)), max: r1(Math.max(...durations)) },
        slider_to_painted_ms: { median: r1(median(painted)), p90: r1(pct(painted, 0.9)) },
        server_compute_ms_median: r1(median(serverMs.slice(-CHANGES))),
        split_ms_median: {
          input_to_request: r1(median(parts.map((p) => p.toFetch))),
          request_to_response: r1(median(parts.map((p) => p.fetch))),
          response_to_rendered: r1(median(parts.map((p) => p.render))),
        },
        cold_first_analysis_ms: r1(coldMs),
        response_kb: r1(((await page.evaluate(() => (window as unknown as { __wbSizes?: number[] }).__wbSizes?.at(-1) ?? 0)) as number) / 1024),
      };
    } finally {
      await browser.close();
    }
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(JSON.stringify({ skipped: `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)` }) + "\n");
    return;
  }
  const { chromium } = await import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-wb-"));
  const dbPath = join(dir, "writ.db");
  try {
    const t0 = performance.now();
    const db = openDb(dbPath);
    const { experimentId, rollouts, turns } = insertExperiment(db);
    closeDb(db);
    const insertMs = performance.now() - t0;
    log(`inserted ${rollouts} rollouts / ${turns} turns in ${(insertMs / 1000).toFixed(1)} s`);
    // As shipped (the analysis thread summarises the other estimators), then the same-run baseline on one thread.
    const run = await measure(chromium, dbPath, experimentId, {});
    const oneThread = quick ? null : await measure(chromium, dbPath, experimentId, { WRIT_ANALYSIS_THREAD: "0" });
    const med = run.slider_to_charts_ms.median;
    process.stdout.write(
      JSON.stringify({
        groups: GROUPS,
        rollouts,
        turns,
        insert_s: r1(insertMs / 1000),
        changes: CHANGES,
        ...run,
        one_thread_baseline: oneThread
          ? { slider_to_charts_ms: oneThread.slider_to_charts_ms.median, slider_to_painted_ms: oneThread.slider_to_painted_ms.median, server_compute_ms_median: oneThread.server_compute_ms_median }
          : null,
        target_ms: 150,
        within_target: med !== null && med <= 150,
      }) + "\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as a script (the data generator is importable for profiling).
if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`[bench:workbench] ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
