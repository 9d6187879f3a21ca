/**
 * Calibration store bench: a temp SQLite db holding G groups × N rollouts × K agent turns
 * (compact summary rows + message bodies + tasks with gold actions), then
 *  - cold: load from SQLite + classify every call + analyze (empty process cache), ≤ 3 s target;
 *  - warm: analyze again with new tier values (classification and data reused), ≤ 300 ms target;
 *  - cached: the same request again (result cache).
 * Prints one JSON object with medians. Env: BENCH_GROUPS (10000), BENCH_SAMPLES (8), BENCH_TURNS (30), BENCH_REPS (3).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb } from "../db/client";
import { runAnalysis } from "../lib/calibration/analysis";
import { clearCalibrationStore } from "../lib/calibration/store";
import { makeRewardConfig, NAIVE_V5 } from "../lib/rewards";
import { createRng } from "../lib/synthesis/rng";
import { AGENT_GREETING } from "../lib/types/messages";

const G = Number(process.env.BENCH_GROUPS ?? 10_000);
const N = Number(process.env.BENCH_SAMPLES ?? 8);
const K = Number(process.env.BENCH_TURNS ?? 30);
const REPS = Number(process.env.BENCH_REPS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

function populate(path: string): { experimentId: number; insertMs: number; messages: number } {
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
         VALUES ('bench', ?, '{"kind":"simulated"}', '{"kind":"simulated"}', ?, ?, 10, 'completed', 'run', ?, ?) RETURNING id`,
      )
      .get(set.id, N, K, G * N, G * N) as { id: number };
    const insTask = c.prepare(`INSERT INTO tasks (task_set_id, task_id, body, writes, evidence_cell, behavior) VALUES (?, ?, ?, ?, ?, ?)`);
    const insGroup = c.prepare(`INSERT INTO groups (id, experiment_id, task_id, position, size, done, writes, evidence_cell, behavior) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insRollout = c.prepare(
      `INSERT INTO rollouts (id, experiment_id, group_id, task_id, sample_index, status, outcome, reward, termination, turns, writes, evidence_cell, behavior, finished_at)
       VALUES (?, ?, ?, ?, ?, 'done', ?, ?, 'user_stop', ?, ?, ?, ?, ?)`,
    );
    const insMsg = c.prepare(`INSERT INTO rollout_messages (rollout_id, idx, role, body) VALUES (?, ?, ?, ?)`);
    const greeting = JSON.stringify({ role: "assistant", content: AGENT_GREETING });
    let finished = Date.now() - G * N * 50;
    for (let g = 0; g < G; g++) {
      const taskId = `t${g}`;
      const w = 1 + (g % 5);
      const b = [1, 2, 4, 8, 16][Math.floor(g / 5) % 5];
      const rid = `R${g}`;
      const gold = [
        { name: "get_reservation_details", arguments: { reservation_id: rid } },
        { name: "search_direct_flight", arguments: { origin: "JFK", destination: "SFO", date: "2024-05-20" } },
        { name: "update_reservation_flights", arguments: { reservation_id: rid, cabin: "economy", flights: [{ flight_number: "HAT001", date: "2024-05-20" }], payment_id: "credit_card_1" } },
      ];
      insTask.run(set.id, taskId, JSON.stringify({ id: taskId, user_scenario: { instructions: "bench" }, evaluation_criteria: { actions: gold.map((a, i) => ({ action_id: String(i), ...a })) } }), w, b, "cooperative");
      const gid = `g-${exp.id}-${g}`;
      insGroup.run(gid, exp.id, taskId, g, N, N, w, b, "cooperative");
      for (let s = 0; s < N; s++) {
        const id = `r-${exp.id}-${g}-${s}`;
        const outcome = rng.next() < 0.5 ? 1 : 0;
        insRollout.run(id, exp.id, gid, taskId, s, outcome, outcome, K, w, b, "cooperative", (finished += 50));
        let idx = 0;
        insMsg.run(id, idx++, "assistant", greeting);
        insMsg.run(id, idx++, "user", JSON.stringify({ role: "user", content: `please change reservation ${rid}` }));
        for (let k = 0; k < K; k++) {
          const r = rng.next();
          const callId = `c${k}`;
          let call: { name: string; arguments: Record<string, unknown> } | null;
          if (r < 0.15) call = null;
          else if (r < 0.4) call = gold[k % 3];
          else if (r < 0.55) call = { name: "get_user_details", arguments: { user_id: `u${g}` } };
          else if (r < 0.7) call = { name: "search_direct_flight", arguments: { origin: "JFK", destination: "SFO", date: `2024-05-${10 + (k % 15)}` } };
          else if (r < 0.8) call = { name: "update_reservation_flights", arguments: { reservation_id: rid, cabin: "economy", flights: [{ flight_number: `HAT00${k % 9}`, date: "2024-05-20" }], payment_id: "credit_card_1" } };
          else if (r < 0.9) call = { name: "get_reservation_details", arguments: { reservation_id: `X${k}` } };
          else call = { name: "calculate", arguments: { expression: `${k} * 2` } };
          const usage = { prompt_tokens: 900 + k * 50, completion_tokens: 20 + (k % 7) * 5 };
          if (!call) {
            insMsg.run(id, idx++, "assistant", JSON.stringify({ role: "assistant", content: `Let me confirm the change for ${rid}.`, usage }));
            insMsg.run(id, idx++, "user", JSON.stringify({ role: "user", content: "yes" }));
          } else {
            insMsg.run(id, idx++, "assistant", JSON.stringify({ role: "assistant", content: null, tool_calls: [{ id: callId, name: call.name, arguments: call.arguments }], usage }));
            const error = rng.next() < 0.05;
            insMsg.run(id, idx++, "tool", JSON.stringify({ role: "tool", tool_call_id: callId, content: error ? "Error: not found" : '{"ok":true}', error }));
          }
        }
        messages += idx;
      }
    }
    return exp.id;
  })();
  closeDb(db);
  return { experimentId, insertMs: performance.now() - t0, messages };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-calib-"));
  const path = join(dir, "bench.db");
  try {
    const { experimentId, insertMs, messages } = populate(path);
    const cold: number[] = [];
    const warm: number[] = [];
    const cached: number[] = [];
    let turns = 0;
    for (let rep = 0; rep < REPS; rep++) {
      clearCalibrationStore();
      const db = openDb(path);
      let t = performance.now();
      const a = runAnalysis(db, experimentId, { config: NAIVE_V5 });
      cold.push(performance.now() - t);
      turns = a.analysis.n_turns;
      // Warm: new tier values and estimator (a slider move): no reload, no reclassification.
      const cfg = makeRewardConfig({ tiers: { read: 0.1 * rep, state: -0.1 }, estimator: "hybrid" });
      t = performance.now();
      runAnalysis(db, experimentId, { config: cfg });
      warm.push(performance.now() - t);
      t = performance.now();
      runAnalysis(db, experimentId, { config: cfg });
      cached.push(performance.now() - t);
      closeDb(db);
    }
    const warmSections: number[] = [];
    {
      clearCalibrationStore();
      const db = openDb(path);
      runAnalysis(db, experimentId, { config: NAIVE_V5 });
      for (let rep = 0; rep < REPS; rep++) {
        const t = performance.now();
        runAnalysis(db, experimentId, { config: makeRewardConfig({ tiers: { read: 0.05 * (rep + 1) } }), include: ["estimators", "cells", "heatmap", "distribution"] });
        warmSections.push(performance.now() - t);
      }
      closeDb(db);
    }
    console.log(
      JSON.stringify({
        bench: "calibration",
        groups: G,
        samples: N,
        turns_per_rollout: K,
        rollouts: G * N,
        turns,
        messages,
        insert_ms: round(insertMs),
        cold_load_classify_analyze_ms_median: round(median(cold)),
        warm_analyze_ms_median: round(median(warm)),
        warm_all_sections_ms_median: round(median(warmSections)),
        cached_ms_median: round(median(cached)),
        cold_target_ms: 3000,
        warm_target_ms: 300,
        reps: REPS,
      }),
    );
  } finally {
    if (process.env.BENCH_KEEP) console.error("kept", path);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
