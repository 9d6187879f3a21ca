/**
 * prime-rl / verifiers v1 episode records → trajectories of the ingestion contract.
 *
 * prime-rl's file monitor (src/prime_rl/monitors/file.py) appends one `Episode.to_record()` per
 * line to `rollouts/step_N/{train|eval}/{all|effective}/traces.jsonl` (newer releases:
 * `traces/step_N/{train|eval}/traces.jsonl`), line-buffered so a dashboard can tail it. A record
 * (verifiers/v1/episode.py, trace.py, graph.py) is
 *   {id, env:{id,name}, task:{type,data,key,hash}, group:{id}, run:{type,id,name,work:{type,step,
 *    policy:{start,end}}}, ok, errors, traces:[{id, agent:{name,trainable,…}, nodes:[{parent,
 *    message, sampled, token_ids, mask, logprobs, advantages}], rewards:{name:{score,weight}|null},
 *    metrics, info:{advantage?, …}}]}.
 * Every trainable trace of an episode is one trajectory; its messages are the nodes' messages on
 * the path from the root to the last node (the graph may branch); per-turn advantages are the
 * mean of each sampled assistant node's per-token advantages.
 */
import { agentTurnIndices } from "../../interchange/rl";
import { normalizeChatMessages } from "./chat-messages";
import type { GroupPart } from "./groups";
import type { IngestTrajectory } from "./types";

