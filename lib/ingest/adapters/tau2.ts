/**
 * τ²-bench results → groups of the ingestion contract, in both layouts of τ² 1.x
 * (src/tau2/data_model/simulation.py, `Results` save formats):
 * - "json": one file `{timestamp, info, tasks, simulations: [SimulationRun]}` (the default for text runs);
 * - "dir": `results.json` (everything but the simulations, plus `simulation_index: [{id, task_id,
 *   trial, reward, termination_reason, agent_cost, duration}]`) beside `simulations/{sim.id}.json`
 *   (the default for voice runs).
 * Simulations are parsed by the τ² importer (lib/interchange/tau2-import.ts), so both layouts and
 * `writ import --from tau2` read messages, trials and terminations the same way. A task's trials
 * form one group (trial numbers are kept as the trajectories' `metadata.trial`); τ² has no
 * training step, so the step is given (`--step`, default 0).
 */
import { importTau2Results } from "../../interchange/tau2-import";
import type { GroupPart } from "./groups";
import { AdapterError, type AdapterIssue } from "./types";

export interface Tau2Options {
  step?: number;
  split?: "train" | "eval";
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** True for a `results.json` of the directory layout (an index instead of the simulations). */
export function isTau2DirIndex(json: unknown): boolean {
  const r = rec(json);
  return !!r && Array.isArray(r.simulation_index) && !Array.isArray(r.simulations);
}

/** The index entries of a directory-layout `results.json` (id and task id are what is needed). */
export function tau2SimulationIndex(json: unknown): { id: string; task_id: string; trial?: number }[] {
  const r = rec(json);
  if (!r || !Array.isArray(r.simulation_index)) throw new AdapterError("results.json has no simulation_index (not the τ² directory layout)");
  return r.simulation_index.map((e, i) => {
    const entry = rec(e);
    const id = entry?.id;
    const task = entry?.task_id;
    if (typeof id !== "string" || (typeof task !== "string" && typeof task !== "number")) {
      throw new AdapterError(`results.json: simulation_index[${i}] needs an id and a task_id`);
    }
    return { id, task_id: String(task), ...(typeof entry?.trial === "number" ? { trial: entry.trial } : {}) };
  });
}

/** A directory-layout index plus the simulation files read so far → the one-document layout. */
export function joinTau2Directory(resultsJson: unknown, simulations: readonly unknown[]): Record<string, unknown> {
  const r = rec(resultsJson);
  if (!r) throw new AdapterError("results.json is not a JSON object");
  const { simulation_index: _index, format_version: _version, ...rest } = r;
  return { ...rest, simulations: [...simulations] };
}

/**
 * A τ² results document → group parts (one per simulation with messages) and issues for
 * simulations that cannot be used. A malformed document is an AdapterError naming the field.
 */
export function parseTau2Results(json: unknown, opts: Tau2Options = {}): { parts: GroupPart[]; issues: AdapterIssue[] } {
  let imported: ReturnType<typeof importTau2Results>;
  try {
    imported = importTau2Results(json);
  } catch (err) {
    const issue = (err as { issues?: { path: (string | number)[]; message: string }[] }).issues?.[0];
    throw new AdapterError(issue ? `τ² results: ${issue.path.join(".") || "(root)"}: ${issue.message}` : `τ² results: ${(err as Error).message}`);
  }
  const step = opts.step ?? 0;
  const split = opts.split ?? "train";
  const parts: GroupPart[] = imported.rollouts.map((r) => ({
    step,
    split,
    group_id: `${split}/${step}/tau2-${r.task_id}`,
    task_id: r.task_id,
    trajectory: {
      trajectory_id: r.rollout_id,
      messages: r.messages,
      reward: r.reward,
      termination: r.termination,
      metadata: { ...r.metadata, trial: r.sample_index },
    },
  }));
  return { parts, issues: imported.skipped.map((s) => ({ where: `simulation ${s.id}`, message: s.reason })) };
}

/** Trials per task the run was configured with (`info.num_trials`), for releasing complete groups while following. */
export function tau2NumTrials(json: unknown): number | undefined {
  const n = rec(rec(json)?.info)?.num_trials;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}
