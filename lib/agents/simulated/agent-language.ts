/**
 * The agent's side of the controlled language (see language.ts): the lines the simulated
 * agent says (questions, confirmations, results, refusals, hand-over) and their parser,
 * which the simulated user uses to tell what the agent did.
 */
import { invert, type AnyFactKey } from "./user-language";

export type AskKey = AnyFactKey | "intent";
const QUESTION: Record<AskKey, string> = {
  intent: "what I can help you with",
  user_id: "your user id",
  trip: "whether the trip is one way or round trip",
  origins: "where you are flying from",
  destinations: "where you are flying to",
  dates: "your travel date",
  search: "whether you want direct flights only or also one-stop flights",
  return_dates: "your return date",
  return_search: "whether the return may have one stop",
  criterion: "how I should choose among the options",
  cabin: "which cabin you want",
  passengers: "the passengers' names and dates of birth",
  bags: "how many checked bags you need",
  insurance: "whether you want travel insurance",
  payment: "how you would like to pay",
  reservation: "which reservation this is about",
  reason: "the reason for the cancellation",
  add_bags: "how many checked bags you want to add",
  passenger_change: "which passenger to change and the new passenger's details",
  exact: "the exact details of the change",
};
const KEY_OF_QUESTION = invert(QUESTION);
const ASK_PREFIX = "Could you please tell me ";
const CONFIRM_MARK = "Do you confirm (yes/no)?";
const DONE_PREFIX = "Done: ";
const ANYTHING_ELSE = "Is there anything else I can help you with?";
const REFUSE_PREFIX = "I'm sorry, but I can't ";
const NONE_FOUND = "I'm sorry, I couldn't find any option that fits your request.";
const FAREWELL = "Thank you for contacting us. Goodbye!";
export const TRANSFER_MESSAGE = "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.";

export const agentSay = {
  ask: (key: AskKey): string => `${ASK_PREFIX}${QUESTION[key]}?`,
  confirm: (summary: string): string => `Here is what I'm going to do: ${summary}. ${CONFIRM_MARK}`,
  done: (result: string): string => `${DONE_PREFIX}${result} ${ANYTHING_ELSE}`,
  refuse: (what: string, why: string): string => `${REFUSE_PREFIX}${what}: ${why}.`,
  noneFound: (): string => NONE_FOUND,
  farewell: (): string => FAREWELL,
  anythingElse: (): string => ANYTHING_ELSE,
  transfer: (): string => TRANSFER_MESSAGE,
};

export type AgentAct =
  | { kind: "ask"; key: AskKey }
  | { kind: "confirm" }
  | { kind: "done" }
  | { kind: "refuse" }
  | { kind: "none_found" }
  | { kind: "farewell" }
  | { kind: "anything_else" }
  | { kind: "transfer" }
  | { kind: "other" };

export function parseAgentText(text: string): AgentAct {
  if (text.startsWith(ASK_PREFIX)) {
    const key = KEY_OF_QUESTION.get(text.slice(ASK_PREFIX.length).replace(/\?$/, ""));
    return key ? { kind: "ask", key } : { kind: "other" };
  }
  if (text.endsWith(CONFIRM_MARK)) return { kind: "confirm" };
  if (text.startsWith(DONE_PREFIX)) return { kind: "done" };
  if (text.startsWith(REFUSE_PREFIX)) return { kind: "refuse" };
  if (text === NONE_FOUND) return { kind: "none_found" };
  if (text === FAREWELL) return { kind: "farewell" };
  if (text === ANYTHING_ELSE) return { kind: "anything_else" };
  if (text === TRANSFER_MESSAGE) return { kind: "transfer" };
  return { kind: "other" };
}
