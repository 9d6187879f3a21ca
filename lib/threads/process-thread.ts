/**
 * The process's one instance of a request thread (ingest, scoring), made on first use and kept on
 * globalThis so a dev-mode hot reload does not start a second one. `null` when the operator
 * switched it off or the machine has a single core: the work then stays on the request thread.
 */
import { availableParallelism } from "node:os";

export interface ProcessThread<T> {
  /** The thread, or null when the work stays on the request thread. */
  get(): T | null;
  /** Tests: forget the thread (closing it) so the next call decides again. */
  reset(): Promise<void>;
}

const holder = globalThis as typeof globalThis & { __writProcessThreads?: Map<string, unknown> };

export function processThread<T extends { close(): Promise<void> }>(key: string, enabled: () => boolean, create: () => T): ProcessThread<T> {
  const slots = (holder.__writProcessThreads ??= new Map<string, unknown>());
  return {
    get() {
      if (!slots.has(key)) slots.set(key, enabled() && availableParallelism() >= 2 ? create() : null);
      return slots.get(key) as T | null;
    },
    async reset() {
      const thread = slots.get(key) as T | null | undefined;
      slots.delete(key);
      if (thread) await thread.close();
    },
  };
}
