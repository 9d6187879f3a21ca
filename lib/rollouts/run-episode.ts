/**
 * The episode runner, with τ²'s orchestrator semantics (docs/airline-environment.md):
 *
 *   greeting (fixed, not an agent turn) → user → agent → … ; an agent message with tool
 *   calls → each call runs on the environment in order, one tool message per call
 *   (same id) → agent again; agent text → user; a user stop token ends the episode.
 *
 * Termination: user_stop (###STOP### / ###TRANSFER### / ###OUT-OF-SCOPE###), agent_stop
 * (agent text containing ###STOP###, solo-style agents), max_turns (agent turns, the
 * greeting excluded), too_many_errors (tool errors + failed agent turns ≥ maxErrors),
 * error (a driver threw; its message is returned in `error`).
 *
 * Persistence: `onMessage(message, index)` is awaited for every new message before the
 * next step (a throw there propagates: the caller's storage failed, not the episode).
 * Resume: `initialMessages` are taken as already saved; their tool calls are re-run on
 * the fresh env in order to rebuild its state, then the episode continues from the last
 * saved message, so a saved model call is never paid again.
 *
 * This is the only episode loop: rollouts (run-rollout.ts) and the simulated drivers' tests
 * and benchmarks (simulated-episode.ts) both play through it.
 */
import type { AgentDriver, ToolSchema, UserDriver } from "../agents/types";
import {
  AGENT_GREETING,
  USER_STOP_TOKENS,
  type AssistantMessage,
  type Message,
  type Termination,
  type ToolCall,
  type ToolMessage,
  type Usage,
} from "../types/messages";
import type { Task } from "../types/task";

/** What the runner needs of an environment; AirlineEnv satisfies it. */
export interface ToolEnv {
  call(name: string, args: unknown): { error: boolean; content: string };
}