export interface PrimeRlOptions {
  /** A key of `task.data` holding the WRIT Lab task id; default: writ_task_id, task_id, id, then task.key. */
  taskField?: string;
  /** Split from the file's path when the record does not say (`run.work.type`). */
  pathSplit?: "train" | "eval";
  /** Step from the file's path (`step_N`) when the record has no `run.work.step`. */
  pathStep?: number;
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function taskIdOf(task: Record<string, unknown> | undefined, field: string | undefined): string | undefined {
  const data = rec(task?.data);
  const candidates = field ? [data?.[field]] : [data?.writ_task_id, data?.task_id, data?.id, task?.key];
  for (const c of candidates) {
    if (typeof c === "string" && c !== "") return c;
    if (typeof c === "number" && Number.isFinite(c)) return String(c);
  }
  return undefined;
}

/** Root → last node along `parent` links; a trace without parent links is taken in order. */
function pathNodes(nodes: Record<string, unknown>[]): Record<string, unknown>[] {
  if (nodes.length === 0 || !nodes.some((n) => typeof n.parent === "number")) return nodes;
  const path: Record<string, unknown>[] = [];
  const seen = new Set<number>();
  let i: number | undefined = nodes.length - 1;
  while (i !== undefined && i >= 0 && i < nodes.length && !seen.has(i)) {
    seen.add(i);
    path.push(nodes[i]);
    i = num(nodes[i].parent);
  }
  return path.reverse();
}

function traceToTrajectory(trace: Record<string, unknown>, episode: Record<string, unknown>): IngestTrajectory {
  const id = String(trace.id ?? "");
  if (!id) throw new Error("trace has no id");
  const nodes = pathNodes((Array.isArray(trace.nodes) ? trace.nodes : []).map((n) => rec(n) ?? {}));
  const { messages } = normalizeChatMessages(
    nodes.map((n) => n.message),
    id.slice(0, 12),
  );
  // Per-turn advantages: the mean of each assistant node's per-token advantages, then aligned to
  // the project's agent turns (assistant messages after the opening greeting, lib/interchange/rl.ts).
  const perAssistant: number[] = [];
  let anyTurnAdvantage = false;
  for (const n of nodes) {
    if (rec(n.message)?.role !== "assistant") continue;
    const adv = Array.isArray(n.advantages) ? n.advantages.filter((a): a is number => typeof a === "number") : [];
    if (adv.length) anyTurnAdvantage = true;
    perAssistant.push(adv.length ? adv.reduce((s, a) => s + a, 0) / adv.length : 0);
  }
  const assistantOrdinal = new Map<number, number>();
  messages.forEach((m, i) => {
    if (m.role === "assistant") assistantOrdinal.set(i, assistantOrdinal.size);
  });
  const turnAdvantages = agentTurnIndices(messages).map((i) => perAssistant[assistantOrdinal.get(i)!] ?? 0);
  const rewards = rec(trace.rewards) ?? {};
  const components: Record<string, number> = {};
  let reward = 0;
  let scored = false;
  for (const [name, r] of Object.entries(rewards)) {
    const score = num(rec(r)?.score);
    if (score === undefined) continue;
    components[name] = score;
    reward += score * (num(rec(r)?.weight) ?? 1);
    scored = true;
  }
  const info = rec(trace.info) ?? {};
  const advantage = num(info.advantage);
  const errors = Array.isArray(episode.errors) ? episode.errors : [];
  return {
    trajectory_id: id,
    messages,
    ...(scored ? { reward, reward_components: components } : {}),
    ...(advantage !== undefined ? { advantage } : {}),
    ...(anyTurnAdvantage ? { turn_advantages: turnAdvantages } : {}),
    ...(episode.ok === false ? { termination: "error" } : {}),
    metadata: {
      source: "prime-rl",
      episode_id: episode.id,
      env: rec(episode.env)?.id ?? null,
      agent: rec(trace.agent)?.name ?? null,
      ...(Object.keys(rec(trace.metrics) ?? {}).length ? { metrics: trace.metrics } : {}),
      ...(errors.length ? { errors } : {}),
    },
  };
}

/**
 * One traces.jsonl line → its trajectories as group parts. Throws an Error with a reason for a
 * record that cannot become a trajectory (the caller reports it with the line number).
 */
export function parsePrimeRlRecord(line: string, opts: PrimeRlOptions = {}): GroupPart[] {
  const episode = rec(JSON.parse(line));
  if (!episode) throw new Error("not a JSON object");
  const run = rec(episode.run);
  const work = rec(run?.work);
  const step = num(work?.step) ?? opts.pathStep;
  if (step === undefined) throw new Error("no run.work.step and no step_N in the path");
  const workType = work?.type ?? run?.type;
  const split = workType === "train" || workType === "eval" ? workType : opts.pathSplit;
  const groupId = rec(episode.group)?.id;
  if (typeof groupId !== "string" || !groupId) throw new Error("episode has no group.id (ungrouped episodes cannot be ingested)");
  const taskId = taskIdOf(rec(episode.task), opts.taskField);
  if (taskId === undefined) {
    throw new Error(
      opts.taskField
        ? `task.data.${opts.taskField} is missing`
        : "no task id: put the WRIT Lab task id in the dataset row as writ_task_id (or task_id / id), or pass --task-field",
    );
  }
  const policyStart = num(rec(work?.policy)?.start);
  const traces = (Array.isArray(episode.traces) ? episode.traces : [])
    .map((t) => rec(t))
    .filter((t): t is Record<string, unknown> => !!t && rec(t.agent)?.trainable !== false);
  return traces.map((trace) => ({
    step,
    ...(split ? { split } : {}),
    ...(policyStart !== undefined ? { policy_version: policyStart } : {}),
    // Group ids are the consumer's; scope them by split and step so two steps never share a key.
    group_id: `${split ?? "train"}/${step}/${groupId}`,
    task_id: taskId,
    trajectory: traceToTrajectory(trace, episode),
  }));
}

/** Step and split from a traces.jsonl path: `…/step_12/train/all/traces.jsonl`. */
export function primeRlPathInfo(path: string): { step?: number; split?: "train" | "eval"; subset?: "all" | "effective" } {
  const parts = path.split(/[\\/]/);
  const out: { step?: number; split?: "train" | "eval"; subset?: "all" | "effective" } = {};
  for (const p of parts) {
    const m = /^step_(\d+)$/.exec(p);
    if (m) out.step = Number(m[1]);
    if (p === "train" || p === "eval") out.split = p;
    if (p === "all" || p === "effective") out.subset = p;
  }
  return out;
}
