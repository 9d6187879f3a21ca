/**
 * Scrolling the search result list (issue 17 §4: a result list of 100,000 keeps frames under 50 ms
 * in Chromium).
 *
 * Debian's Chromium (/usr/bin/chromium, headless, through playwright-core) opens the search page
 * (app/experiments/[id]/search) of the bench experiment of bench/group-open-db.ts (100,000
 * rollouts) with a query every rollout matches (SEARCH_SCROLL_QUERY, default none: filters only,
 * no filter set), puts the mouse over the virtualised list and turns the wheel: SEARCH_SCROLL_STEP
 * px (336 = 3 rows) every SEARCH_SCROLL_EVERY_MS (16) ms until SEARCH_SCROLL_ROWS (5,000) rows are
 * above the viewport — the list asks for the next cursor page of 200 rows as it nears the loaded
 * end, exactly as a user scrolling fast makes it. Meanwhile the page records every frame
 * (requestAnimationFrame timestamps) and the long animation frames Chromium reports
 * (PerformanceObserver 'long-animation-frame', and 'longtask').
 *
 * Prints one JSON object: frame interval p50 / p95 / p99 / max (ms), frames over 50 ms, long
 * animation frames, rows scrolled, result pages fetched, and whether every frame stayed under 50 ms.
 *
 * Server: BENCH_BASE=URL for a running server on the same database (its experiment id:
 * SEARCH_SCROLL_EXPERIMENT, else looked up in GROUP_OPEN_DB). Otherwise one started here on a free
 * port with WRIT_DB = the bench database: `next start` when a production build exists
 * (.next/BUILD_ID), else `next dev` (React's development build and on-demand compilation: frames
 * are slower than in production, so a dev figure is an upper bound; reported as server "next-dev").
 * Under `next dev`, an edit to the app during the run recompiles it mid-scroll: while others edit
 * this checkout, run the server from a copy (SEARCH_SCROLL_APP_DIR, e.g. `git archive HEAD` unpacked
 * with a copy of node_modules).
 *
 * Run: npx tsx bench/search-scroll.ts
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Page } from "playwright-core";
import { closeDb, openDb } from "../db/client";
import { describeGroupOpenDb, defaultDbPath, ensureGroupOpenDb } from "./group-open-db";
import { freePort, waitHealthy } from "./server-process";
import { frameStats, type FrameLog } from "./frame-stats";

const ROOT = resolve(__dirname, "..");
/** Where the server runs from: this checkout, or SEARCH_SCROLL_APP_DIR (a copy that nobody edits during the run, with its own node_modules). */
const APP_DIR = resolve(process.env.SEARCH_SCROLL_APP_DIR ?? ROOT);
const NEXT_BIN = join(APP_DIR, "node_modules", "next", "dist", "bin", "next");
const OPTS = { rollouts: Number(process.env.GROUP_OPEN_ROLLOUTS ?? 100_000), turns: Number(process.env.GROUP_OPEN_TURNS ?? 10), group: Number(process.env.GROUP_OPEN_GROUP ?? 8) };
const DB_PATH = defaultDbPath(OPTS);
const QUERY = process.env.SEARCH_SCROLL_QUERY ?? "";
const ROWS = Number(process.env.SEARCH_SCROLL_ROWS ?? 5_000);
const STEP = Number(process.env.SEARCH_SCROLL_STEP ?? 336);
const EVERY_MS = Number(process.env.SEARCH_SCROLL_EVERY_MS ?? 16);
/** components/search/search-row.tsx SEARCH_ROW_HEIGHT. */
const ROW_HEIGHT = 112;
const TARGET_FRAME_MS = 50;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const log = (m: string) => process.stderr.write(`[bench:search-scroll] ${m}\n`);

