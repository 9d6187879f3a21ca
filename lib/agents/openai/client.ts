/**
 * One model call against an OpenAI-compatible endpoint with the real `openai` SDK:
 * per-endpoint concurrency limit, our own retries (SDK retries off), latency and
 * token accounting, and redaction of the API key from every error text.
 */
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ToolSchema } from "../types";
import { createCache } from "../../cache/lru";
import { createPooledFetch } from "./http-fetch";
import { getEndpointLimiter, Semaphore } from "./limiter";
import { parseCompletion, type ParsedReply } from "./parse-reply";
import { chatRequestJson } from "./request-body";
import { redactSecret } from "./redact";
import {
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_MAX_MS,
  withRetries,
  type ClassifiedError,
  type RetryEvent,
} from "./retry";

export interface EndpointOptions {
  baseURL: string;
  model: string;
  /** Server side only. Local servers (vLLM, SGLang, Ollama) usually need none. */
  apiKey?: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  /** Retries after the first attempt for 429 / 5xx / timeouts / connection errors. */
  maxRetries?: number;
  /** A semaphore to use, or the in-flight limit of this endpoint's process-wide one. */
  limiter?: Semaphore | number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Called before each backoff sleep (messages already redacted). */
  onRetry?: (e: RetryEvent) => void;
}

export interface CallStats {
  calls: number;
  attempts: number;
  retries: number;
  failures: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export type ChatCallResult =
  | { ok: true; reply: ParsedReply; latency_ms: number; attempts: number }
  | { ok: false; error: string; kind: ClassifiedError["kind"]; latency_ms: number; attempts: number };

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 4;
/** What client.chat.completions.create posts to (we post the pre-serialised body ourselves). */
const CHAT_COMPLETIONS_PATH = "/chat/completions";
const JSON_HEADERS = { "content-type": "application/json" };
/** The SDK insists on a key; keyless local servers ignore this placeholder. */
const PLACEHOLDER_KEY = "not-needed";

export function createOpenAIClient(opts: { baseURL: string; apiKey?: string; timeoutMs?: number }): OpenAI {
  return new OpenAI({
    baseURL: opts.baseURL,
    apiKey: opts.apiKey || PLACEHOLDER_KEY,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: 0,
    logLevel: "off",
    fetch: createPooledFetch(),
  });
}

/**
 * One client (and so one keep-alive connection pool) per endpoint and key, shared by
 * every driver of the process: drivers are made per episode, and a fresh client each
 * time meant fresh connections and SDK set-up on every conversation. The timeout is
 * passed per request, so it is not part of the key. Bounded (a long-lived server that
 * tests many endpoints must not keep every pool forever).
 */
const sharedClients = createCache<OpenAI>({
  name: "agents.openai-clients",
  maxEntries: 64,
  purpose: "one OpenAI client (keep-alive connection pool) per endpoint and key, shared by every driver",
});

function sharedClient(baseURL: string, apiKey: string | undefined): OpenAI {
  const key = JSON.stringify([baseURL, apiKey ?? ""]);
  let client = sharedClients.get(key);
  if (!client) {
    client = createOpenAIClient({ baseURL, apiKey });
    sharedClients.set(key, client);
  }
  return client;
}

/** OpenAI's own API wants max_completion_tokens (reasoning models reject max_tokens); compatible servers know max_tokens. */
function maxTokensParam(baseURL: string, maxTokens: number): { max_tokens: number } | { max_completion_tokens: number } {
  return /(^|\/\/)api\.openai\.com/.test(baseURL) ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens };
}

export interface ChatCaller {
  call(messages: ChatCompletionMessageParam[], tools: readonly ToolSchema[] | undefined, signal?: AbortSignal): Promise<ChatCallResult>;
  stats(): CallStats;
}

export function createChatCaller(opts: EndpointOptions): ChatCaller {
  const client = sharedClient(opts.baseURL, opts.apiKey);
  // Per request (the client is shared); the SDK wants a positive integer there.
  const timeout = Math.max(1, Math.ceil(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const limiter = opts.limiter instanceof Semaphore ? opts.limiter : getEndpointLimiter(opts.baseURL, opts.model, opts.limiter);
  const policy = {
    maxRetries: opts.maxRetries ?? DEFAULT_MAX_RETRIES,
    baseDelayMs: opts.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_MS,
    maxDelayMs: opts.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_MS,
  };
  const stats: CallStats = { calls: 0, attempts: 0, retries: 0, failures: 0, prompt_tokens: 0, completion_tokens: 0 };
  const clean = (text: string) => redactSecret(text, opts.apiKey);

  return {
    stats: () => ({ ...stats }),
    async call(messages, tools, signal) {
      stats.calls++;
      // Serialised here (system prompt and tool schemas once per process, see request-body.ts) and
      // sent as is: a string body with a content-type goes through the SDK verbatim.
      const body = chatRequestJson({
        model: opts.model,
        messages,
        temperature: opts.temperature,
        maxTokens: opts.maxTokens !== undefined ? maxTokensParam(opts.baseURL, opts.maxTokens) : undefined,
        tools,
      });
      const started = performance.now();
      let lastLatency = 0;
      const outcome = await withRetries(
        async () => {
          // The slot is held per attempt, not across backoff sleeps, so a throttled episode does not block others.
          return limiter.run(async () => {
            stats.attempts++;
            const t0 = performance.now();
            const completion = await client.post<ChatCompletion>(CHAT_COMPLETIONS_PATH, { body, headers: JSON_HEADERS, signal, maxRetries: 0, timeout });
            lastLatency = performance.now() - t0;
            return parseCompletion(completion);
          }, signal);
        },
        policy,
        {
          signal,
          onRetry: (e) => {
            stats.retries++;
            opts.onRetry?.({ ...e, error: { ...e.error, message: clean(e.error.message) } });
          },
        },
      );
      if (outcome.ok) {
        stats.prompt_tokens += outcome.value.usage?.prompt_tokens ?? 0;
        stats.completion_tokens += outcome.value.usage?.completion_tokens ?? 0;
        return { ok: true, reply: outcome.value, latency_ms: Math.round(lastLatency), attempts: outcome.attempts };
      }
      stats.failures++;
      const e = outcome.error;
      const what = e.status !== undefined ? `${e.kind} (HTTP ${e.status})` : e.kind;
      return {
        ok: false,
        kind: e.kind,
        error: clean(`${what}: ${e.message} [after ${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"}]`),
        latency_ms: Math.round(performance.now() - started),
        attempts: outcome.attempts,
      };
    },
  };
}
