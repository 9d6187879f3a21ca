/**
 * Experiment exports as streams of text chunks (pure functions over db reads), shared by
 * `writ export` and GET /api/experiments/[id]/export, so the CLI and the UI offer the same
 * files. Rollouts are read a page of groups at a time, so a 100k-rollout export never holds
 * every message in memory. The chunks are produced synchronously: callers run them through
 * lib/exports (short slices between which the event loop runs, back-pressure from the reader).
 *
 *  - jsonl: rollout JSON lines (docs/cli-and-formats.md), metadata.writ restored from the task.
 *  - tau2:  one τ² results document (v0.x layout; tasks + simulations).
 *  - sft:   WRIT stage-3 filter (reward 1, ended by a user stop, optionally reads covering the
 *           gold read plan) → OpenAI chat rows with the agent system prompt and the tools.
 *  - tasks: the experiment's tasks as a τ² tasks.json array.
 *  - rl:    HOOK for the calibration developer (see exportRlChunks below).
 * Every object passes stripSecrets; driver configs never carry a key in the first place.
 */
import type { Db } from "../../db/client";
import type { ExperimentRow, RolloutRow } from "../../db/schema";
import { AIRLINE_TOOL_SCHEMAS } from "../airline";
import { buildAgentSystemPrompt } from "../agents/openai/prompts";
import { NotFoundError } from "../errors/app-error";
import { stripSecrets } from "../interchange/redact";
import { keepForSft, toSftRow } from "../interchange/sft";
import { exportTau2Results } from "../interchange/tau2-export";
import type { Tau2ResultsMeta } from "../interchange/tau2-format";
import type { Rollout } from "../types/rollout";
import type { Action, Task } from "../types/task";
import { describeDriver } from "../rollouts/store/drivers";
import { resolveRlConfig, rlChunks } from "../calibration/rl-export";
import { getExperimentRow } from "./store/experiments";
import { getMessagesForRollouts, listGroupPage, listGroupTaskIds, listRolloutsOfGroups } from "./store/groups";
import { loadTaskBodies, resolveScoring } from "../rollouts/store/run-tasks";
import type { RlLayout } from "../interchange/rl";

export const EXPORT_FORMATS = ["jsonl", "tau2", "sft", "tasks", "rl"] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  requireReadCoverage?: boolean;
  /** `--config FILE` contents (reward config) for formats that need one (rl). */
  config?: unknown;
  /** `--iteration ID`: a stored reward-config version (rl; wins over config). */
  iteration?: number;
  /** Groups per page read from the db. */
  pageGroups?: number;
  /** rl: `compact` (default, a line per rollout) or `full` (a line per turn); lib/interchange/rl.ts. */
  rlLayout?: RlLayout;
}