async function startServer(): Promise<{ base: string; server: ChildProcess; kind: string }> {
  const port = await freePort();
  const production = existsSync(join(APP_DIR, ".next", "BUILD_ID"));
  const server = spawn(process.execPath, [NEXT_BIN, production ? "start" : "dev", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...process.env, WRIT_DB: DB_PATH, PORT: String(port), WORKERS: "0", WRIT_ACCESS_TOKEN: "", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, server, 600_000, 500);
  return { base, server, kind: production ? "next-production" : "next-dev" };
}

/** In the page: record rAF timestamps and long animation frames until window.__benchStop(). */
function startFrameLog(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __loaf: FrameLog["loaf"]; __longtasks: number[]; __stop: boolean; __observers: PerformanceObserver[] };
    w.__frames = [];
    w.__loaf = [];
    w.__longtasks = [];
    w.__stop = false;
    w.__observers = [];
    const observe = (type: string, on: (e: PerformanceEntry) => void) => {
      try {
        const o = new PerformanceObserver((list) => list.getEntries().forEach(on));
        o.observe({ type, buffered: false });
        w.__observers.push(o);
      } catch {
        // entry type not supported by this Chromium
      }
    };
    type Loaf = PerformanceEntry & { blockingDuration?: number; scripts?: { invoker?: string; invokerType?: string; sourceURL?: string; duration: number }[] };
    observe("long-animation-frame", (e) => {
      const l = e as Loaf;
      // What ran in the frame: the invoker (a listener, a callback, a promise) and where its code lives.
      const scripts = (l.scripts ?? []).map((x) => ({ what: `${x.invokerType ?? "?"}: ${x.invoker ?? "?"} @ ${(x.sourceURL ?? "").replace(/^.*\/_next\//, "_next/").replace(/\?.*$/, "")}`, duration: x.duration }));
      w.__loaf.push({ duration: l.duration, blocking: l.blockingDuration ?? 0, scripts });
    });
    observe("longtask", (e) => w.__longtasks.push(e.duration));
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

function stopFrameLog(page: Page): Promise<FrameLog> {
  return page.evaluate(async () => {
    const w = window as unknown as { __frames: number[]; __loaf: FrameLog["loaf"]; __longtasks: number[]; __stop: boolean; __observers: PerformanceObserver[] };
    w.__stop = true;
    await new Promise((r) => setTimeout(r, 100));
    for (const o of w.__observers) {
      o.takeRecords();
      o.disconnect();
    }
    return { frames: w.__frames, loaf: w.__loaf, longtasks: w.__longtasks };
  });
}

async function main() {
  ensureGroupOpenDb(DB_PATH, OPTS, log);
  let experimentId = Number(process.env.SEARCH_SCROLL_EXPERIMENT ?? 0);
  if (!experimentId) {
    const db = openDb(DB_PATH);
    experimentId = describeGroupOpenDb(db).experimentId;
    closeDb(db);
  }
  let server: ChildProcess | null = null;
  let base = process.env.BENCH_BASE ?? "";
  let kind = "external";
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    if (!base) {
      log(`starting ${existsSync(join(APP_DIR, ".next", "BUILD_ID")) ? "next start" : "next dev (no production build)"} in ${APP_DIR} on ${DB_PATH}`);
      ({ base, server, kind } = await startServer());
    }
    const url = `${base}/experiments/${experimentId}/search${QUERY ? `?q=${encodeURIComponent(QUERY)}` : ""}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // tsx (esbuild keepNames) wraps the named functions of the page.evaluate callbacks in __name(): give the page one.
    await page.addInitScript({ content: "globalThis.__name = (f) => f;" });
    let pagesFetched = 0;
    page.on("response", (r) => {
      if (/\/api\/experiments\/\d+\/search\?/.test(r.url())) pagesFetched++;
    });
    // The first visit compiles the page under next dev and loads the experiment into the server's calibration store.
    const tLoad = performance.now();
    await page.goto(url, { waitUntil: "load", timeout: 600_000 });
    await page.getByTestId("search-results").waitFor({ timeout: 600_000 });
    const firstLoadMs = performance.now() - tLoad;
    log(`first load ${(firstLoadMs / 1000).toFixed(1)} s; reloading for the measured run`);
    pagesFetched = 0;
    const tReload = performance.now();
    await page.reload({ waitUntil: "load" });
    await page.getByTestId("search-results").waitFor({ timeout: 600_000 });
    await page.getByTestId("search-row").first().waitFor({ timeout: 600_000 });
    const readyMs = performance.now() - tReload;
    const total = Number((await page.getByTestId("search-total").innerText()).replace(/[^\d]/g, ""));
    log(`${total.toLocaleString("en-US")} results; scrolling ${ROWS} rows`);

    const list = page.getByTestId("search-results");
    const box = (await list.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(500);
    await startFrameLog(page);
    const target = ROWS * ROW_HEIGHT;
    const tScroll = performance.now();
    let scrollTop = 0;
    for (let i = 0; scrollTop < target && performance.now() - tScroll < 300_000; i++) {
      await page.mouse.wheel(0, STEP);
      await page.waitForTimeout(EVERY_MS);
      if (i % 20 === 0) scrollTop = await list.evaluate((el) => el.scrollTop);
    }
    const scrollMs = performance.now() - tScroll;
    // Let the last page and rows settle inside the recording, as a user stopping there would see them.
    await page.waitForTimeout(1_000);
    const framesLog = await stopFrameLog(page);
    scrollTop = await list.evaluate((el) => el.scrollTop);
    // Rendered rows whose data has not arrived yet (placeholders) when the scroll stopped.
    const placeholdersAtEnd = (await page.locator("[data-testid=search-results] > div > div").count()) - (await page.getByTestId("search-row").count());
    const stats = frameStats(framesLog, TARGET_FRAME_MS);
    process.stdout.write(
      JSON.stringify(
        {
          bench: "search-scroll",
          server: kind,
          app_dir: APP_DIR,
          note: kind === "next-dev" ? "next dev: React development build, slower than production (an upper bound)" : undefined,
          db: { path: DB_PATH, rollouts: OPTS.rollouts, experiment_id: experimentId },
          query: QUERY || "(none: filters only)",
          results: total,
          first_page_load_ms: Math.round(firstLoadMs),
          ready_after_reload_ms: Math.round(readyMs),
          scroll: { wheel_step_px: STEP, every_ms: EVERY_MS, ms: Math.round(scrollMs), rows_scrolled: Math.floor(scrollTop / ROW_HEIGHT), rows_per_s: Math.round(scrollTop / ROW_HEIGHT / (scrollMs / 1000)), result_pages_fetched: pagesFetched, placeholders_at_end: placeholdersAtEnd },
          frames: stats,
          target_frame_ms: TARGET_FRAME_MS,
          meets_target: stats.max_ms !== null && stats.max_ms < TARGET_FRAME_MS,
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
    await browser.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
