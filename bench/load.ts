/**
 * Load case of the rollout browser and the workbench (issue 17 §4): 20 concurrent clients over
 * HTTP against a real server on a large database, for
 *  - the group API on groups of 64 siblings: the whole group (`GET /api/groups/:id`, the shape
 *    before paging) and what the group view now asks for (`?siblings=K`: every sibling's summary
 *    and the messages of the first K; the others come from `/api/groups/:id/messages` as the
 *    view scrolls to them);
 *  - the workbench's analysis POST (`include` as the workbench sends it): a small pool of configs
 *    (after the first answers, the steady state of many users on a few configs), and every
 *    request a new config (nothing cached: the compute-bound worst case).
 * Prints one JSON object: p50 / p95 latency (ms) and response bytes per case.
 *
 * Database: built once and reused (LOAD_DB, default $TMPDIR/writ-load-<rollouts>x<turns>.db):
 * LOAD_ROLLOUTS rollouts (default 140000) in groups of 64, LOAD_TURNS agent turns each (default 10).
 * Server: the production server (`bin/start.ts`, no workers) when a build exists (.next/BUILD_ID);
 * without one (never built here: `next build` is the CI's job), the same route services
 * (lib/experiments/service, lib/calibration/analysis) behind node:http in a child process
 * (bench/load-server.ts), reported as `server: "route-services"`. LOAD_BASE=URL targets a running
 * server instead (it must use the same database: set LOAD_DB to its file).
 * Other knobs: LOAD_CLIENTS (20), LOAD_SECONDS per case (6), LOAD_PAGE_SIBLINGS (the view's K, 8).
 *
 * Run: npx tsx bench/load.ts
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { closeDb, openDb } from "../db/client";
import { AGENT_GREETING } from "../lib/types/messages";
import { mulberry32 } from "../lib/random/prng";
import { freePort, waitHealthy } from "./server-process";
import { prepareBulkInserts } from "./bulk-insert";

const ROOT = resolve(__dirname, "..");
const ROLLOUTS = Number(process.env.LOAD_ROLLOUTS ?? 140_000);
const TURNS = Number(process.env.LOAD_TURNS ?? 10);
const GROUP = 64;
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 20);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 6);
const PAGE_SIBLINGS = Number(process.env.LOAD_PAGE_SIBLINGS ?? 8);
const DB_PATH = process.env.LOAD_DB ?? join(tmpdir(), `writ-load-${ROLLOUTS}x${TURNS}.db`);

const log = (m: string) => process.stderr.write(`[bench:load] ${m}\n`);

const READS = ["get_user_details", "get_reservation_details", "search_direct_flight"];
const WRITES = ["cancel_reservation", "update_reservation_baggages", "book_reservation"];

/** One experiment of ROLLOUTS rollouts in groups of 64 with TURNS agent turns each; returns its id. Written to a temp file, renamed when complete. */
function buildDatabase(path: string): void {
  const tmp = `${path}.building`;
  rmSync(tmp, { force: true });
  const db = openDb(tmp);
  const c = db.$client;
  const rand = mulberry32(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const nGroups = Math.ceil(ROLLOUTS / GROUP);
  const now = Date.now();
  const set = c.prepare(`INSERT INTO task_sets (name, source, task_count, status, created_at) VALUES ('bench-load', 'synthetic', ?, 'ready', ?) RETURNING id`).get(nGroups, now) as { id: number };
  const exp = c
    .prepare(
      `INSERT INTO experiments (name, task_set_id, agent_config, user_config, group_size, max_turns, max_errors, status, source, rollouts_total, created_at, updated_at, started_at, finished_at)
       VALUES ('bench load', ?, '{"kind":"simulated","preset":"average"}', '{"kind":"simulated"}', ?, ?, 10, 'completed', 'run', ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(set.id, GROUP, TURNS, ROLLOUTS, now, now, now, now) as { id: number };
  const { insTask, insGroup, insRollout, insMsg } = prepareBulkInserts(c, '{"agent":"simulated agent (average)"}');
  let done = 0;
  let passedAll = 0;
  const batch = c.transaction((from: number, to: number) => {
    for (let g = from; g < to; g++) {
      const w = 1 + Math.floor(rand() * 5);
      const b = [1, 2, 4, 8, 16][Math.floor(rand() * 5)];
      const behavior = pick(["cooperative", "terse", "no_ids", "split_request"]);
      const taskId = `load-${g}`;
      const gold = Array.from({ length: w }, (_, j) => ({ action_id: `a${j}`, name: WRITES[j % WRITES.length], arguments: { reservation_id: `R${g}X${j}`, reason: "weather" } }));
      insTask.run(set.id, taskId, JSON.stringify({ id: taskId, user_scenario: { instructions: { domain: "airline", reason_for_call: "bench", known_info: "", task_instructions: "" } }, evaluation_criteria: { actions: gold } }), w, w * b, b, behavior, now);
      const gid = `g-${exp.id}-${g}`;
      const size = Math.min(GROUP, ROLLOUTS - g * GROUP);
      const outcomes: number[] = Array.from({ length: size }, () => (rand() > 0.45 ? 1 : 0));
      const passed = outcomes.reduce((s, o) => s + o, 0);
      passedAll += passed;
      insGroup.run(gid, exp.id, taskId, g, size, size, passed, passed / size, w, w * b, b, behavior, now);
      for (let s = 0; s < size; s++) {
        const rid = `r-${exp.id}-${g}-${s}`;
        const outcome = outcomes[s];
        insRollout.run(rid, exp.id, gid, taskId, s, outcome, outcome, outcome ? "user_stop" : "max_turns", TURNS, TURNS * 900, TURNS * 40, w, w * b, b, behavior, now, now);
        let idx = 0;
        insMsg.run(rid, idx++, "assistant", JSON.stringify({ role: "assistant", content: AGENT_GREETING }));
        insMsg.run(rid, idx++, "user", JSON.stringify({ role: "user", content: `Hi, I need help with reservation R${g}X0 for user u${g}; the reason is weather.` }));
        let goldLeft = outcome ? [...gold] : gold.slice(0, Math.floor(gold.length / 2));
        for (let k = 0; k < TURNS; k++) {
          const r = rand();
          const call =
            r < 0.2 && goldLeft.length
              ? goldLeft[0]
              : r < 0.7
                ? { name: pick(READS), arguments: { user_id: `u${g}`, reservation_id: `R${g}X${Math.floor(rand() * 3)}` } }
                : null;
          if (call === goldLeft[0]) goldLeft = goldLeft.slice(1);
          if (call) {
            const id = `c${k}`;
            insMsg.run(rid, idx++, "assistant", JSON.stringify({ role: "assistant", content: null, tool_calls: [{ id, name: call.name, arguments: call.arguments }], usage: { prompt_tokens: 900, completion_tokens: 40 } }));
            insMsg.run(
              rid,
              idx++,
              "tool",
              JSON.stringify({ role: "tool", tool_call_id: id, content: JSON.stringify({ reservation_id: `R${g}X0`, user_id: `u${g}`, status: "confirmed", flights: [{ flight_number: "HAT001", date: "2024-05-16" }] }), error: false }),
            );
          } else {
            insMsg.run(rid, idx++, "assistant", JSON.stringify({ role: "assistant", content: `Turn ${k}: I have looked at reservation R${g}X0; is there anything else you want to change?`, usage: { prompt_tokens: 900, completion_tokens: 40 } }));
            insMsg.run(rid, idx++, "user", JSON.stringify({ role: "user", content: k === TURNS - 1 ? "###STOP###" : "Yes, please check the other flight too." }));
          }
        }
      }
      done += size;
    }
  });
  const step = 50;
  for (let g = 0; g < nGroups; g += step) {
    batch(g, Math.min(nGroups, g + step));
    if (g % 500 === 0) log(`built ${done.toLocaleString("en-US")} / ${ROLLOUTS.toLocaleString("en-US")} rollouts`);
  }
  c.prepare(`UPDATE experiments SET rollouts_done = ?, rollouts_passed = ? WHERE id = ?`).run(ROLLOUTS, passedAll, exp.id);
  closeDb(db);
  for (const ext of ["", "-wal", "-shm"]) if (existsSync(tmp + ext)) renameSync(tmp + ext, path + ext);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10 : null;
};

interface CaseResult {
  requests: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  bytes_p50: number | null;
}

/** CLIENTS loops, each sending `next()` requests back to back for SECONDS. */
async function runCase(make: (client: number, i: number) => { url: string; init?: RequestInit }): Promise<CaseResult> {
  const lat: number[] = [];
  const bytes: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; performance.now() < until; i++) {
        const { url, init } = make(client, i);
        const t = performance.now();
        try {
          const res = await fetch(url, init);
          const body = await res.arrayBuffer();
          if (!res.ok) errors++;
          else {
            lat.push(performance.now() - t);
            bytes.push(body.byteLength);
          }
        } catch {
          errors++;
        }
      }
    }),
  );
  return { requests: lat.length + errors, errors, p50_ms: pct(lat, 0.5), p95_ms: pct(lat, 0.95), bytes_p50: pct(bytes, 0.5) };
}

async function main() {
  if (!existsSync(DB_PATH)) {
    log(`building ${DB_PATH} (${ROLLOUTS} rollouts × ${TURNS} agent turns, groups of ${GROUP})`);
    const t = performance.now();
    buildDatabase(DB_PATH);
    log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else log(`reusing ${DB_PATH}`);
  const probe = openDb(DB_PATH);
  const { id: experimentId } = probe.$client.prepare(`SELECT id FROM experiments WHERE name = 'bench load' ORDER BY id LIMIT 1`).get() as { id: number };
  const groupIds = probe.$client.prepare(`SELECT id FROM groups WHERE experiment_id = ? AND size = ? ORDER BY position`).pluck().all(experimentId, GROUP) as string[];
  closeDb(probe);

  let server: ChildProcess | null = null;
  let base = process.env.LOAD_BASE ?? "";
  let kind = "external";
  try {
    if (!base) {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      const production = existsSync(join(ROOT, ".next", "BUILD_ID"));
      kind = production ? "next-production" : "route-services";
      const entry = production ? join(ROOT, "bin", "start.ts") : join(ROOT, "bench", "load-server.ts");
      server = spawn(process.execPath, ["--import", "tsx", entry], {
        cwd: ROOT,
        env: { ...process.env, WRIT_DB: DB_PATH, PORT: String(port), WORKERS: "0", WRIT_ACCESS_TOKEN: "", NEXT_TELEMETRY_DISABLED: "1" },
        stdio: ["ignore", "ignore", "inherit"],
        detached: true,
      });
      await waitHealthy(base, server, 600_000, 300);
    }
    const rand = mulberry32(99);
    const group = () => groupIds[Math.floor(rand() * groupIds.length)];
    // The workbench's request: its sections, a config from a small pool (tier values as slider positions).
    const configs = [0.1, 0.2, 0.3, 0.4].map((read) => ({ tiers: { read } }));
    const analysis = (i: number) => ({
      url: `${base}/api/experiments/${experimentId}/analysis`,
      init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ config: configs[i % configs.length], include: ["estimators", "cells", "heatmap", "distribution"] }) },
    });
    // Warm: the first analysis classifies every turn; one request per config fills the result cache.
    const tCold = performance.now();
    for (let i = 0; i < configs.length; i++) {
      const r = await fetch(analysis(i).url, analysis(i).init);
      if (!r.ok) throw new Error(`analysis ${r.status}: ${await r.text()}`);
    }
    const coldMs = performance.now() - tCold;
    await fetch(`${base}/api/groups/${group()}`);
    log(`warm (${(coldMs / 1000).toFixed(1)} s); ${CLIENTS} clients × ${SECONDS} s per case`);

    const groupFull = await runCase(() => ({ url: `${base}/api/groups/${group()}` }));
    const groupPaged = await runCase(() => ({ url: `${base}/api/groups/${group()}?siblings=${PAGE_SIBLINGS}` }));
    const analysisPost = await runCase((client, i) => analysis(client + i));
    // Every request a config not seen before (a slider dragged by 20 users at once): nothing cached.
    let fresh = 0;
    const analysisFresh = await runCase(() => ({
      url: `${base}/api/experiments/${experimentId}/analysis`,
      init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ config: { tiers: { read: 0.5 + ++fresh / 1e6 } }, include: ["estimators", "cells", "heatmap", "distribution"] }) },
    }));
    process.stdout.write(
      JSON.stringify(
        {
          bench: "load",
          server: kind,
          db: { path: DB_PATH, rollouts: ROLLOUTS, agent_turns_per_rollout: TURNS, siblings_per_group: GROUP },
          clients: CLIENTS,
          seconds_per_case: SECONDS,
          group_api_full: groupFull,
          group_api_view: { ...groupPaged, siblings: PAGE_SIBLINGS },
          analysis_post: analysisPost,
          analysis_post_uncached: analysisFresh,
          targets: { group_p50_ms: 150, analysis_p50_ms: 200 },
          cold_analysis_ms: Math.round(coldMs),
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
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
