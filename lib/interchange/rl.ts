/**
 * RL export: one JSON line per agent turn, carrying what a trainer needs to apply a
 * per-turn advantage: the context up to the turn (prompt), the turn itself (completion),
 * its tier, reward and advantage under the chosen calibration iteration.
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
