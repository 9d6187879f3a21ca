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
