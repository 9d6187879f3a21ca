/**
 * A small async pool: run `fn` over `items` with at most `concurrency` in flight,
 * results in input order. The first rejection stops new work and is rethrown once
 * the running items settle (callers that want per-item failures catch inside fn).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!(concurrency >= 1)) throw new Error(`concurrency must be ≥ 1, got ${concurrency}`);
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && nextIndex < items.length) {
      const i = nextIndex++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.floor(concurrency), items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
