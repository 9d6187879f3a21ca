/**
 * Bulk-insert a synthetic finished experiment (groups, rollout summary rows, messages) in
 * one transaction with raw prepared statements — for benches and list/pagination tests
 * that need 100k rollouts in seconds. Deterministic given the seed; counters consistent.
 */
import type { Db } from "../../../db/client";
import { createRng } from "../../random/prng";
import { AGENT_GREETING, type Message } from "../../types/messages";
import { groupIdFor, rolloutIdFor } from "../../rollouts/store/run-tasks";

export interface SyntheticOptions {
  name?: string;
  tasks: number;
  groupSize: number;
  messagesPerRollout?: number;
  seed?: number;
}

const TERMINATIONS = ["user_stop", "user_stop", "user_stop", "max_turns", "too_many_errors", "error"] as const;
const BEHAVIORS = ["cooperative", "terse", "no_ids", "split_request"] as const;
const W = [1, 2, 3, 4, 5];
const B = [1, 2, 4, 8, 16];

export function insertSyntheticExperiment(db: Db, o: SyntheticOptions): { experimentId: number; rollouts: number } {
  const r0 = createRng(o.seed ?? 1);
  const rng = () => r0.next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const perRollout = o.messagesPerRollout ?? 10;
  const c = db.$client;
  return c
    .transaction(() => {
      const now = Date.now();
      const exp = c
        .prepare(
          `INSERT INTO experiments (name, agent_config, user_config, group_size, max_turns, max_errors, status, source, rollouts_total, created_at, updated_at, started_at, finished_at)
           VALUES (?, '{"kind":"simulated","preset":"average"}', '{"kind":"simulated"}', ?, 30, 10, 'completed', 'run', ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(o.name ?? "synthetic", o.groupSize, o.tasks * o.groupSize, now, now, now, now) as { id: number };
      const insGroup = c.prepare(
        `INSERT INTO groups (id, experiment_id, task_id, position, size, done, passed, mean_reward, writes, evidence_total, evidence_cell, behavior, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insRollout = c.prepare(
        `INSERT INTO rollouts (id, experiment_id, group_id, task_id, sample_index, status, outcome, reward, termination, turns, prompt_tokens, completion_tokens,
           writes, evidence_total, evidence_cell, behavior, preset, error_count, metadata, violations, violation_count, created_at, finished_at)
         VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', '[]', 0, ?, ?)`,
      );
      const insMsg = c.prepare(`INSERT INTO rollout_messages (rollout_id, idx, role, body) VALUES (?, ?, ?, ?)`);
      let done = 0;
      let passedAll = 0;
      let pt = 0;
      for (let pos = 0; pos < o.tasks; pos++) {
        const w = pick(W);
        const b = pick(B);
        const behavior = pick(BEHAVIORS);
        const gid = groupIdFor(exp.id, pos);
        const taskId = `t${pos}`;
        let passed = 0;
        const rows: unknown[][] = [];
        for (let s = 0; s < o.groupSize; s++) {
          const termination = pick(TERMINATIONS);
          const outcome = termination === "user_stop" && rng() < 0.9 - 0.04 * b ? 1 : 0;
          passed += outcome;
          const turns = 3 + Math.floor(rng() * 30);
          const prompt = turns * 900;
          pt += prompt;
          rows.push([rolloutIdFor(exp.id, pos, s), exp.id, gid, taskId, s, outcome, outcome, termination, turns, prompt, turns * 40, w, w * b, b, behavior, pick(["expert", "average", "sloppy"]), termination === "error" ? 1 : 0, now, now]);
        }
        insGroup.run(gid, exp.id, taskId, pos, o.groupSize, o.groupSize, passed, passed / o.groupSize, w, w * b, b, behavior, now);
        for (const r of rows) {
          insRollout.run(...r);
          const rid = r[0] as string;
          for (let i = 0; i < perRollout; i++) {
            const m: Message =
              i === 0
                ? { role: "assistant", content: AGENT_GREETING }
                : i % 2 === 1
                  ? { role: "user", content: `user message ${i} about reservation ABC${i}` }
                  : { role: "assistant", content: `agent reply ${i}: let me check that for you.` };
            insMsg.run(rid, i, m.role, JSON.stringify(m));
          }
        }
        done += o.groupSize;
        passedAll += passed;
      }
      c.prepare(`UPDATE experiments SET rollouts_done = ?, rollouts_passed = ?, prompt_tokens = ? WHERE id = ?`).run(done, passedAll, pt, exp.id);
      return { experimentId: exp.id, rollouts: done };
    })
    .immediate();
}
