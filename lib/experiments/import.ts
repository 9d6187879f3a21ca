/**
 * Import finished rollouts (τ² results or rollout JSON lines) as an experiment with
 * source 'import': one group per task (in order of first appearance), samples numbered
 * 0..n-1 within a group in the file's trial order (the file's own trial number is kept in
 * rollouts.source_trial, its ids in metadata).
 *
 * Checks before anything is written (docs: README "Import"): the domain must be airline;
 * every simulation's task id must be a task of the file (or of the reference task set), and
 * what it recorded about its evaluation (action checks, communicate checks)
 * must be that task's, else the import is refused naming the simulations; duplicate
 * rollout ids in JSON lines are refused naming the lines.
 *
 * Re-scoring: with a base state (a τ² domain directory for τ² files; the domain directory or
 * the task's generated state for JSON lines) every trajectory is re-evaluated with the
 * project's evaluator and its tool calls replayed: recorded_reward / recomputed_reward /
 * tool_output_diffs are stored, reward and outcome become the recomputed ones, and the
 * import report counts disagreements. Tasks shipped in the
 * file (τ² results) become a task set of their own so groups, exports and W / B slicing
 * work as for a run. Outcome, reward and termination are the file's. Policy violations
 * are computed when the task's base state is known (WRIT tasks: writ.state_seed);
 * otherwise left null. Everything is written in ONE transaction, through the same
 * idempotent statements and counters as the runner.
 */
import type { Db } from "../../db/client";
import { goldOfTask, rolloutClassRecord } from "../calibration/class-store";
import { checkPolicy, getGeneratedState, type AirlineState } from "../airline";
import { ensureEnvironments, getEnvironmentByName, loadEnvironment, tau2EnvironmentName } from "../environment-sources";
import { evaluateTrajectory, isSuccess } from "../rollouts/evaluate";
import { compareToolOutputs, type ToolOutputDifference } from "../rollouts/compare-tool-outputs";
import { ValidationError } from "../errors/app-error";
import { parseRolloutJsonl } from "../interchange/rollout-jsonl";
import { stripSecrets } from "../interchange/redact";
import type { Tau2ResultsMeta } from "../interchange/tau2-format";
import { importTau2Results, WrongDomainError } from "../interchange/tau2-import";
import type { Rollout } from "../types/rollout";
import { writMetaSchema, type Task } from "../types/task";
import {
  finishImportedExperiment,
  finishImportedRollout,
  inImportTransaction,
  insertImportedExperiment,
  insertImportedRollout,
  insertImportTaskSet,
  setGroupSize,
} from "./store/import-writes";
import { groupIdFor, insertGroups, rolloutIdFor, taskRefOf, type TaskRef } from "../rollouts/store/run-tasks";
import { ZodError } from "zod";

export type ImportSource = "tau2" | "jsonl";

/** What an import found when it re-scored the file (CLI output, API response, experiment metadata). */
export interface ImportReport {
  /** Rollouts re-evaluated with the project's evaluator. */
  rescored: number;
  /** Why some or all rollouts were not re-evaluated (no base state, unknown task), else null. */
  not_rescored_reason: string | null;
  /** Rollouts whose recorded reward differs from the recomputed one (|Δ| > 1e-6). */
  reward_disagreements: number;
  /** The first disagreements, for the report. */
  disagreements: { rollout_id: string; source_id: string; task_id: string; trial: number; recorded: number; recomputed: number }[];
  tool_outputs: {
    compared: number;
    differences: number;
    rollouts_with_differences: number;
    first: (ToolOutputDifference & { rollout_id: string; source_id: string })[];
  } | null;
}

export interface ImportResult {
  experiment_id: number;
  rollouts: number;
  groups: number;
  task_set_id: number | null;
  skipped: { id: string; reason: string }[];
  report: ImportReport;
}

export interface ImportInput {
  from: ImportSource;
  text: string;
  name: string;
  file?: string;
  /** A τ² airline domain directory: the base state to re-score against (and its tasks as reference). */
  domainDir?: string;
  /** Tasks to check JSON-lines task ids against and to re-score with (e.g. `--tasks FILE`). */
  tasks?: Task[];
}

const MAX_LISTED = 10;

function listProblems(items: string[], what: string): string {
  const shown = items.slice(0, MAX_LISTED).join("; ");
  return `${items.length} ${what}: ${shown}${items.length > MAX_LISTED ? ` (and ${items.length - MAX_LISTED} more)` : ""}`;
}