export interface ExportStream {
  contentType: string;
  filename: string;
  chunks: Iterable<string>;
  /** Filled while streaming: rows written (rollouts, SFT rows or tasks). */
  stats: { rows: number; scanned: number };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A stored rollout row + its messages → the rollout JSON of docs/cli-and-formats.md. */
export function toRolloutJson(row: RolloutRow, messages: Rollout["messages"], task: Task | undefined): Rollout {
  const meta = isRecord(row.metadata) ? { ...row.metadata } : {};
  if (task?.writ && !meta.writ) meta.writ = task.writ;
  if (row.preset && !meta.preset) meta.preset = row.preset;
  const gold = task?.evaluation_criteria?.actions;
  return stripSecrets({
    rollout_id: row.id,
    task_id: row.taskId,
    group_id: row.groupId,
    sample_index: row.sampleIndex,
    outcome: row.outcome === 1 ? 1 : 0,
    reward: row.reward ?? 0,
    termination: row.termination ?? "error",
    messages,
    ...(gold ? { gold_actions: gold.map((a) => ({ name: a.name, arguments: a.arguments })) } : {}),
    usage: { prompt_tokens: row.promptTokens, completion_tokens: row.completionTokens },
    metadata: meta,
  });
}

function requireExperiment(db: Db, id: number): ExperimentRow {
  const exp = getExperimentRow(db, id);
  if (!exp) throw new NotFoundError(`experiment ${id} not found`);
  return exp;
}

/** Tasks of the experiment: from its task set, or (imports) from the import's stored task bodies. */
function experimentTasks(db: Db, exp: ExperimentRow): Map<string, Task> {
  const ids = listGroupTaskIds(db, exp.id);
  if (exp.taskSetId === null) return new Map();
  const bodies = loadTaskBodies(db, exp.taskSetId, ids);
  // Keep the experiment's task order.
  return new Map(ids.filter((id) => bodies.has(id)).map((id) => [id, bodies.get(id)!]));
}

/** Finished rollouts in (group position, sample) order, a page of groups at a time. */
export function* iterateRollouts(db: Db, exp: ExperimentRow, tasks: Map<string, Task>, pageGroups = 100): Generator<Rollout> {
  let cursor = -1;
  for (;;) {
    const page = listGroupPage(db, exp.id, cursor, pageGroups);
    if (page.length === 0) return;
    cursor = page[page.length - 1].position;
    const order = new Map(page.map((g) => [g.id, g.position]));
    const rows = listRolloutsOfGroups(
      db,
      page.map((g) => g.id),
    )
      .filter((r) => r.status !== "running")
      .sort((a, b) => order.get(a.groupId)! - order.get(b.groupId)! || a.sampleIndex - b.sampleIndex);
    const messages = getMessagesForRollouts(db, rows.map((r) => r.id));
    for (const r of rows) yield toRolloutJson(r, messages.get(r.id) ?? [], tasks.get(r.taskId));
  }
}

/** What a τ² import stored as metadata.tau2 (its `info` an object; the export reads `timestamp` and `info`). */
const isTau2ResultsMeta = (v: unknown): v is Tau2ResultsMeta => isRecord(v) && isRecord(v.info);

/** The results-level fields a τ² import kept on the experiment (metadata.tau2), if any. */
function importedTau2Results(exp: ExperimentRow): Tau2ResultsMeta | null {
  const t = isRecord(exp.metadata) ? exp.metadata.tau2 : undefined;
  return isTau2ResultsMeta(t) ? t : null;
}

function readPlansOf(tasks: Map<string, Task>): Map<string, Action[]> {
  const plans = new Map<string, Action[]>();
  for (const [id, t] of tasks) if (t.writ?.read_plan) plans.set(id, t.writ.read_plan);
  return plans;
}

/**
 * HOOK — `--format rl` (filled by the calibration engine, lib/calibration/rl-export.ts): tier,
 * reward and advantage per agent turn, a line per rollout (`rlLayout` compact, the default) or
 * a line per turn (full; lib/interchange/rl.ts), under `opts.iteration` (a stored
 * reward-config version), else `opts.config` (inline reward config), else the latest iteration.
 * The config is resolved before the first row, so a bad one is still a 400 / CLI error.
 */
export function* exportRlChunks(db: Db, exp: ExperimentRow, tasks: Map<string, Task>, opts: ExportOptions, stats: { rows: number; scanned: number } = { rows: 0, scanned: 0 }): Generator<string> {
  const system = buildAgentSystemPrompt(resolveScoring(db, exp.taskSetId).policy);
  yield* rlChunks(db, exp, iterateRollouts(db, exp, tasks, opts.pageGroups ?? 100), system, { iteration: opts.iteration, config: opts.config }, stats, opts.rlLayout ?? "compact");
}

export function exportExperiment(db: Db, experimentId: number, format: ExportFormatName, opts: ExportOptions = {}): ExportStream {
  const exp = requireExperiment(db, experimentId);
  const tasks = experimentTasks(db, exp);
  const stats = { rows: 0, scanned: 0 };
  const base = `experiment-${exp.id}`;
  const pageGroups = opts.pageGroups ?? 100;

  if (format === "rl") {
    // Fail before the first byte is streamed (a route can still answer 400).
    resolveRlConfig(db, exp.id, { iteration: opts.iteration, config: opts.config });
    const gen = exportRlChunks(db, exp, tasks, opts, stats);
    const first = gen.next();
    return {
      contentType: "application/x-ndjson",
      filename: opts.rlLayout === "full" ? `${base}-rl-full.jsonl` : `${base}-rl.jsonl`,
      stats,
      chunks: (function* () {
        if (!first.done) yield first.value;
        yield* gen;
      })(),
    };
  }
  if (format === "jsonl") {
    return {
      contentType: "application/x-ndjson",
      filename: `${base}-rollouts.jsonl`,
      stats,
      chunks: (function* () {
        for (const r of iterateRollouts(db, exp, tasks, pageGroups)) {
          stats.scanned++;
          stats.rows++;
          yield JSON.stringify(r) + "\n";
        }
      })(),
    };
  }
  if (format === "sft") {
    const scoring = resolveScoring(db, exp.taskSetId);
    const system = buildAgentSystemPrompt(scoring.policy);
    const readPlans = readPlansOf(tasks);
    return {
      contentType: "application/x-ndjson",
      filename: `${base}-sft.jsonl`,
      stats,
      chunks: (function* () {
        for (const r of iterateRollouts(db, exp, tasks, pageGroups)) {
          stats.scanned++;
          if (!keepForSft(r, { requireReadCoverage: opts.requireReadCoverage, readPlans })) continue;
          stats.rows++;
          yield JSON.stringify(stripSecrets(toSftRow(r, system, AIRLINE_TOOL_SCHEMAS))) + "\n";
        }
      })(),
    };
  }
  if (format === "tasks") {
    return {
      contentType: "application/json",
      filename: `${base}-tasks.json`,
      stats,
      chunks: (function* () {
        yield "[";
        let first = true;
        for (const t of tasks.values()) {
          stats.scanned++;
          stats.rows++;
          yield (first ? "\n" : ",\n") + JSON.stringify(t);
          first = false;
        }
        yield "\n]\n";
      })(),
    };
  }
  // tau2: one document; the simulations array is streamed between a fixed head and tail.
  const scoring = resolveScoring(db, exp.taskSetId);
  const common = {
    tasks: [...tasks.values()],
    policy: scoring.policy,
    agentLabel: describeDriver(exp.agentConfig, "agent"),
    userLabel: describeDriver(exp.userConfig, "user"),
    numTrials: exp.groupSize,
    maxSteps: exp.maxTurns,
    maxErrors: exp.maxErrors,
    seed: exp.seed,
    timestamp: new Date(exp.createdAt).toISOString().replace("Z", ""),
    // An imported τ² file's own timestamp and info (max_steps, max_errors, seed, llm_args …) go back unchanged.
    results: importedTau2Results(exp),
  };
  const head = stripSecrets(exportTau2Results({ ...common, rollouts: [] }));
  const headText = JSON.stringify({ ...head, simulations: "__SIMULATIONS__" });
  const [before, after] = headText.split('"__SIMULATIONS__"');
  return {
    contentType: "application/json",
    filename: `${base}-tau2-results.json`,
    stats,
    chunks: (function* () {
      yield before + "[";
      let first = true;
      for (const r of iterateRollouts(db, exp, tasks, pageGroups)) {
        stats.scanned++;
        stats.rows++;
        const sim = (exportTau2Results({ ...common, tasks: [], rollouts: [r] }).simulations as unknown[])[0];
        yield (first ? "\n" : ",\n") + JSON.stringify(stripSecrets(sim));
        first = false;
      }
      yield "\n]" + after + "\n";
    })(),
  };
}
