/** Request schemas for /api/jobs (zod once at the boundary; types derive from them). */
import { z } from "zod";
import { jobStatuses } from "@/lib/jobs/status";

export const listJobsQuerySchema = z.object({
  status: z.enum(jobStatuses).optional(),
  name: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.coerce.number().int().positive().optional(),
});

export const enqueueJobBodySchema = z.object({
  name: z.string().min(1).max(100),
  payload: z.unknown().default({}),
  priority: z.number().int().min(-1000).max(1000).optional(),
});
export type EnqueueJobBody = z.infer<typeof enqueueJobBodySchema>;
