/**
 * The browser side of the API's error contract: `requestJson` sends JSON, and turns an
 * `{"error": {code, message, field}}` answer into an ApiRequestError the forms can show
 * next to the field it names. Every client module (jobs, tasks, experiments, calibration)
 * uses this one helper.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiRequestError(err?.message ?? `request failed (${res.status})`, err?.code ?? "http_error", res.status, err?.field);
  }
  return body as T;
}
