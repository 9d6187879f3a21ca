/** Payload validation against a job kind's schema (./kinds.ts), at enqueue and again when a worker runs it. */
import { ValidationError } from "../errors/app-error";
import { PayloadError } from "./errors";
import { getJobKind } from "./registry";

/** Validate a payload against its job's schema; the error names the first bad field. */
export function validateJobPayload(name: string, payload: unknown): unknown {
  const kind = getJobKind(name);
  if (!kind) throw new ValidationError(`unknown job "${name}"`, "name");
  const parsed = kind.payloadSchema.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join(".") : undefined;
    const where = field ? `payload.${field}` : "payload";
    throw new PayloadError(`${name}: ${where}: ${issue?.message ?? "invalid"}`, field ? `payload.${field}` : "payload");
  }
  return parsed.data;
}
