/**
 * The controlled language the simulated user and the simulated agent speak. Every line
 * either side writes is rendered here and parsed here, so the two cannot drift apart.
 *
 * A user message is lines; each line is one intent ("I'd like to …"), one fact
 * ("<prefix><payload>."), or one fixed reply (yes / insist / accept / next / mind change).
 * Three styles (plain, terse, non-native) only change the prefixes; payloads are
 * the same, so parsing is a prefix lookup plus a payload decoder (no heavy NLP).
 *
 * The user's side is in user-language.ts, the agent's in agent-language.ts; this module is
 * the whole language in one namespace (the package's `controlledLanguage`).
 */
export {
  USER_LINES,
  parsePayload,
  parseUserMessage,
  renderFact,
  renderIntent,
  renderPayload,
  renderRequestLines,
  requiredKeys,
  type ParsedUserMessage,
  type Style,
} from "./user-language";
export { TRANSFER_MESSAGE, agentSay, parseAgentText, type AgentAct, type AskKey } from "./agent-language";
export { messageFingerprint } from "./message-fingerprint";
