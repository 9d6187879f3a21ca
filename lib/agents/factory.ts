/**
 * The one place drivers are made from a (zod-validated) driver config, and the one
 * switch tests use to swap in a deterministic double (setDriverDoubles). API keys:
 * `apiKey` is accepted server-side only (never send a config carrying it to a
 * browser); otherwise the key is read from the environment variable `apiKeyEnv` at
 * creation time, so configs stored in the db hold no secret. There is no implicit
 * OPENAI_API_KEY fallback: the server decides who gets its key (lib/agents/openai/env-key.ts)
 * and passes `apiKey`; the CLI, as the operator, names the variable.
 */
import { z } from "zod";
import type { Task } from "../types/task";
import { createOpenAIAgent, createOpenAIUser } from "./openai";
import { createSimulatedAgent, createSimulatedUser } from "./simulated";
import { AGENT_PRESETS, agentKnobsSchema } from "./simulated/presets";
import type { AgentDriver, UserDriver } from "./types";

export const SIMULATED_PRESETS = AGENT_PRESETS;

const openaiFields = {
  kind: z.literal("openai"),
  baseURL: z.url(),
  model: z.string().min(1),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name").optional(),
  apiKey: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().default(120_000),
  maxRetries: z.number().int().min(0).max(10).default(4),
  /** Requests in flight on this endpoint (baseURL + model) across the process. */
  concurrency: z.number().int().positive().optional(),
};

export const agentDriverConfigSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("simulated"),
    preset: z.enum(SIMULATED_PRESETS).default("expert"),
    /** Overrides of the preset's knobs (probabilities), validated by the simulated driver's own schema. */
    knobs: agentKnobsSchema.partial().optional(),
  }),
  z.object(openaiFields),
]);
export type AgentDriverConfig = z.infer<typeof agentDriverConfigSchema>;
export type AgentDriverConfigInput = z.input<typeof agentDriverConfigSchema>;

export const userDriverConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("simulated") }),
  z.object({ ...openaiFields, guidelinesPath: z.string().min(1).optional() }),
]);
export type UserDriverConfig = z.infer<typeof userDriverConfigSchema>;
export type UserDriverConfigInput = z.input<typeof userDriverConfigSchema>;

export interface DriverContext {
  task: Task;
  /** Per-episode seed for simulated drivers. */
  seed: number;
  /** Where API keys are looked up; process.env by default. */
  env?: Record<string, string | undefined>;
}

export interface DriverDoubles {
  agent?: (config: AgentDriverConfig, ctx: DriverContext) => AgentDriver;
  user?: (config: UserDriverConfig, ctx: DriverContext) => UserDriver;
}

let doubles: DriverDoubles = {};

/** Tests: route every driver creation through these; returns a function restoring the previous ones. */
export function setDriverDoubles(next: DriverDoubles): () => void {
  const previous = doubles;
  doubles = next;
  return () => {
    doubles = previous;
  };
}

export class DriverConfigError extends Error {}

function resolveApiKey(config: { apiKey?: string; apiKeyEnv?: string }, ctx: DriverContext): string | undefined {
  if (config.apiKey) return config.apiKey;
  if (!config.apiKeyEnv) return undefined;
  const value = (ctx.env ?? process.env)[config.apiKeyEnv];
  if (!value) throw new DriverConfigError(`environment variable ${config.apiKeyEnv} is not set`);
  return value;
}

function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DriverConfigError(`invalid ${what} config at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

export function createAgentDriver(config: AgentDriverConfigInput, ctx: DriverContext): AgentDriver {
  const c = parseConfig(agentDriverConfigSchema, config, "agent driver");
  if (doubles.agent) return doubles.agent(c, ctx);
  switch (c.kind) {
    case "simulated":
      return createSimulatedAgent({ preset: c.preset, seed: ctx.seed, knobs: c.knobs });
    case "openai":
      return createOpenAIAgent({
        baseURL: c.baseURL,
        model: c.model,
        apiKey: resolveApiKey(c, ctx),
        temperature: c.temperature,
        maxTokens: c.maxTokens,
        timeoutMs: c.timeoutMs,
        maxRetries: c.maxRetries,
        limiter: c.concurrency,
      });
  }
}

export function createUserDriver(config: UserDriverConfigInput, ctx: DriverContext): UserDriver {
  const c = parseConfig(userDriverConfigSchema, config, "user driver");
  if (doubles.user) return doubles.user(c, ctx);
  switch (c.kind) {
    case "simulated":
      return createSimulatedUser({ task: ctx.task, seed: ctx.seed });
    case "openai":
      return createOpenAIUser({
        baseURL: c.baseURL,
        model: c.model,
        apiKey: resolveApiKey(c, ctx),
        temperature: c.temperature,
        maxTokens: c.maxTokens,
        timeoutMs: c.timeoutMs,
        maxRetries: c.maxRetries,
        limiter: c.concurrency,
        guidelinesPath: c.guidelinesPath,
      });
  }
}
