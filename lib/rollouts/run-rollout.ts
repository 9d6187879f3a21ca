/**
 * One scored rollout (episode + τ² scoring → the rollout JSON of
 * docs/cli-and-formats.md), and a batch helper running groups of them with bounded
 * concurrency in one process (the experiment worker calls runGroupBatch).
 */
import { randomUUID } from "node:crypto";
import { AIRLINE_POLICY, AIRLINE_TOOLS, AirlineEnv, type AirlineState } from "../airline";
import type { AgentDriver, ToolSchema, UserDriver } from "../agents/types";
import type { Message } from "../types/messages";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";
import { evaluateTrajectory, isSuccess } from "./evaluate";
import { mapWithConcurrency } from "./pool";
import { runEpisode, type EpisodeResult } from "./run-episode";

export interface RolloutOptions {
  task: Task;
  /** The shared, never-mutated initial state (each rollout gets its own copy-on-write env). */
  baseState: AirlineState;
  agent: AgentDriver;
  user: UserDriver;
  /** Defaults: the project's own policy text and the 14 airline tool schemas. */
  policy?: string;
  tools?: readonly ToolSchema[];
  maxTurns?: number;
  maxErrors?: number;
  rolloutId?: string;
  groupId?: string;
  sampleIndex?: number;
  /** Saved messages of an interrupted run of this same rollout (resume). */
  initialMessages?: readonly Message[];
  onMessage?: (message: Message, index: number) => void | Promise<void>;
  signal?: AbortSignal;
  /** Merged into the rollout's metadata. */
  metadata?: Record<string, unknown>;
}

/** Drivers that count their model calls (the OpenAI ones) expose stats(); others do not. */
function driverStats(driver: AgentDriver | UserDriver): unknown {
  const maybe = driver as { stats?: unknown };
  return typeof maybe.stats === "function" ? (maybe.stats as () => unknown)() : undefined;
}

/**
 * A played episode, before scoring: plain data (it crosses to the rollout store thread).
 * `durationMs` is measured when play ends, so scoring later does not count as playing time.
 */
export interface PlayedEpisode extends EpisodeResult {
  agentLabel: string;
  userLabel: string;
  agentStats?: unknown;
  userStats?: unknown;
  durationMs: number;
}

/** What scoring needs besides the played episode. */
export type ScoreOptions = Pick<RolloutOptions, "task" | "baseState" | "rolloutId" | "groupId" | "sampleIndex" | "metadata">;

/** Plays the conversation (agent ↔ user ↔ environment); no scoring. */
export async function playEpisode(opts: RolloutOptions): Promise<PlayedEpisode> {
  const started = Date.now();
  const env = new AirlineEnv(opts.baseState);
  const episode = await runEpisode({
    task: opts.task,
    env,
    agent: opts.agent,
    user: opts.user,
    tools: opts.tools ?? AIRLINE_TOOLS.map((t) => t.schema),
    policy: opts.policy ?? AIRLINE_POLICY,
    maxTurns: opts.maxTurns,
    maxErrors: opts.maxErrors,
    initialMessages: opts.initialMessages,
    onMessage: opts.onMessage,
    signal: opts.signal,
  });
  const agentStats = driverStats(opts.agent);
  const userStats = driverStats(opts.user);
  return {
    ...episode,
    agentLabel: opts.agent.label,
    userLabel: opts.user.label,
    ...(agentStats ? { agentStats } : {}),
    ...(userStats ? { userStats } : {}),
    durationMs: Date.now() - started,
  };
}

/** Scores a played episode with the τ² evaluator into the rollout JSON. */
export function scoreEpisode(opts: ScoreOptions, episode: PlayedEpisode): Rollout {
  let score: ReturnType<typeof evaluateTrajectory> | undefined;
  let evalError: string | undefined;
  try {
    score = evaluateTrajectory({ task: opts.task, messages: episode.messages, termination: episode.termination, baseState: opts.baseState });
  } catch (err) {
    // A scoring bug must not lose a paid-for trajectory: keep it, score 0, say why.
    evalError = err instanceof Error ? err.message : String(err);
  }
  const reward = score?.reward ?? 0;
  const gold = opts.task.evaluation_criteria?.actions ?? undefined;

  return {
    rollout_id: opts.rolloutId ?? `r-${randomUUID()}`,
    task_id: opts.task.id,
    group_id: opts.groupId ?? `g-${randomUUID()}`,
    sample_index: opts.sampleIndex ?? 0,
    outcome: isSuccess(reward) ? 1 : 0,
    reward,
    termination: episode.termination,
    messages: episode.messages,
    ...(gold ? { gold_actions: gold.map((a) => ({ name: a.name, arguments: a.arguments })) } : {}),
    usage: episode.usage,
    metadata: {
      agent: episode.agentLabel,
      user: episode.userLabel,
      ...(opts.task.writ ? { writ: opts.task.writ } : {}),
      turns: episode.turns,
      errors: episode.errors,
      user_usage: episode.userUsage,
      duration_ms: episode.durationMs,
      ...(episode.error !== undefined ? { error: episode.error } : {}),
      ...(score
        ? {
            evaluation: {
              db_match: score.db_match,
              communicate_match: score.communicate_match,
              read_recall: score.read_recall,
              write_recall: score.write_recall,
              ...(score.error ? { error: score.error } : {}),
            },
          }
        : { evaluation: { error: evalError } }),
      ...(episode.agentStats ? { agent_calls: episode.agentStats } : {}),
      ...(episode.userStats ? { user_calls: episode.userStats } : {}),
      ...opts.metadata,
    },
  };
}

export async function runRollout(opts: RolloutOptions): Promise<Rollout> {
  return scoreEpisode(opts, await playEpisode(opts));
}

export interface GroupBatchOptions {
  tasks: readonly Task[];
  /** Samples per task (one GRPO group per task). */
  groupSize: number;
  /** Episodes in flight at once. */
  concurrency: number;
  baseStateFor: (task: Task) => AirlineState;
  policyFor?: (task: Task) => string;
  tools?: readonly ToolSchema[];
  createAgent: (task: Task, sampleIndex: number) => AgentDriver;
  createUser: (task: Task, sampleIndex: number) => UserDriver;
  maxTurns?: number;
  maxErrors?: number;
  groupIdFor?: (task: Task) => string;
  /** Called as each rollout finishes (completion order), e.g. to stream JSON lines. */
  onRollout?: (rollout: Rollout) => void | Promise<void>;
  signal?: AbortSignal;
}

/** Runs groupSize rollouts of every task; results in (task, sample) order. */
export async function runGroupBatch(opts: GroupBatchOptions): Promise<Rollout[]> {
  const groupIds = new Map(opts.tasks.map((t) => [t, opts.groupIdFor?.(t) ?? `g-${randomUUID()}`]));
  const jobs = opts.tasks.flatMap((task) => Array.from({ length: opts.groupSize }, (_, sampleIndex) => ({ task, sampleIndex })));
  return mapWithConcurrency(jobs, opts.concurrency, async ({ task, sampleIndex }) => {
    const rollout = await runRollout({
      task,
      sampleIndex,
      groupId: groupIds.get(task),
      baseState: opts.baseStateFor(task),
      policy: opts.policyFor?.(task),
      tools: opts.tools,
      agent: opts.createAgent(task, sampleIndex),
      user: opts.createUser(task, sampleIndex),
      maxTurns: opts.maxTurns,
      maxErrors: opts.maxErrors,
      signal: opts.signal,
    });
    await opts.onRollout?.(rollout);
    return rollout;
  });
}