function parseInput(
  from: ImportSource,
  text: string,
  referenceTasks: Task[] | undefined,
): { tasks: Task[]; rollouts: Rollout[]; skipped: ImportResult["skipped"]; tau2: Tau2ResultsMeta | null } {
  if (from === "tau2") {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ValidationError(`file is not valid JSON: ${(err as Error).message}`, "file");
    }
    try {
      const res = importTau2Results(json, { referenceTasks });
      if (res.mismatches.length) {
        throw new ValidationError(
          "refused: " +
            listProblems(
              res.mismatches.map((m) => `simulation ${m.simulation} (id ${m.id}, task_id "${m.task_id}"): ${m.reason}`),
              "simulation(s) do not match their task",
            ),
          "file",
        );
      }
      return { tasks: res.tasks, rollouts: res.rollouts, skipped: res.skipped, tau2: res.results };
    } catch (err) {
      if (err instanceof WrongDomainError) throw new ValidationError(`refused: ${err.message}`, "file");
      if (err instanceof ZodError) {
        const issue = err.issues[0];
        throw new ValidationError(`not a τ² results file: ${issue.path.join(".") || "(root)"}: ${issue.message}`, "file");
      }
      throw err;
    }
  }
  const parsed = parseRolloutJsonl(text);
  const dups = parsed.errors.filter((e) => e.message.startsWith("duplicate rollout_id"));
  if (dups.length) throw new ValidationError("refused: " + listProblems(dups.map((e) => `line ${e.line}: ${e.message}`), "duplicate rollout id(s)"), "file");
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    throw new ValidationError(`line ${e.line}: ${e.message}${parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad lines)` : ""}`, "file");
  }
  const otherDomain = parsed.rollouts.findIndex((r) => typeof r.metadata?.domain === "string" && r.metadata.domain !== "airline");
  if (otherDomain >= 0) {
    throw new ValidationError(`refused: rollout ${otherDomain + 1} is from the "${String(parsed.rollouts[otherDomain].metadata!.domain)}" domain; the workbench's environment is airline`, "file");
  }
  if (referenceTasks) {
    const known = new Set(referenceTasks.map((t) => t.id));
    const unknown: string[] = [];
    parsed.rollouts.forEach((r, i) => {
      if (!known.has(r.task_id)) unknown.push(`rollout ${i + 1} (${r.rollout_id}): unknown task id "${r.task_id}"`);
    });
    if (unknown.length) throw new ValidationError("refused: " + listProblems(unknown, "rollout(s) name tasks that are not in the task set"), "file");
  }
  return { tasks: referenceTasks ?? [], rollouts: parsed.rollouts, skipped: [], tau2: null };
}

/** The τ² environment row for a domain directory (created once), its base state and tasks. */
function domainEnvironment(db: Db, dir: string): { id: number; state: AirlineState; tasks: Task[] } {
  ensureEnvironments(db, { tau2DataDir: dir });
  const row = getEnvironmentByName(db, tau2EnvironmentName(dir));
  if (!row) throw new ValidationError(`domain directory ${dir}: no environment row`, "domain_dir");
  const { env } = loadEnvironment(db, row.id);
  return { id: row.id, state: env.state, tasks: env.tasks ?? [] };
}

function refFor(taskId: string, task: Task | undefined, sample: Rollout | undefined): TaskRef {
  if (task) return taskRefOf(task);
  const writ = writMetaSchema.safeParse((sample?.metadata as Record<string, unknown> | undefined)?.writ);
  if (writ.success) return taskRefOf({ id: taskId, user_scenario: { instructions: "" }, writ: writ.data } as Task);
  return { taskId, writes: null, evidenceTotal: null, evidenceCell: null, behavior: null };
}

