/** Request schemas for /api/endpoints (strict: unknown keys are a 400 naming them). */
import { z } from "zod";

export const createEndpointSchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
  base_url: z.url(),
  model: z.string().trim().min(1, "model is required").max(200),
  api_key: z.string().min(1).max(500).optional(),
});

/**
 * {endpoint_id} or {base_url, model, api_key?}. One object checked field by field rather
 * than a union of two: a union that fails both branches reports "Invalid input" with no
 * field, while this names the field that is wrong (endpoint_id, base_url, model).
 */
export const testEndpointSchema = z
  .strictObject({
    endpoint_id: z.number("endpoint_id must be a positive integer").int("endpoint_id must be a positive integer").positive("endpoint_id must be a positive integer").optional(),
    base_url: z.url("base_url must be an http(s) URL").optional(),
    model: z.string().min(1, "model is required").max(200).optional(),
    api_key: z.string().min(1).max(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.endpoint_id !== undefined) {
      for (const key of ["base_url", "model", "api_key"] as const) {
        if (v[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `give endpoint_id or base_url + model, not both` });
      }
    } else if (v.base_url === undefined) {
      ctx.addIssue({ code: "custom", path: ["endpoint_id"], message: "endpoint_id (or base_url + model) is required" });
    } else if (v.model === undefined) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "model is required with base_url" });
    }
  })
  .transform((v): { endpoint_id: number } | { base_url: string; model: string; api_key?: string } =>
    v.endpoint_id !== undefined
      ? { endpoint_id: v.endpoint_id }
      : { base_url: v.base_url!, model: v.model!, ...(v.api_key !== undefined ? { api_key: v.api_key } : {}) },
  );
