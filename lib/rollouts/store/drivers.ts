/**
 * Stored driver configs (no secrets) → factory configs (lib/agents/factory.ts), resolved in
 * the worker only. The API key comes from the endpoint row, else the server's
 * OPENAI_API_KEY when the host is allow-listed (lib/agents/openai/env-key.ts), and lives only
 * in the returned object in memory: it is never written to the db, a job payload, a rollout
 * or a log line.
 */
import type { DbOrTx } from "../../../db/client";
import { getEndpoint } from "../../../db/queries/model-endpoints";
import { resolveOpenAIKey, type KeyPolicyEnv } from "../../agents/openai/env-key";
import { getEnv } from "../../settings";
import type { AgentDriverConfigInput, UserDriverConfigInput } from "../../agents/factory";
import type { AgentPreset } from "../../agents/simulated/presets";
import type { AgentInput, OpenAIDriverStored, UserInput } from "../driver-schemas";

export class DriverResolveError extends Error {}

interface OpenAIResolved {
  kind: "openai";
  baseURL: string;
  model: string;
  apiKey?: string;
  temperature: number;
  maxTokens?: number;
  timeoutMs?: number;
  maxRetries?: number;
  concurrency?: number;
}

function resolveOpenAI(
  db: DbOrTx,
  stored: OpenAIDriverStored,
  defaults: { temperature: number },
  env: KeyPolicyEnv,
): OpenAIResolved {
  let baseURL: string;
  let model: string;
  let ownKey: string | null = null;
  if (stored.endpoint_id !== undefined) {
    const row = getEndpoint(db, stored.endpoint_id);
    if (!row) throw new DriverResolveError(`model endpoint ${stored.endpoint_id} no longer exists`);
    baseURL = row.baseUrl;
    model = row.model;
    ownKey = row.apiKey;
  } else {
    baseURL = stored.base_url!;
    model = stored.model!;
  }
  const { apiKey } = resolveOpenAIKey({ baseURL, ownKey }, env);
  return {
    kind: "openai",
    baseURL,
    model,
    ...(apiKey ? { apiKey } : {}),
    temperature: stored.temperature ?? defaults.temperature,
    ...(stored.max_tokens !== undefined ? { maxTokens: stored.max_tokens } : {}),
    ...(stored.timeout_ms !== undefined ? { timeoutMs: stored.timeout_ms } : {}),
    ...(stored.max_retries !== undefined ? { maxRetries: stored.max_retries } : {}),
    ...(stored.concurrency !== undefined ? { concurrency: stored.concurrency } : {}),
  };
}

export interface ResolvedDrivers {
  agentFor(sampleIndex: number): { config: AgentDriverConfigInput; preset: AgentPreset | null };
  user: UserDriverConfigInput;
  /** Whether a model call may cost money/time: then every message is saved before the next call. */
  durable: boolean;
}

export function resolveDrivers(
  db: DbOrTx,
  agent: AgentInput,
  user: UserInput,
  defaults: { temperature: number },
  env: KeyPolicyEnv = getEnv(),
): ResolvedDrivers {
  const userConfig: UserDriverConfigInput = user.kind === "simulated" ? { kind: "simulated" } : resolveOpenAI(db, user, defaults, env);
  if (agent.kind === "simulated") {
    return {
      agentFor(sampleIndex) {
        const preset = agent.presets_by_sample ? agent.presets_by_sample[sampleIndex % agent.presets_by_sample.length] : agent.preset;
        return { config: { kind: "simulated", preset, ...(agent.knobs ? { knobs: agent.knobs } : {}) }, preset };
      },
      user: userConfig,
      durable: user.kind === "openai",
    };
  }
  const agentConfig = resolveOpenAI(db, agent, defaults, env);
  return { agentFor: () => ({ config: agentConfig, preset: null }), user: userConfig, durable: true };
}

/** Short human label of a stored driver config (lists, exports). Never includes a key. */
export function describeDriver(config: Record<string, unknown>, side: "agent" | "user", endpointName?: (id: number) => string | undefined): string {
  const kind = config.kind;
  if (kind === "simulated") {
    if (side === "user") return "simulated user";
    const mix = config.presets_by_sample;
    if (Array.isArray(mix)) return `simulated agent (mixed: ${[...new Set(mix)].join("/")})`;
    return `simulated agent (${typeof config.preset === "string" ? config.preset : "expert"})`;
  }
  if (kind === "openai") {
    if (typeof config.endpoint_id === "number") {
      const name = endpointName?.(config.endpoint_id);
      return `openai ${side} (endpoint ${name ?? "#" + config.endpoint_id})`;
    }
    return `openai ${side} (${String(config.model ?? "?")})`;
  }
  if (kind === "import") return String(config.label ?? "imported");
  // Training runs (lib/ingest): the trainer's name, e.g. "training run (verl)".
  if (kind === "training") return String(config.label ?? "training run");
  return String(kind ?? "unknown");
}