export function importExperiment(db: Db, input: ImportInput): ImportResult {
  const name = input.name.trim();
  if (!name) throw new ValidationError("experiment name is required", "experiment");
  const domainEnv = input.domainDir ? domainEnvironment(db, input.domainDir) : null;
  // τ² files ship their tasks; the domain's (or --tasks) only answer ids the file lacks. JSON
  // lines are checked against --tasks only: WRIT runs use synthesized task ids a τ² domain lacks.
  const reference = input.from === "tau2" ? (input.tasks ?? domainEnv?.tasks) : input.tasks;
  const { tasks, rollouts, skipped, tau2 } = parseInput(input.from, input.text, reference);
  if (rollouts.length === 0) throw new ValidationError("the file holds no rollouts", "file");
  const report: ImportReport = { rescored: 0, not_rescored_reason: null, reward_disagreements: 0, disagreements: [], tool_outputs: null };
  const notRescored = new Set<string>();

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

  return inImportTransaction(db, (tx) => {
    const exp = insertImportedExperiment(tx, {
      name,
      agentLabel: label("agent"),
      userLabel: label("user"),
      groupSize,
      // A τ² run's own limits and seed (what its page shows); 0 = not stated (JSON lines).
      maxTurns: intOf(tau2?.info.max_steps),
      maxErrors: intOf(tau2?.info.max_errors),
      seed: intOf(tau2?.info.seed),
      metadata: { imported_from: input.from, ...(input.file ? { file: input.file } : {}), skipped: skipped.length, ...(tau2 ? { tau2 } : {}) },
    });
    let taskSetId: number | null = null;
    const used = tasks.filter((t) => byTask.has(t.id));
    if (used.length) {
      taskSetId = insertImportTaskSet(
        tx,
        { name: `Imported: ${name} (experiment ${exp.id})`, source: input.from === "tau2" ? "tau2" : "uploaded", environmentId: domainEnv ? domainEnv.id : null },
        used,
      );
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
      setGroupSize(tx, groupId, list.length);
      const ref = refs[position];
      const base = task?.writ?.state_seed != null ? getGeneratedState(task.writ.state_seed) : null;
      // Re-scoring needs the state the run was played on: the τ² domain's for τ² files; for JSON
      // lines the generated state of a WRIT task's seed, else the domain's.
      const scoreBase = input.from === "tau2" ? (domainEnv?.state ?? null) : (base ?? domainEnv?.state ?? null);
      list.forEach((r, sample) => {
        const id = rolloutIdFor(exp.id, position, sample);
        // Same connection as tx: these prepared statements run inside the open transaction.
        insertImportedRollout(db, {
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
        }, r.messages);
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
        const tau2Meta = (r.metadata?.tau2 ?? null) as { trial?: number | null; id?: string } | null;
        const sourceTrial = tau2Meta ? (tau2Meta.trial ?? null) : r.sample_index;
        let recomputed: number | null = null;
        let toolDiffs: number | null = null;
        if (!task) notRescored.add(input.from === "tau2" ? `task "${taskId}" is not known` : "JSON lines carry no task definitions: pass --tasks FILE to re-score");
        else if (!scoreBase) notRescored.add(input.from === "tau2" ? "no τ² domain directory given (--domain-dir or TAU2_DATA_DIR): the τ² base state is needed to re-score" : "the tasks' base state is unknown (pass --domain-dir, or tasks with writ.state_seed)");
        else {
          recomputed = evaluateTrajectory({ task, messages: r.messages, termination: r.termination, baseState: scoreBase }).reward;
          report.rescored++;
          const cmp = compareToolOutputs(r.messages, scoreBase, 3, input.from === "tau2" ? "tau2" : "project");
          toolDiffs = cmp.differences;
          const t = (report.tool_outputs ??= { compared: 0, differences: 0, rollouts_with_differences: 0, first: [] });
          t.compared += cmp.compared;
          t.differences += cmp.differences;
          if (cmp.differences) t.rollouts_with_differences++;
          for (const d of cmp.first) if (t.first.length < MAX_LISTED) t.first.push({ ...d, rollout_id: id, source_id: r.rollout_id });
          if (Math.abs(recomputed - r.reward) > 1e-6) {
            report.reward_disagreements++;
            if (report.disagreements.length < 20) {
              report.disagreements.push({ rollout_id: id, source_id: r.rollout_id, task_id: taskId, trial: sourceTrial ?? sample, recorded: r.reward, recomputed });
            }
          }
        }
        // Shown by the rollout views (metadata reaches them without a schema change of the API).
        meta.import_check = { recorded_reward: r.reward, recomputed_reward: recomputed, source_trial: sourceTrial, tool_output_diffs: toolDiffs };
        const reward = recomputed ?? r.reward;
        const outcome: 0 | 1 = recomputed === null ? r.outcome : isSuccess(recomputed) ? 1 : 0;
        const turns = r.messages.filter((m, i) => m.role === "assistant" && i > 0).length;
        const errors = r.messages.filter((m) => (m.role === "tool" && m.error) || (m.role === "assistant" && m.error !== undefined)).length;
        // The calibration store's stored classification (default key, the task set's gold; none without tasks).
        finishImportedRollout(db, tx, {
          id,
          experimentId: exp.id,
          groupId,
          outcome,
          reward,
          termination: r.termination,
          turns: typeof meta.turns === "number" ? meta.turns : turns,
          promptTokens: r.usage?.prompt_tokens ?? 0,
          completionTokens: r.usage?.completion_tokens ?? 0,
          errorCount: typeof meta.errors === "number" ? meta.errors : errors,
          metadata: meta,
          violations: violations.map((v) => ({ rule: v.rule, message: v.message, turn: v.turn, messageIndex: v.messageIndex })),
          finishedAt: now,
        }, () => rolloutClassRecord(id, exp.id, r.messages, goldOfTask(task)), {
          // Unknown base state: "not checked" (null), not "no violations".
          violationsKnown: base !== null,
          recordedReward: r.reward,
          recomputedReward: recomputed,
          sourceTrial,
          toolOutputDiffs: toolDiffs,
        });
        total++;
      });
    });
    report.not_rescored_reason = notRescored.size ? [...notRescored].join("; ") : null;
    finishImportedExperiment(tx, exp, { taskSetId, total, now, report });
    return { experiment_id: exp.id, rollouts: total, groups: taskIds.length, task_set_id: taskSetId, skipped, report };
  });
}

const intOf = (v: unknown): number => (typeof v === "number" && Number.isInteger(v) ? v : 0);

