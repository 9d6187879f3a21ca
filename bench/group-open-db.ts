/**
 * The database of bench/group-open.ts and bench/search-scroll.ts (issue 17 §4 at 100,000 rollouts):
 * one finished experiment with a task set (so groups have gold actions and the annotations explain
 * turns against them), tool-calling conversations shaped like bench/load.ts's, its rollouts' stored
 * class rows (what a real run writes as each rollout finishes, so a first open after a restart
 * reads them instead of classifying every message) and a saved reward-config iteration after the
 * seed (the config the browser annotates with).
 *
 * Built once and reused: GROUP_OPEN_DB, default /work/bench-data/group-open/writ-<rollouts>x<turns>-g<group>.db
 * (outside the repo), written under a temporary name and renamed when complete.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { classifyOptionsOf, getExperimentData } from "../lib/calibration/experiment-data";
import { createIteration, latestIteration } from "../lib/calibration/iterations";
import { NAIVE_V5 } from "../lib/rewards";
import { mulberry32 } from "../lib/random/prng";
import { AGENT_GREETING } from "../lib/types/messages";
import { prepareBulkInserts } from "./bulk-insert";

export const EXPERIMENT_NAME = "bench group open";

export interface GroupOpenDbOptions {
  rollouts: number;
  /** Agent turns per rollout. */
  turns: number;
  /** Siblings per group. */
  group: number;
}

export function defaultDbPath(o: GroupOpenDbOptions): string {
  return process.env.GROUP_OPEN_DB ?? join("/work/bench-data/group-open", `writ-${o.rollouts}x${o.turns}-g${o.group}.db`);
}

const READS = ["get_user_details", "get_reservation_details", "search_direct_flight"];
const WRITES = ["cancel_reservation", "update_reservation_baggages", "book_reservation"];

