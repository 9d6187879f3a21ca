/**
 * Import finished rollouts (τ² results or rollout JSON lines) as an experiment with
 * source 'import': one group per task (in order of first appearance), samples renumbered
 * 0..n-1 within a group (the file's own ids are kept in metadata). Tasks shipped in the
 * file (τ² results) become a task set of their own so groups, exports and W / B slicing
 * work as for a run. Outcome, reward and termination are the file's. Policy violations
 * are computed when the task's base state is known (WRIT tasks: writ.state_seed);
 * otherwise left null. Everything is written in ONE transaction, through the same
 * idempotent statements and counters as the runner.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { finalizeRollout, insertRolloutMessage, insertRolloutStart } from "../../db/queries/rollouts";
import { goldOfTask, rolloutClassRecord, writeRolloutClass } from "../calibration/class-store";
import { experiments, taskSets } from "../../db/schema";
import { checkPolicy, getGeneratedState } from "../airline";
import { ValidationError } from "../http/errors";
import { parseRolloutJsonl } from "../interchange/rollout-jsonl";
import { stripSecrets } from "../interchange/redact";
import { importTau2Results } from "../interchange/tau2-results";
import { insertTasks } from "../synthesis/job-store";
import type { Rollout } from "../types/rollout";
import { writMetaSchema, type Task } from "../types/task";
import { groupIdFor, insertGroups, rolloutIdFor, taskRefOf, type TaskRef } from "./store";
import { ZodError } from "zod";

export type ImportSource = "tau2" | "jsonl";

export interface ImportResult {
  experiment_id: number;
  rollouts: number;
  groups: number;
  task_set_id: number | null;
  skipped: { id: string; reason: string }[];
}

function parseInput(from: ImportSource, text: string): { tasks: Task[]; rollouts: Rollout[]; skipped: ImportResult["skipped"] } {
  if (from === "tau2") {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ValidationError(`file is not valid JSON: ${(err as Error).message}`, "file");
    }
    try {
      return importTau2Results(json);
    } catch (err) {
      if (err instanceof ZodError) {
        const issue = err.issues[0];
        throw new ValidationError(`not a τ² results file: ${issue.path.join(".") || "(root)"}: ${issue.message}`, "file");
      }
      throw err;
    }
  }
  const parsed = parseRolloutJsonl(text);
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    throw new ValidationError(`line ${e.line}: ${e.message}${parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad lines)` : ""}`, "file");
  }
  return { tasks: [], rollouts: parsed.rollouts, skipped: [] };
}

function refFor(taskId: string, task: Task | undefined, sample: Rollout | undefined): TaskRef {
  if (task) return taskRefOf(task);
  const writ = writMetaSchema.safeParse((sample?.metadata as Record<string, unknown> | undefined)?.writ);
  if (writ.success) return taskRefOf({ id: taskId, user_scenario: { instructions: "" }, writ: writ.data } as Task);
  return { taskId, writes: null, evidenceTotal: null, evidenceCell: null, behavior: null };
}

export function importExperiment(db: Db, input: { from: ImportSource; text: string; name: string; file?: string }): ImportResult {
  const name = input.name.trim();
  if (!name) throw new ValidationError("experiment name is required", "experiment");
  const { tasks, rollouts, skipped } = parseInput(input.from, input.text);
  if (rollouts.length === 0) throw new ValidationError("the file holds no rollouts", "file");

  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const byTask = new Map<string, Rollout[]>();
  for (const r of rollouts) {
    const list = byTask.get(r.task_id);
    if (list) list.push(r);
    else byTask.set(r.task_id, [r]);
  }
  for (const list of byTask.values()) list.sort((a, b) => a.sample_index - b.sample_index);
  const groupSize = Math.max(...[...byTask.values()].map((l) => l.length));
  const first = rollouts[0].metadata ?? {};
  const label = (k: string) => (typeof first[k] === "string" ? (first[k] as string) : `imported ${k}`);

  return db.transaction(
    (tx) => {
      const exp = tx
        .insert(experiments)
        .values({
          name,
          taskSetId: null,
          agentConfig: { kind: "import", label: label("agent") },
          userConfig: { kind: "import", label: label("user") },
          groupSize,
          maxTurns: 0,
          maxErrors: 0,
          status: "completed",
          source: "import",
          metadata: { imported_from: input.from, ...(input.file ? { file: input.file } : {}), skipped: skipped.length },
        })
        .returning()
        .get();
      let taskSetId: number | null = null;
      const used = tasks.filter((t) => byTask.has(t.id));
      if (used.length) {
        const set = tx
          .insert(taskSets)
          .values({ name: `Imported: ${name} (experiment ${exp.id})`, source: input.from === "tau2" ? "tau2" : "uploaded", status: "ready", taskCount: used.length })
          .returning()
          .get();
        insertTasks(tx, set.id, used);
        taskSetId = set.id;
      }
      const taskIds = [...byTask.keys()];
      const refs = taskIds.map((id) => refFor(id, taskById.get(id), byTask.get(id)![0]));
      // Groups carry the size they really have (an import may be ragged).
      insertGroups(tx, { id: exp.id, groupSize }, refs);
      const now = Date.now();
      let total = 0;
      taskIds.forEach((taskId, position) => {
        const list = byTask.get(taskId)!;
        const task = taskById.get(taskId);
        const groupId = groupIdFor(exp.id, position);
        tx.run(sqlSetGroupSize(groupId, list.length));
        const ref = refs[position];
        const base = task?.writ?.state_seed != null ? getGeneratedState(task.writ.state_seed) : null;
        list.forEach((r, sample) => {
          const id = rolloutIdFor(exp.id, position, sample);
          insertRolloutStart(db, {
            id,
            experimentId: exp.id,
            groupId,
            taskId,
            sampleIndex: sample,
            writes: ref.writes,
            evidenceTotal: ref.evidenceTotal,
            evidenceCell: ref.evidenceCell,
            behavior: ref.behavior,
            preset: typeof r.metadata?.preset === "string" ? r.metadata.preset : null,
            createdAt: now,
          });
          // Same connection as tx: these prepared statements run inside the open transaction.
          r.messages.forEach((m, idx) => insertRolloutMessage(db, id, idx, m));
          const meta = stripSecrets({ ...(r.metadata ?? {}) }) as Record<string, unknown>;
          delete meta.writ;
          meta.source_rollout_id = r.rollout_id;
          meta.source_group_id = r.group_id;
          let violations: { rule: string; message: string; turn: number; messageIndex: number }[] = [];
          if (base) {
            try {
              violations = checkPolicy(r.messages, base);
            } catch {
              violations = [];
            }
          }
          const turns = r.messages.filter((m, i) => m.role === "assistant" && i > 0).length;
          const errors = r.messages.filter((m) => (m.role === "tool" && m.error) || (m.role === "assistant" && m.error !== undefined)).length;
          const finalized = finalizeRollout(db, {
            id,
            experimentId: exp.id,
            groupId,
            outcome: r.outcome,
            reward: r.reward,
            termination: r.termination,
            turns: typeof meta.turns === "number" ? meta.turns : turns,
            promptTokens: r.usage?.prompt_tokens ?? 0,
            completionTokens: r.usage?.completion_tokens ?? 0,
            errorCount: typeof meta.errors === "number" ? meta.errors : errors,
            metadata: meta,
            violations: violations.map((v) => ({ rule: v.rule, message: v.message, turn: v.turn, messageIndex: v.messageIndex })),
            finishedAt: now,
          });
          // The calibration store's stored classification (default key, the task set's gold; none without tasks).
          if (finalized) writeRolloutClass(db.$client, rolloutClassRecord(id, exp.id, r.messages, goldOfTask(task)));
          if (!base) tx.run(sqlNullViolations(id));
          total++;
        });
      });
      tx.update(experiments)
        .set({ taskSetId, rolloutsTotal: total, startedAt: now, finishedAt: now, updatedAt: now })
        .where(eq(experiments.id, exp.id))
        .run();
      return { experiment_id: exp.id, rollouts: total, groups: taskIds.length, task_set_id: taskSetId, skipped };
    },
    { behavior: "immediate" },
  );
}

function sqlSetGroupSize(groupId: string, size: number) {
  return sql`UPDATE groups SET size = ${size} WHERE id = ${groupId}`;
}
/** Unknown base state: "not checked" (null), not "no violations". */
function sqlNullViolations(rolloutId: string) {
  return sql`UPDATE rollouts SET violations = NULL, violation_count = NULL WHERE id = ${rolloutId}`;
}
