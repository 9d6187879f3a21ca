/**
 * The episode loop of lib/rollouts/run-episode.ts with the defaults the simulated drivers'
 * tests and benchmarks use: a fresh AirlineEnv on `base`, no tool schemas or policy text (the
 * simulated agent reads neither), 400 agent turns, and no persistence. The result keeps only
 * what those callers read (no token usage: simulated drivers spend none).
 */
import { AirlineEnv, type AirlineState } from "../airline";
import type { AgentDriver, UserDriver } from "../agents/types";
import type { Message, Termination } from "../types/messages";
import type { Task } from "../types/task";
import { runEpisode } from "./run-episode";

export interface SimulatedEpisode {
  messages: Message[];
  termination: Termination;
  turns: number;
  errors: number;
}

/** Agent turns allowed: long enough that a simulated agent's own stop decides the end. */
const SIMULATED_MAX_TURNS = 400;

export async function runSimulatedEpisode(opts: {
  task: Task;
  base: AirlineState;
  agent: AgentDriver;
  user: UserDriver;
  maxTurns?: number;
  maxErrors?: number;
}): Promise<SimulatedEpisode> {
  const { messages, termination, turns, errors } = await runEpisode({
    task: opts.task,
    env: new AirlineEnv(opts.base),
    agent: opts.agent,
    user: opts.user,
    tools: [],
    policy: "",
    maxTurns: opts.maxTurns ?? SIMULATED_MAX_TURNS,
    maxErrors: opts.maxErrors,
  });
  return { messages, termination, turns, errors };
}
