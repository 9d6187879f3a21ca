/** OpenAI-compatible drivers (vLLM, SGLang, Ollama /v1, OpenAI): see README.md in this folder. */
export { createOpenAIAgent, type OpenAIAgentDriver, type OpenAIAgentOptions } from "./agent";
export { createOpenAIUser, UserDriverError, type OpenAIUserDriver, type OpenAIUserOptions } from "./user";
export { testConnection, type ConnectionCheck } from "./test-connection";
export { resolveOpenAIKey, envKeyAllowedFor, parseEnvKeyHosts, DEFAULT_ENV_KEY_HOSTS, type KeySource, type KeyPolicyEnv } from "./env-key";
export { createChatCaller, createOpenAIClient, type CallStats, type EndpointOptions } from "./client";
export { getEndpointLimiter, endpointKey, Semaphore, DEFAULT_ENDPOINT_CONCURRENCY } from "./limiter";
export { parseCompletion, extractTextToolCalls, type ParsedReply } from "./parse-reply";
export { toAgentWireMessages, toUserWireMessages, synthesizeCallId } from "./wire";
export { buildAgentSystemPrompt, buildUserSystemPrompt, renderUserScenario, TAU2_AGENT_INSTRUCTION } from "./prompts";
export { WRIT_USER_GUIDELINES } from "./user-guidelines";
export { redactSecret } from "./redact";
export { classifyError, backoffDelay, type RetryEvent } from "./retry";
