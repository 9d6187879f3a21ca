/**
 * RL export: what a trainer needs to apply a per-turn advantage (the context up to an agent
 * turn, the turn itself, its tier, reward and advantage under a calibration iteration), in
 * one of two layouts:
 *
 *  - compact (default): one JSON line per rollout. `messages` holds the rollout once, in the
 *    OpenAI chat format with the agent system prompt first; `turns[]` has one record per
 *    scored agent turn: `turn` (the agent-turn index, 0 = first agent turn after the
 *    greeting), `message_index`, tier, reward, advantage. A turn's prompt is
 *    `messages.slice(0, message_index)` and its completion `[messages[message_index]]`
 *    (`expandRlCompactRow` does exactly that). Size grows with the rollout, not its square.
 *  - full: one JSON line per agent turn with the whole prompt repeated (`RlRow`), the
 *    original layout; quadratic in the conversation length (28.7 GB for 100k rollouts).
 */
import type { Message } from "../types/messages";
import type { Rollout } from "../types/rollout";
import { toOpenAIChatMessages, type OpenAIChatMessage } from "./openai-chat";

export interface TurnScore {
  k: number;
  tier: string;
  reward: number;
  advantage: number;
}

export interface RlRow {
  rollout_id: string;
  group_id: string;
  task_id: string;
  turn: number;
  prompt: OpenAIChatMessage[];
  completion: OpenAIChatMessage[];
  tier: string;
  reward: number;
  advantage: number;
  outcome: 0 | 1;
  config_id: string | null;
}

/** Index in `messages` of each agent turn: assistant messages after the opening greeting. */
export function agentTurnIndices(messages: readonly Message[]): number[] {
  const idx: number[] = [];
  let seenFirstAssistant = false;
  messages.forEach((m, i) => {
    if (m.role !== "assistant") return;
    if (!seenFirstAssistant) {
      seenFirstAssistant = true;
      if (i === 0 && !m.tool_calls?.length) return; // the fixed greeting is not a turn
    }
    idx.push(i);
  });
  return idx;
}

export function* toRlRows(
  rollout: Rollout,
  scores: readonly TurnScore[],
  systemPrompt: string,
  configId: string | null,
): Generator<RlRow> {
  const chat = toOpenAIChatMessages(rollout.messages);
  const turnIdx = agentTurnIndices(rollout.messages);
  for (const s of scores) {
    const at = turnIdx[s.k];
    if (at === undefined) continue;
    yield {
      rollout_id: rollout.rollout_id,
      group_id: rollout.group_id,
      task_id: rollout.task_id,
      turn: s.k,
      prompt: [{ role: "system", content: systemPrompt }, ...chat.slice(0, at)],
      completion: [chat[at]],
      tier: s.tier,
      reward: s.reward,
      advantage: s.advantage,
      outcome: rollout.outcome,
      config_id: configId,
    };
  }
}

export const RL_LAYOUTS = ["compact", "full"] as const;
export type RlLayout = (typeof RL_LAYOUTS)[number];

/** One scored agent turn of a compact row; `message_index` indexes the row's `messages`. */
export interface RlCompactTurn {
  turn: number;
  message_index: number;
  tier: string;
  reward: number;
  advantage: number;
}

export interface RlCompactRow {
  rollout_id: string;
  group_id: string;
  task_id: string;
  outcome: 0 | 1;
  config_id: string | null;
  messages: OpenAIChatMessage[];
  turns: RlCompactTurn[];
}

/** The compact layout of a rollout; null when none of its scores names an agent turn it has. */
export function toRlCompactRow(
  rollout: Rollout,
  scores: readonly TurnScore[],
  systemPrompt: string,
  configId: string | null,
): RlCompactRow | null {
  const turnIdx = agentTurnIndices(rollout.messages);
  const turns: RlCompactTurn[] = [];
  for (const s of scores) {
    const at = turnIdx[s.k];
    if (at === undefined) continue;
    // +1: the system prompt is messages[0].
    turns.push({ turn: s.k, message_index: at + 1, tier: s.tier, reward: s.reward, advantage: s.advantage });
  }
  if (turns.length === 0) return null;
  return {
    rollout_id: rollout.rollout_id,
    group_id: rollout.group_id,
    task_id: rollout.task_id,
    outcome: rollout.outcome,
    config_id: configId,
    messages: [{ role: "system", content: systemPrompt }, ...toOpenAIChatMessages(rollout.messages)],
    turns,
  };
}

/** A compact row back to the full layout's per-turn rows (same records, same order). */
export function expandRlCompactRow(row: RlCompactRow): RlRow[] {
  return row.turns.map((t) => ({
    rollout_id: row.rollout_id,
    group_id: row.group_id,
    task_id: row.task_id,
    turn: t.turn,
    prompt: row.messages.slice(0, t.message_index),
    completion: [row.messages[t.message_index]],
    tier: t.tier,
    reward: t.reward,
    advantage: t.advantage,
    outcome: row.outcome,
    config_id: row.config_id,
  }));
}
