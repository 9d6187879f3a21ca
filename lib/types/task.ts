/**
 * τ²-bench task JSON (import/export format) plus WRIT Lab's optional `writ` object.
 * Unknown keys are kept (passthrough) so a τ² file round-trips.
 */
import { z } from "zod";

export const actionSchema = z
  .object({
    action_id: z.string().optional(),
    requestor: z.string().optional(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    info: z.string().nullable().optional(),
    compare_args: z.array(z.string()).nullable().optional(),
  })
  .passthrough();
export type Action = z.infer<typeof actionSchema>;

export const structuredInstructionsSchema = z
  .object({
    domain: z.string().optional(),
    reason_for_call: z.string(),
    known_info: z.string().nullable().optional(),
    unknown_info: z.string().nullable().optional(),
    task_instructions: z.string().nullable().optional(),
  })
  .passthrough();

export const userScenarioSchema = z
  .object({
    persona: z.string().nullable().optional(),
    instructions: z.union([z.string(), structuredInstructionsSchema]),
  })
  .passthrough();

/** Metadata WRIT Lab's synthesizer attaches to each task (docs/cli-and-formats.md). */
export const writMetaSchema = z
  .object({
    writes: z.number().int().nonnegative(),
    evidence: z.array(z.number().int().nonnegative()),
    read_plan: z.array(actionSchema),
    behavior: z.string(),
    seed: z.number().int(),
    state_seed: z.number().int().nullable(),
  })
  .passthrough();
export type WritMeta = z.infer<typeof writMetaSchema>;

export const taskSchema = z
  .object({
    id: z.string(),
    description: z
      .object({ purpose: z.string().nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
    user_scenario: userScenarioSchema,
    initial_state: z.unknown().nullable().optional(),
    evaluation_criteria: z
      .object({
        actions: z.array(actionSchema).nullable().optional(),
        env_assertions: z.unknown().nullable().optional(),
        communicate_info: z.array(z.string()).nullable().optional(),
        nl_assertions: z.array(z.string()).nullable().optional(),
        reward_basis: z.array(z.string()).optional(),
      })
      .passthrough()
      .nullable()
      .optional(),
    writ: writMetaSchema.optional(),
  })
  .passthrough();
export type Task = z.infer<typeof taskSchema>;
export const taskListSchema = z.array(taskSchema);
