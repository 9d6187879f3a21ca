/**
 * The prepared statements the benches' bulk loaders (bench/load.ts, bench/workbench.ts) share to
 * write a finished experiment's tasks, groups, rollout summary rows and messages straight into
 * SQLite: hundreds of thousands of rows in seconds, far faster than the app's own writers.
 */
import type { Db } from "../db/client";

/** `rolloutMetadata` is a constant JSON text stored as every rollout's metadata (no user input). */
export function prepareBulkInserts(c: Db["$client"], rolloutMetadata: string) {
  const metadata = rolloutMetadata.replace(/'/g, "''");
  return {
    insTask: c.prepare(`INSERT INTO tasks (task_set_id, task_id, body, writes, evidence_total, evidence_cell, behavior, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    insGroup: c.prepare(
      `INSERT INTO groups (id, experiment_id, task_id, position, size, done, passed, mean_reward, writes, evidence_total, evidence_cell, behavior, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insRollout: c.prepare(
      `INSERT INTO rollouts (id, experiment_id, group_id, task_id, sample_index, status, outcome, reward, termination, turns, prompt_tokens, completion_tokens,
         writes, evidence_total, evidence_cell, behavior, preset, error_count, metadata, violations, violation_count, created_at, finished_at)
       VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'average', 0, '${metadata}', '[]', 0, ?, ?)`,
    ),
    insMsg: c.prepare(`INSERT INTO rollout_messages (rollout_id, idx, role, body) VALUES (?, ?, ?, ?)`),
  };
}
