/** POST /api/experiments/import body: the file's text, its kind and the new experiment's name. */
import { z } from "zod";

export const importExperimentBodySchema = z.object({
  from: z.enum(["tau2", "jsonl"]),
  /** The whole τ² results JSON or rollout JSON lines, as text. */
  text: z.string().min(1, "the file is empty"),
  name: z.string().trim().min(1, "experiment name is required").max(200),
});
export type ImportExperimentBody = z.infer<typeof importExperimentBodySchema>;
