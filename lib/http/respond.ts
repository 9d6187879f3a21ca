/**
 * The one error → HTTP mapping. Route handlers wrap their body in `handleRoute`, parse
 * input with `parseInput`, and return `json(...)`. Errors become
 * {"error": {"code", "message", "field"?}}; anything unknown is a 500 with a generic
 * message (the cause is logged here, never sent).
 */
import { ZodError, type z } from "zod";
import { PayloadError } from "../jobs/errors";
import { AppError, ValidationError } from "../errors/app-error";
import { primaryZodProblem } from "../errors/zod-issue";

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function json(data: unknown, init?: number | ResponseInit): Response {
  return Response.json(data, typeof init === "number" ? { status: init } : init);
}

export function describeZodError(err: ZodError): string {
  const problem = primaryZodProblem(err);
  return problem.path.length ? `${problem.field}: ${problem.message}` : problem.message;
}

export function errorToResponse(err: unknown): Response {
  if (err instanceof ZodError) {
    return json({ error: { code: "invalid_request", message: describeZodError(err), field: primaryZodProblem(err).field } }, 400);
  }
  if (err instanceof PayloadError) {
    return json(
      { error: { code: "invalid_payload", message: err.message, ...(err.field ? { field: err.field } : {}) } },
      400,
    );
  }
  if (err instanceof AppError) {
    if (err.status >= 500) console.error(err);
    return json(
      { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } },
      err.status,
    );
  }
  if (isBadJson(err)) {
    return json({ error: { code: "invalid_json", message: "request body is not valid JSON", field: "body" } }, 400);
  }
  console.error("[api] unhandled error", err);
  return json({ error: { code: "internal", message: "internal server error" } }, 500);
}

function isBadJson(err: unknown): boolean {
  return err instanceof SyntaxError && /JSON/i.test(err.message);
}

/** Run a route body; any throw becomes the mapped error response. */
export async function handleRoute(fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    return errorToResponse(err);
  }
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  return schema.parse(input);
}

export { readJsonBody, type JsonBodyOptions } from "./json-body";

/** URLSearchParams → plain object (first value wins) for zod parsing. */
export function searchParamsObject(url: string | URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(url).searchParams) if (!(k in out)) out[k] = v;
  return out;
}

/** `[id]` route param as a positive integer, or a 400 naming the field. */
export function parseIdParam(value: string, field = "id"): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError(`${field} must be a positive integer`, field);
  return n;
}
