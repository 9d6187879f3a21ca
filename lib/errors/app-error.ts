/**
 * Typed domain errors with a stable code. Thrown anywhere (queries, services, jobs);
 * mapped to an HTTP status in exactly one place (lib/http/respond.ts).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.field = options?.field;
  }
  readonly field: string | undefined;
}

export class ValidationError extends AppError {
  constructor(message: string, field?: string, cause?: unknown) {
    super("invalid_request", message, 400, { field, cause });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, cause?: unknown) {
    super("not_found", message, 404, { cause });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, cause?: unknown) {
    super("conflict", message, 409, { cause });
  }
}

/** A request body over the route's size limit (413); the message names the limit. */
export class PayloadTooLargeError extends AppError {
  constructor(readonly limitBytes: number) {
    super("payload_too_large", `request body is larger than the ${formatBytes(limitBytes)} limit of this route`, 413, { field: "body" });
  }
}

/** "10 MB", "4 MB", "512 KB": limits are whole units in practice. */
export function formatBytes(n: number): string {
  const mb = 1024 * 1024;
  if (n >= mb && n % mb === 0) return `${n / mb} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}
