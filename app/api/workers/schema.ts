/** Request schema for GET /api/workers (zod once at the boundary). */
import { z } from "zod";

export const listWorkersQuerySchema = z.object({
  /** How far back (by last heartbeat) stale and stopped workers are still listed; live ones always are. */
  since_ms: z.coerce.number().int().min(0).max(86_400_000).default(3_600_000),
});
