/** One rollout as a JSON line (docs/cli-and-formats.md, "Rollout JSON"). */
import { z } from "zod";
import { messageSchema, terminationSchema, usageSchema } from "./messages";
import { actionSchema } from "./task";

export const rolloutSchema = z
  .object({
    rollout_id: z.string(),
    task_id: z.string(),
    group_id: z.string(),
    sample_index: z.number().int().nonnegative(),
    outcome: z.union([z.literal(0), z.literal(1)]),
    reward: z.number(),
    termination: terminationSchema,
    messages: z.array(messageSchema),
    gold_actions: z.array(actionSchema.pick({ name: true, arguments: true })).optional(),
    usage: usageSchema.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type Rollout = z.infer<typeof rolloutSchema>;