/** Tasks, groups, rollouts and messages of one finished experiment, in batches of transactions; returns its id. */
function insertExperiment(db: Db, o: GroupOpenDbOptions, log: (m: string) => void): number {
  const c = db.$client;
  const rand = mulberry32(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const nGroups = Math.ceil(o.rollouts / o.group);
  const now = Date.now();
  const set = c.prepare(`INSERT INTO task_sets (name, source, task_count, status, created_at) VALUES ('bench-group-open', 'synthetic', ?, 'ready', ?) RETURNING id`).get(nGroups, now) as { id: number };
  const exp = c
    .prepare(
      `INSERT INTO experiments (name, task_set_id, agent_config, user_config, group_size, max_turns, max_errors, status, source, rollouts_total, created_at, updated_at, started_at, finished_at)
       VALUES (?, ?, '{"kind":"simulated","preset":"average"}', '{"kind":"simulated"}', ?, ?, 10, 'completed', 'run', ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(EXPERIMENT_NAME, set.id, o.group, o.turns, o.rollouts, now, now, now, now) as { id: number };
  const { insTask, insGroup, insRollout, insMsg } = prepareBulkInserts(c, '{"agent":"simulated agent (average)"}');
  let done = 0;
  let passedAll = 0;
  const batch = c.transaction((from: number, to: number) => {
    for (let g = from; g < to; g++) {
      const w = 1 + Math.floor(rand() * 5);
      const b = [1, 2, 4, 8, 16][Math.floor(rand() * 5)];
      const behavior = pick(["cooperative", "terse", "no_ids", "split_request"]);
      const taskId = `open-${g}`;
      const gold = Array.from({ length: w }, (_, j) => ({ action_id: `a${j}`, name: WRITES[j % WRITES.length], arguments: { reservation_id: `R${g}X${j}`, reason: "weather" } }));
      insTask.run(set.id, taskId, JSON.stringify({ id: taskId, user_scenario: { instructions: { domain: "airline", reason_for_call: "bench", known_info: "", task_instructions: "" } }, evaluation_criteria: { actions: gold } }), w, w * b, b, behavior, now);
      const gid = `g-${exp.id}-${g}`;
      const size = Math.min(o.group, o.rollouts - g * o.group);
      const outcomes: number[] = Array.from({ length: size }, () => (rand() > 0.45 ? 1 : 0));
      const passed = outcomes.reduce((s, x) => s + x, 0);
      passedAll += passed;
      insGroup.run(gid, exp.id, taskId, g, size, size, passed, passed / size, w, w * b, b, behavior, now);
      for (let s = 0; s < size; s++) {
        const rid = `r-${exp.id}-${g}-${s}`;
        const outcome = outcomes[s];
        // Finished one after another (distinct times), as a run finishes them.
        const finished = now + done + s;
        insRollout.run(rid, exp.id, gid, taskId, s, outcome, outcome, outcome ? "user_stop" : "max_turns", o.turns, o.turns * 900, o.turns * 40, w, w * b, b, behavior, now, finished);
        let idx = 0;
        insMsg.run(rid, idx++, "assistant", JSON.stringify({ role: "assistant", content: AGENT_GREETING }));
        insMsg.run(rid, idx++, "user", JSON.stringify({ role: "user", content: `Hi, I need help with reservation R${g}X0 for user u${g}; the reason is weather.` }));
        let goldLeft = outcome ? [...gold] : gold.slice(0, Math.floor(gold.length / 2));
        for (let k = 0; k < o.turns; k++) {
          const r = rand();
          const call = r < 0.2 && goldLeft.length ? goldLeft[0] : r < 0.7 ? { name: pick(READS), arguments: { user_id: `u${g}`, reservation_id: `R${g}X${Math.floor(rand() * 3)}` } } : null;
          if (call === goldLeft[0]) goldLeft = goldLeft.slice(1);
          if (call) {
            const id = `c${k}`;
            insMsg.run(rid, idx++, "assistant", JSON.stringify({ role: "assistant", content: null, tool_calls: [{ id, name: call.name, arguments: call.arguments }], usage: { prompt_tokens: 900, completion_tokens: 40 } }));
            const result = { reservation_id: `R${g}X0`, user_id: `u${g}`, status: "confirmed", flights: [{ flight_number: "HAT001", date: "2024-05-16" }] };
            insMsg.run(rid, idx++, "tool", JSON.stringify({ role: "tool", tool_call_id: id, content: JSON.stringify(result), error: false }));
          } else {
            insMsg.run(rid, idx++, "assistant", JSON.stringify({ role: "assistant", content: `Turn ${k}: I have looked at reservation R${g}X0; is there anything else you want to change?`, usage: { prompt_tokens: 900, completion_tokens: 40 } }));
            insMsg.run(rid, idx++, "user", JSON.stringify({ role: "user", content: k === o.turns - 1 ? "###STOP###" : "Yes, please check the other flight too." }));
          }
        }
      }
      done += size;
    }
  });
  const step = 100;
  for (let g = 0; g < nGroups; g += step) {
    batch(g, Math.min(nGroups, g + step));
    if (g % 2000 === 0) log(`built ${done.toLocaleString("en-US")} / ${o.rollouts.toLocaleString("en-US")} rollouts`);
  }
  c.prepare(`UPDATE experiments SET rollouts_done = ?, rollouts_passed = ? WHERE id = ?`).run(o.rollouts, passedAll, exp.id);
  return exp.id;
}

/**
 * Builds the database at `path` unless it exists: the experiment, its class rows (the calibration
 * store's lazy backfill writes them on this first load) and a saved iteration (read tier 0.2 on the
 * seed NAIVE_V5: same classification, other tier values, as a user's edit usually is).
 */
export function ensureGroupOpenDb(path: string, o: GroupOpenDbOptions, log: (m: string) => void): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.building`;
  for (const ext of ["", "-wal", "-shm"]) rmSync(tmp + ext, { force: true });
  const t0 = performance.now();
  const db = openDb(tmp);
  const experimentId = insertExperiment(db, o, log);
  log(`rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; classifying and storing class rows`);
  getExperimentData(db, experimentId, classifyOptionsOf(NAIVE_V5));
  createIteration(db, { experiment_id: experimentId, config: { ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: 0.2 } }, note: "bench: read tier 0.2" });
  log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  closeDb(db);
  for (const ext of ["", "-wal", "-shm"]) if (existsSync(tmp + ext)) renameSync(tmp + ext, path + ext);
}

/** The bench experiment's id and its latest saved iteration (the one the bench annotates with). */
export function describeGroupOpenDb(db: Db): { experimentId: number; iterationId: number } {
  const { id } = db.$client.prepare(`SELECT id FROM experiments WHERE name = ? ORDER BY id LIMIT 1`).get(EXPERIMENT_NAME) as { id: number };
  return { experimentId: id, iterationId: latestIteration(db, id).id };
}
