/**
 * Calibration store bench (issue 6): a temp SQLite db holding G groups × N rollouts × K agent
 * turns, written the way production writes it (rollout start row, every message, the
 * finalisation with its counters and the rollout's stored classification, through the same
 * statements as the rollouts.run job), in one transaction. Then, in a fresh process:
 *  - cold: open db + load (summary rows + class blobs) + analyze, empty process cache; ≤ 3 s;
 *  - warm core: tier values changed (slider move), same estimator: no reload, no reclassify; ≤ 300 ms;
 *  - warm hybrid: tier values and estimator changed;
 *  - warm all sections: tier values changed + estimators side by side, W × B cells, heatmap, distribution;
 *  - cached: the same request again (result cache).
 * Peak RSS is the measuring process's (db already written). Prints one JSON object with medians;
 * *_cpu_ms are the process's CPU time for the same calls (wall time is inflated by other load).
 * Env: BENCH_GROUPS (10000), BENCH_SAMPLES (8), BENCH_TURNS (30), BENCH_REPS (5 warm; cold uses
 * min(3, reps)), BENCH_FALLBACK=1 also times the message path (class rows deleted: lazy backfill,
 * then the load after it). `--quick`: 1000 groups.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb } from "../db/client";
import { finalizeRollout, insertRolloutMessage, insertRolloutStart } from "../db/queries/rollouts";
import { runAnalysis } from "../lib/calibration/analysis";
import { goldOfTask, rolloutClassRecord } from "../lib/calibration/class-store";
import { writeRolloutClass } from "../lib/calibration/store/class-rows";
import { clearCalibrationStore, classifyOptionsOf, getExperimentData } from "../lib/calibration/experiment-data";
import { makeRewardConfig, NAIVE_V5, type RewardConfig } from "../lib/rewards";
import { createRng } from "../lib/random/prng";
import { AGENT_GREETING, type Message } from "../lib/types/messages";
import type { Task } from "../lib/types/task";

const quick = process.argv.includes("--quick");
const G = Number(process.env.BENCH_GROUPS ?? (quick ? 1_000 : 10_000));
const N = Number(process.env.BENCH_SAMPLES ?? 8);
const K = Number(process.env.BENCH_TURNS ?? 30);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 5));
const COLD_REPS = Math.min(3, REPS);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1048576);

function populate(path: string): { experimentId: number; insertMs: number; messages: number; classBytes: number } {
  const t0 = performance.now();
  const db = openDb(path);
  const c = db.$client;
  const rng = createRng(42);
  let messages = 0;
  const experimentId = c.transaction(() => {
    const set = c.prepare(`INSERT INTO task_sets (name, source, status, task_count) VALUES ('bench', 'synthesized', 'ready', ?) RETURNING id`).get(G) as { id: number };
    const exp = c
      .prepare(
        `INSERT INTO experiments (name, task_set_id, agent_config, user_config, group_size, max_turns, max_errors, status, source, rollouts_total, rollouts_done)
         VALUES ('bench', ?, '{"kind":"simulated"}', '{"kind":"simulated"}', ?, ?, 10, 'completed', 'run', ?, 0) RETURNING id`,
      )
      .get(set.id, N, K, G * N) as { id: number };
    const insTask = c.prepare(`INSERT INTO tasks (task_set_id, task_id, body, writes, evidence_cell, behavior) VALUES (?, ?, ?, ?, ?, ?)`);
    const insGroup = c.prepare(`INSERT INTO groups (id, experiment_id, task_id, position, size, done, writes, evidence_cell, behavior) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`);
    const greeting: Message = { role: "assistant", content: AGENT_GREETING };
    let finished = Date.now() - G * N * 50;
    for (let g = 0; g < G; g++) {
      const taskId = `t${g}`;
      const w = 1 + (g % 5);
      const b = [1, 2, 4, 8, 16][Math.floor(g / 5) % 5];
      const rid = `R${g}`;
      const goldCalls = [
        { name: "get_reservation_details", arguments: { reservation_id: rid } },
        { name: "search_direct_flight", arguments: { origin: "JFK", destination: "SFO", date: "2024-05-20" } },
        { name: "update_reservation_flights", arguments: { reservation_id: rid, cabin: "economy", flights: [{ flight_number: "HAT001", date: "2024-05-20" }], payment_id: "credit_card_1" } },
      ];
      const task = { id: taskId, user_scenario: { instructions: "bench" }, evaluation_criteria: { actions: goldCalls.map((a, i) => ({ action_id: String(i), ...a })) } } as unknown as Task;
      const gold = goldOfTask(task);
      insTask.run(set.id, taskId, JSON.stringify(task), w, b, "cooperative");
      const gid = `g-${exp.id}-${g}`;
      insGroup.run(gid, exp.id, taskId, g, N, w, b, "cooperative");
      for (let s = 0; s < N; s++) {
        const id = `r-${exp.id}-${g}-${s}`;
        const outcome = rng.next() < 0.5 ? 1 : 0;
        insertRolloutStart(db, { id, experimentId: exp.id, groupId: gid, taskId, sampleIndex: s, writes: w, evidenceTotal: b, evidenceCell: b, behavior: "cooperative", preset: null, createdAt: finished });
        const msgs: Message[] = [greeting, { role: "user", content: `please change reservation ${rid}` }];
        for (let k = 0; k < K; k++) {
          const r = rng.next();
          const callId = `c${k}`;
          let call: { name: string; arguments: Record<string, unknown> } | null;
          if (r < 0.15) call = null;
          else if (r < 0.4) call = goldCalls[k % 3];
          else if (r < 0.55) call = { name: "get_user_details", arguments: { user_id: `u${g}` } };
          else if (r < 0.7) call = { name: "search_direct_flight", arguments: { origin: "JFK", destination: "SFO", date: `2024-05-${10 + (k % 15)}` } };
          else if (r < 0.8) call = { name: "update_reservation_flights", arguments: { reservation_id: rid, cabin: "economy", flights: [{ flight_number: `HAT00${k % 9}`, date: "2024-05-20" }], payment_id: "credit_card_1" } };
          else if (r < 0.9) call = { name: "get_reservation_details", arguments: { reservation_id: `X${k}` } };
          else call = { name: "calculate", arguments: { expression: `${k} * 2` } };
          const usage = { prompt_tokens: 900 + k * 50, completion_tokens: 20 + (k % 7) * 5 };
          if (!call) {
            msgs.push({ role: "assistant", content: `Let me confirm the change for ${rid}.`, usage } as Message);
            msgs.push({ role: "user", content: "yes" });
          } else {
            msgs.push({ role: "assistant", content: null, tool_calls: [{ id: callId, name: call.name, arguments: call.arguments }], usage } as Message);
            const error = rng.next() < 0.05;
            msgs.push({ role: "tool", tool_call_id: callId, content: error ? "Error: not found" : '{"ok":true}', error } as Message);
          }
        }
        msgs.forEach((m, idx) => insertRolloutMessage(db, id, idx, m));
        messages += msgs.length;
        const done = finalizeRollout(db, {
          id,
          experimentId: exp.id,
          groupId: gid,
          outcome: outcome as 0 | 1,
          reward: outcome,
          termination: "user_stop",
          turns: K,
          promptTokens: 0,
          completionTokens: 0,
          errorCount: 0,
          metadata: {},
          violations: [],
          finishedAt: (finished += 50),
        });
        if (done) writeRolloutClass(c, rolloutClassRecord(id, exp.id, msgs, gold));
      }
    }
    return exp.id;
  })();
  const classBytes = (c.prepare(`SELECT coalesce(sum(length(data)), 0) AS n FROM rollout_classes`).get() as { n: number }).n;
  closeDb(db);
  return { experimentId, insertMs: performance.now() - t0, messages, classBytes };
}

const tiersOnly = (i: number): RewardConfig => makeRewardConfig({ ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: 0.3 - 0.01 * (i + 1), state: 0.1 - 0.01 * (i + 1) } });

/** CPU time of the last time() call: wall time on a shared 2-core box mostly measures the neighbours. */
let lastCpu = 0;
function time(fn: () => void): number {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  lastCpu = (d.user + d.system) / 1000;
  return wall;
}
function timed(wall: number[], cpu: number[], fn: () => void): void {
  wall.push(time(fn));
  cpu.push(lastCpu);
}

