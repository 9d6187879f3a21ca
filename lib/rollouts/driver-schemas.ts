/**
 * Zod schemas of the driver configs stored in experiments.agent_config / user_config: what
 * createExperiment accepts (lib/experiments/schemas.ts) and what the rollouts.run job reads
 * back (run-job.ts, store/drivers.ts). A stored config never holds an API key (the key lives
 * in model_endpoints or the server's OPENAI_API_KEY, allow-listed hosts only, and is
 * resolved only in the worker, in memory).
 */
import { z } from "zod";
import { AGENT_PRESETS, agentKnobsSchema } from "../agents/simulated/presets";

const openaiOptions = {
  kind: z.literal("openai"),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().max(200_000).optional(),
  timeout_ms: z.number().int().min(100).max(600_000).optional(),
  max_retries: z.number().int().min(0).max(10).optional(),
  concurrency: z.number().int().min(1).max(1024).optional(),
  endpoint_id: z.number().int().positive().optional(),
  base_url: z.url().optional(),
  model: z.string().min(1).max(200).optional(),
};

/** Strict: an unknown key (say, api_key) is a 400 naming it, never silently stored. */
const openaiDriverSchema = z
  .strictObject(openaiOptions)
  .superRefine((v, ctx) => {
    if (v.endpoint_id !== undefined) {
      if (v.base_url !== undefined) ctx.addIssue({ code: "custom", path: ["base_url"], message: "give endpoint_id or base_url + model, not both" });
      if (v.model !== undefined) ctx.addIssue({ code: "custom", path: ["model"], message: "give endpoint_id or base_url + model, not both" });
    } else {
      if (v.base_url === undefined) ctx.addIssue({ code: "custom", path: ["endpoint_id"], message: "endpoint_id (or base_url + model) is required" });
      else if (v.model === undefined) ctx.addIssue({ code: "custom", path: ["model"], message: "model is required with base_url" });
    }
  });
export type OpenAIDriverStored = z.infer<typeof openaiDriverSchema>;

const presetSchema = z.enum(AGENT_PRESETS);

export const agentInputSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("simulated"),
    preset: presetSchema.default("expert"),
    knobs: agentKnobsSchema.partial().strict().optional(),
    presets_by_sample: z.array(presetSchema).min(1).max(64).optional(),
  }),
  openaiDriverSchema,
]);
export type AgentInput = z.infer<typeof agentInputSchema>;

export const userInputSchema = z.discriminatedUnion("kind", [z.strictObject({ kind: z.literal("simulated") }), openaiDriverSchema]);
export type UserInput = z.infer<typeof userInputSchema>;
