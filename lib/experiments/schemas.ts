/**
 * Zod schemas of the experiments API (request bodies, queries) and of the driver configs
 * stored in experiments.agent_config / user_config (lib/rollouts/driver-schemas.ts, re-exported
 * here). Types in api-types.ts mirror these;
 * a stored config never holds an API key (the key lives in model_endpoints or the server's
 * OPENAI_API_KEY, allow-listed hosts only, and is resolved only in the worker, in memory).
 */
import { z } from "zod";
import { agentInputSchema, userInputSchema } from "../rollouts/driver-schemas";
import { terminationSchema } from "../types/messages";

export { agentInputSchema, userInputSchema, type AgentInput, type OpenAIDriverStored, type UserInput } from "../rollouts/driver-schemas";

export const DEFAULT_MAX_TURNS = 30;
export const DEFAULT_MAX_ERRORS = 10;
export const DEFAULT_CONCURRENCY = 8;
/** task_ids per experiment: far above any task set we synthesize, and a body that stays well under a megabyte or so. */
export const MAX_TASK_IDS = 10_000;

export const createExperimentSchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(200),
  task_set_id: z.number().int().positive(),
  agent: agentInputSchema,
  user: userInputSchema.default({ kind: "simulated" }),
  group_size: z.number().int().min(1).max(64),
  max_turns: z.number().int().min(1).max(500).default(DEFAULT_MAX_TURNS),
  max_errors: z.number().int().min(1).max(100).default(DEFAULT_MAX_ERRORS),
  temperature: z.number().min(0).max(2).default(0),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  concurrency: z.number().int().min(1).max(256).default(DEFAULT_CONCURRENCY),
  task_ids: z
    .array(z.string().min(1).max(500))
    .min(1)
    .max(MAX_TASK_IDS, `at most ${MAX_TASK_IDS.toLocaleString("en-US")} task ids per experiment (leave task_ids out to run the whole task set)`)
    .optional(),
});
export type CreateExperimentInput = z.infer<typeof createExperimentSchema>;
export type CreateExperimentRequestInput = z.input<typeof createExperimentSchema>;

export const listExperimentsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number().int().positive().optional(),
  status: z.enum(["draft", "queued", "running", "completed", "failed", "cancelled"]).optional(),
});

const intParam = z.coerce.number().int().min(0).max(1_000_000);

export const listGroupsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The previous page's next_cursor: the last group's position. */
  cursor: z.coerce.number().int().min(0).optional(),
  task: z.string().min(1).max(200).optional(),
  outcome: z.enum(["all_pass", "all_fail", "mixed", "pass", "fail"]).optional(),
  w: intParam.optional(),
  b: intParam.optional(),
  b_total: intParam.optional(),
  behavior: z.string().min(1).max(100).optional(),
  termination: terminationSchema.optional(),
});
export type ListGroupsQuery = z.infer<typeof listGroupsQuerySchema>;

export const exportFormats = ["jsonl", "tau2", "sft", "tasks"] as const;
export const exportQuerySchema = z.object({
  format: z.enum(exportFormats),
  require_read_coverage: z
    .enum(["1", "0", "true", "false"])
    .optional()
    .transform((v) => v === "1" || v === "true"),
});
