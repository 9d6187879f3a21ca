/** Request schemas for /api/endpoints (strict: unknown keys are a 400 naming them). */
import { z } from "zod";

export const createEndpointSchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
  base_url: z.url(),
  model: z.string().trim().min(1, "model is required").max(200),
  api_key: z.string().min(1).max(500).optional(),
});

export const testEndpointSchema = z.union([
  z.strictObject({ endpoint_id: z.number().int().positive() }),
  z.strictObject({ base_url: z.url(), model: z.string().min(1).max(200), api_key: z.string().min(1).max(500).optional() }),
]);
