/**
 * A counting semaphore, and one per endpoint (baseURL + model) shared by the whole
 * process, so many episodes running in one worker never put more than N requests in
 * flight on one server however many drivers they create.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {
    if (!(limit >= 1)) throw new Error(`semaphore limit must be ≥ 1, got ${limit}`);
  }

  get max(): number {
    return this.limit;
  }
  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiting.length;
  }

  /** Raising the limit wakes waiters at once; lowering it takes effect as slots free up. */
  setLimit(limit: number): void {
    if (!(limit >= 1)) throw new Error(`semaphore limit must be ≥ 1, got ${limit}`);
    this.limit = limit;
    this.drain();
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason ?? new Error("aborted"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(wake);
    });
    return this.releaser();
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()?.();
    }
  }
}

export const DEFAULT_ENDPOINT_CONCURRENCY = 16;
/**
 * Not a cache: a limiter is shared state (requests in flight on the endpoint), and dropping
 * one while it is in use would let a second limiter admit requests past the limit. One entry
 * per configured endpoint, so it stays as small as the list of endpoints.
 */
const endpointLimiters = new Map<string, Semaphore>();

export function endpointKey(baseURL: string, model: string): string {
  return `${baseURL.replace(/\/+$/, "")}|${model}`;
}

/**
 * The process-wide limiter of an endpoint. A `limit` given here (re)sets that
 * endpoint's limit for every user of it; without one, an existing limiter keeps its limit.
 */
export function getEndpointLimiter(baseURL: string, model: string, limit?: number): Semaphore {
  const key = endpointKey(baseURL, model);
  let sem = endpointLimiters.get(key);
  if (!sem) {
    sem = new Semaphore(limit ?? DEFAULT_ENDPOINT_CONCURRENCY);
    endpointLimiters.set(key, sem);
  } else if (limit !== undefined && limit !== sem.max) sem.setLimit(limit);
  return sem;
}
