/**
 * Trainer shims (`/api/v1/compat/…`): each trainer's remote-reward request shape in, its
 * expected answer out, scored by the same pipeline as the native endpoint (scoreValidated).
 *
 * - OpenRLHF (`--reward.remote_url`, older `--remote_rm_url`; openrlhf/utils/agent.py
 *   SingleTurnAgentExecutor._fetch_rewards_via_http): `{"query": [str], "prompts": [str],
 *   "labels": [str]}` → `{"rewards": [...], "scores": [...], "extra_logs": {name: [...]}}`.
 *   `query` is prompt + response decoded with special tokens (chat-template text). The task id
 *   travels in `labels` (the dataset's label column): the id itself, or JSON `{"task_id": …}`.
 *   Samples of the same task in one request are scored as one group.
 * - slime (`--rm-type remote_rm --rm-url`; slime/rollout/rm_hub/__init__.py remote_rm):
 *   `{"prompt": str | messages, "response": str, "label": str | null}` → a JSON object whose
 *   `reward` is picked by `--reward-key reward`, plus outcome and per-turn rewards.
 *
 * The scalar: `reward` = outcome + Σ turn rewards (what a sum-then-normalise estimator sees);
 * `?reward=outcome` sends the 0/1 task outcome instead.
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { ValidationError } from "../errors/app-error";
import { FieldError, normalizeMessages } from "../ingest/messages";
import type { Message } from "../types/messages";
import { parseHermesText } from "./hermes";
import type { ResolvedIteration } from "./resolve";
import { scoreValidated, type ScoreAnswer } from "./request";
import type { ScoredTrajectory } from "./score-group";

export type ScalarChoice = "total" | "outcome";

export function parseScalarChoice(value: string | null): ScalarChoice {
  if (value === null || value === "total") return "total";
  if (value === "outcome") return "outcome";
  throw new ValidationError(`reward must be "total" or "outcome" (got ${JSON.stringify(value)})`, "reward");
}

const scalarOf = (r: ScoredTrajectory, choice: ScalarChoice) => (choice === "outcome" ? r.outcome : r.reward);

/** A label carrying the task id: the id itself, or a JSON object with `task_id` (or `writ_task_id`). */
export function taskIdOfLabel(label: unknown, field: string): string {
  if (typeof label === "number" && Number.isInteger(label)) return String(label);
  if (typeof label !== "string" || !label.trim()) throw new ValidationError(`${field}: must carry the task id (the id, or JSON {"task_id": …})`, field);
  const text = label.trim();
  if (text.startsWith("{")) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      const id = obj.task_id ?? obj.writ_task_id;
      if (typeof id === "string" || typeof id === "number") return String(id);
    } catch {
      /* not JSON: the text is the id */
    }
    throw new ValidationError(`${field}: a JSON label needs a "task_id"`, field);
  }
  return text;
}

function textMessages(text: string, field: string, firstRole: "assistant" | null): Message[] {
  const messages = parseHermesText(text, { firstRole });
  if (!messages.length) throw new ValidationError(`${field}: no user, assistant or tool turn found in the chat text`, field);
  return messages;
}

// ---- OpenRLHF ----------------------------------------------------------------------------

export const openRlhfBodySchema = z
  .object({
    query: z.array(z.string()).min(1, "must hold at least one sample"),
    prompts: z.array(z.string()).optional(),
    labels: z.array(z.union([z.string(), z.number()]).nullable()),
  })
  .passthrough();

export interface OpenRlhfAnswer {
  rewards: number[];
  scores: number[];
  extra_logs: Record<string, number[]>;
  /** Not read by OpenRLHF; says which iteration scored the batch. */
  iteration: number;
}

export function scoreOpenRlhf(db: Db, iteration: ResolvedIteration, raw: unknown, choice: ScalarChoice): OpenRlhfAnswer {
  const body = openRlhfBodySchema.parse(raw);
  if (body.labels.length !== body.query.length) throw new ValidationError(`labels: ${body.labels.length} labels for ${body.query.length} queries`, "labels");
  const groups = new Map<string, number[]>();
  const messages: Message[][] = body.query.map((q, i) => textMessages(q, `query.${i}`, null));
  body.labels.forEach((label, i) => {
    const id = taskIdOfLabel(label, `labels.${i}`);
    const list = groups.get(id) ?? [];
    list.push(i);
    groups.set(id, list);
  });
  const scored = new Array<ScoredTrajectory>(body.query.length);
  for (const [taskId, members] of groups) {
    const answer = scoreValidated(
      db,
      iteration,
      taskId,
      members.map((i) => ({ trajectory_id: `q${i}`, messages: messages[i] })),
      { taskField: `labels.${members[0]}` },
    );
    answer.results.forEach((r, j) => (scored[members[j]] = r));
  }
  return {
    rewards: scored.map((r) => scalarOf(r, choice)),
    // OpenRLHF's dynamic filtering reads `scores` in [0, 1]: the task outcome.
    scores: scored.map((r) => r.outcome),
    extra_logs: {
      writ_outcome: scored.map((r) => r.outcome),
      writ_turn_reward_sum: scored.map((r) => r.reward_components.turn_reward_sum),
      writ_agent_turns: scored.map((r) => r.reward_components.n_turns),
      writ_error_turns: scored.map((r) => r.turns.filter((t) => t.tier === "error").length),
    },
    iteration: iteration.id,
  };
}

// ---- slime -------------------------------------------------------------------------------

export const slimeBodySchema = z
  .object({
    prompt: z.union([z.string(), z.array(z.unknown())]),
    response: z.string(),
    label: z.union([z.string(), z.number()]).nullable().optional(),
  })
  .passthrough();

export interface SlimeAnswer {
  reward: number;
  outcome: 0 | 1;
  turn_rewards: number[];
  turn_tiers: string[];
  reward_components: ScoredTrajectory["reward_components"];
  evaluation: ScoredTrajectory["evaluation"];
  iteration: number;
  config_hash: string;
}

function slimeMessages(prompt: string | unknown[], response: string): Message[] {
  if (typeof prompt === "string") {
    // A templated prompt ends with `<|im_start|>assistant\n`: prompt + response is one conversation.
    if (prompt.includes("<|im_start|>")) return textMessages(prompt + response, "response", null);
    return [{ role: "user", content: prompt }, ...textMessages(response, "response", "assistant")];
  }
  let head: Message[];
  try {
    head = normalizeMessages(prompt, "prompt");
  } catch (err) {
    if (err instanceof FieldError) throw new ValidationError(err.message, err.field, err);
    throw err;
  }
  return [...head, ...textMessages(response, "response", "assistant")];
}

export function scoreSlime(db: Db, iteration: ResolvedIteration, raw: unknown, choice: ScalarChoice): SlimeAnswer {
  const body = slimeBodySchema.parse(raw);
  const taskId = taskIdOfLabel(body.label ?? null, "label");
  const answer: ScoreAnswer = scoreValidated(db, iteration, taskId, [{ trajectory_id: "sample", messages: slimeMessages(body.prompt, body.response) }], { taskField: "label" });
  const r = answer.results[0];
  return {
    reward: scalarOf(r, choice),
    outcome: r.outcome,
    turn_rewards: r.turns.map((t) => t.reward),
    turn_tiers: r.turns.map((t) => t.tier),
    reward_components: r.reward_components,
    evaluation: r.evaluation,
    iteration: answer.iteration,
    config_hash: answer.config_hash,
  };
}