export interface EpisodeOptions {
  task: Task;
  env: ToolEnv;
  agent: AgentDriver;
  user: UserDriver;
  tools: readonly ToolSchema[];
  policy: string;
  /** Agent turns allowed (the greeting is not one). */
  maxTurns?: number;
  /** Tool errors + failed agent turns that end the episode. */
  maxErrors?: number;
  initialMessages?: readonly Message[];
  onMessage?: (message: Message, index: number) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface EpisodeResult {
  messages: Message[];
  termination: Termination;
  /** Agent-side tokens. */
  usage: Usage;
  userUsage: Usage;
  /** Agent turns taken (assistant messages after the greeting). */
  turns: number;
  errors: number;
  /** Set when termination is "error": the driver's message. */
  error?: string;
}

export const DEFAULT_MAX_TURNS = 50;
export const DEFAULT_MAX_ERRORS = 10;
const AGENT_STOP_TOKEN = "###STOP###";

export function hasUserStop(content: string): boolean {
  return USER_STOP_TOKENS.some((t) => content.includes(t));
}

const INVALID_ARGS_ERROR = "Error: the tool call's arguments are not valid JSON";

/** One tool call on the env; malformed arguments and a throwing env both become error results. */
function executeCall(env: ToolEnv, call: ToolCall): { error: boolean; content: string } {
  if (typeof call.arguments === "string") return { error: true, content: INVALID_ARGS_ERROR };
  try {
    return env.call(call.name, call.arguments);
  } catch (err) {
    return { error: true, content: `Error: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Every call gets a unique, non-empty id so its tool message can point at it. */
function normalizeCallIds(message: AssistantMessage, index: number): AssistantMessage {
  if (!message.tool_calls || message.tool_calls.length === 0) return message;
  const seen = new Set<string>();
  const calls = message.tool_calls.map((c, k) => {
    const id = c.id && !seen.has(c.id) ? c.id : `call_${index}_${k}`;
    seen.add(id);
    return id === c.id ? c : { ...c, id };
  });
  return { ...message, tool_calls: calls };
}

function addUsage(total: Usage, u: Usage | undefined): void {
  if (!u) return;
  total.prompt_tokens += u.prompt_tokens;
  total.completion_tokens += u.completion_tokens;
}

type Next = "greeting" | "user" | "agent" | "tools";

interface ReplayState {
  next: Next;
  turns: number;
  errors: number;
  /** Calls of the last assistant message still without a tool message. */
  pendingCalls: ToolCall[];
  userStopped: boolean;
}

/** Re-runs saved tool calls on the fresh env and works out where the saved episode stopped. */
function replaySaved(env: ToolEnv, saved: readonly Message[]): ReplayState {
  const st: ReplayState = { next: "greeting", turns: 0, errors: 0, pendingCalls: [], userStopped: false };
  saved.forEach((m, i) => {
    if (m.role === "assistant") {
      if (i === 0) {
        st.next = "user";
        return;
      }
      st.turns++;
      st.pendingCalls = m.tool_calls ? [...m.tool_calls] : [];
      if (m.error !== undefined) st.errors++;
      if (st.pendingCalls.length > 0) st.next = "tools";
      else st.next = m.error !== undefined ? "agent" : "user";
    } else if (m.role === "user") {
      st.userStopped = hasUserStop(m.content);
      st.next = "agent";
    } else {
      if (m.error) st.errors++;
      const at = st.pendingCalls.findIndex((c) => c.id === m.tool_call_id);
      const call = at >= 0 ? st.pendingCalls.splice(at, 1)[0] : st.pendingCalls.shift();
      // Only the state matters here: the saved tool message stays what it was.
      if (call) executeCall(env, call);
      st.next = st.pendingCalls.length > 0 ? "tools" : "agent";
    }
  });
  return st;
}

export async function runEpisode(opts: EpisodeOptions): Promise<EpisodeResult> {
  const maxTurns = opts.maxTurns ?? DEFAULT_MAX_TURNS;
  const maxErrors = opts.maxErrors ?? DEFAULT_MAX_ERRORS;
  const messages: Message[] = [...(opts.initialMessages ?? [])];
  const usage: Usage = { prompt_tokens: 0, completion_tokens: 0 };
  const userUsage: Usage = { prompt_tokens: 0, completion_tokens: 0 };
  for (const m of messages) {
    if (m.role === "assistant") addUsage(usage, m.usage);
    else if (m.role === "user") addUsage(userUsage, m.usage);
  }
  const st = replaySaved(opts.env, messages);
  let { next, turns, errors } = st;
  let pending = st.pendingCalls;

  const append = async (m: Message) => {
    messages.push(m);
    await opts.onMessage?.(m, messages.length - 1);
  };
  const finish = (termination: Termination, error?: string): EpisodeResult => ({
    messages,
    termination,
    usage,
    userUsage,
    turns,
    errors,
    ...(error !== undefined ? { error } : {}),
  });

  // A resumed episode may already be over.
  if (st.userStopped) return finish("user_stop");
  const last = messages[messages.length - 1];
  if (last?.role === "assistant" && messages.length > 1 && last.content?.includes(AGENT_STOP_TOKEN) && !last.tool_calls?.length) {
    return finish("agent_stop");
  }

  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("episode aborted");
    if (errors >= maxErrors) return finish("too_many_errors");

    if (next === "greeting") {
      await append({ role: "assistant", content: AGENT_GREETING });
      next = "user";
    } else if (next === "user") {
      let reply;
      try {
        reply = await opts.user.nextTurn({ messages, task: opts.task, signal: opts.signal });
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        return finish("error", `user driver: ${err instanceof Error ? err.message : String(err)}`);
      }
      addUsage(userUsage, reply.usage);
      await append(reply);
      if (hasUserStop(reply.content)) return finish("user_stop");
      next = "agent";
    } else if (next === "agent") {
      if (turns >= maxTurns) return finish("max_turns");
      let reply: AssistantMessage;
      try {
        reply = await opts.agent.nextTurn({ messages, tools: opts.tools, policy: opts.policy, signal: opts.signal });
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        return finish("error", `agent driver: ${err instanceof Error ? err.message : String(err)}`);
      }
      reply = normalizeCallIds(reply, messages.length);
      turns++;
      addUsage(usage, reply.usage);
      await append(reply);
      pending = reply.tool_calls ? [...reply.tool_calls] : [];
      if (reply.error !== undefined) {
        errors++;
        // A failed turn that still carries calls gets them run; otherwise the agent tries again.
        next = pending.length > 0 ? "tools" : "agent";
      } else if (pending.length > 0) next = "tools";
      else if (reply.content?.includes(AGENT_STOP_TOKEN)) return finish("agent_stop");
      else next = "user";
    } else {
      for (let call = pending.shift(); call !== undefined; call = pending.shift()) {
        const result = executeCall(opts.env, call);
        if (result.error) errors++;
        const toolMessage: ToolMessage = { role: "tool", tool_call_id: call.id, content: result.content, error: result.error };
        await append(toolMessage);
      }
      next = "agent";
    }
  }
}