/** Runs in a fresh process: cold figures include opening the db and a cold JIT on the first rep. */
function measure(path: string, experimentId: number): Record<string, unknown> {
  const cold: number[] = [];
  const coldCpu: number[] = [];
  const load: number[] = [];
  let turns = 0;
  for (let rep = 0; rep < COLD_REPS; rep++) {
    clearCalibrationStore();
    let db: ReturnType<typeof openDb> | undefined;
    timed(cold, coldCpu, () => {
      db = openDb(path);
      turns = runAnalysis(db, experimentId, { config: NAIVE_V5 }).analysis.n_turns;
    });
    closeDb(db!);
  }
  {
    clearCalibrationStore();
    const db = openDb(path);
    load.push(time(() => getExperimentData(db, experimentId, classifyOptionsOf(NAIVE_V5))), lastCpu);
    closeDb(db);
  }

  clearCalibrationStore();
  const db = openDb(path);
  runAnalysis(db, experimentId, { config: NAIVE_V5 });
  const warmCore: number[] = [];
  const warmCoreCpu: number[] = [];
  const warmHybrid: number[] = [];
  const warmAll: number[] = [];
  const warmAllCpu: number[] = [];
  const cached: number[] = [];
  let i = 0;
  // One untimed run of each kind first (JIT of the section code), as a long-lived server has.
  runAnalysis(db, experimentId, { config: tiersOnly(i++), include: ["estimators", "cells", "heatmap", "distribution"] });
  for (let rep = 0; rep < REPS; rep++) {
    timed(warmCore, warmCoreCpu, () => runAnalysis(db, experimentId, { config: tiersOnly(i++) }));
    const hybrid = makeRewardConfig({ tiers: { read: 0.1 * rep, state: -0.1 }, estimator: rep % 2 ? "hybrid" : "gtpo" });
    warmHybrid.push(time(() => runAnalysis(db, experimentId, { config: hybrid })));
    cached.push(time(() => runAnalysis(db, experimentId, { config: hybrid })));
    timed(warmAll, warmAllCpu, () => runAnalysis(db, experimentId, { config: tiersOnly(i++), include: ["estimators", "cells", "heatmap", "distribution"] }));
  }
  closeDb(db);
  const out: Record<string, unknown> = {
    turns,
    cold_first_ms: round(cold[0]),
    cold_open_load_analyze_ms_median: round(median(cold)),
    cold_cpu_ms_median: round(median(coldCpu)),
    cold_load_only_ms: round(load[0]),
    cold_load_only_cpu_ms: round(load[1]),
    warm_core_ms_median: round(median(warmCore)),
    warm_core_cpu_ms_median: round(median(warmCoreCpu)),
    warm_core_ms_runs: warmCore.map(round),
    warm_hybrid_ms_median: round(median(warmHybrid)),
    warm_all_sections_ms_median: round(median(warmAll)),
    warm_all_sections_ms_runs: warmAll.map(round),
    warm_all_sections_cpu_ms_median: round(median(warmAllCpu)),
    cached_ms_median: round(median(cached)),
    peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
  };
  if (process.env.BENCH_FALLBACK) {
    const raw = openDb(path);
    raw.$client.exec(`DELETE FROM rollout_classes`);
    closeDb(raw);
    for (const label of ["fallback_cold_backfill_ms", "after_backfill_cold_ms"]) {
      clearCalibrationStore();
      let d: ReturnType<typeof openDb> | undefined;
      out[label] = round(time(() => {
        d = openDb(path);
        runAnalysis(d, experimentId, { config: NAIVE_V5 });
      }));
      closeDb(d!);
    }
  }
  return out;
}

function main(): void {
  const at = process.argv.indexOf("--measure");
  if (at >= 0) {
    console.log(JSON.stringify(measure(process.argv[at + 1], Number(process.argv[at + 2]))));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-calib-"));
  const path = join(dir, "bench.db");
  try {
    const { experimentId, insertMs, messages, classBytes } = populate(path);
    const child = spawnSync(process.execPath, ["--import", "tsx", __filename, "--measure", path, String(experimentId)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`measuring process exited ${child.status}`);
    const figures = JSON.parse(child.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    console.log(
      JSON.stringify({
        bench: "calibration",
        groups: G,
        samples: N,
        turns_per_rollout: K,
        rollouts: G * N,
        messages,
        class_blob_mb: mb(classBytes),
        insert_ms: round(insertMs),
        ...figures,
        cold_target_ms: 3000,
        warm_target_ms: 300,
        reps: REPS,
        load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
      }),
    );
  } finally {
    if (process.env.BENCH_KEEP) console.error("kept", path);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
