/**
 * The one in-memory cache of the project: a bounded LRU keyed by string. Every module-level
 * cache is created here with a name and a size, so that the whole list of what the server
 * keeps in memory is in one place (`listCaches()`, shown by GET /api/health and listed in
 * ARCHITECTURE.md) and none of them grows without bound.
 *
 * Map keeps insertion order, so the least recently used entry is the first key; a hit
 * re-inserts its key at the end.
 */

export interface LruCache<V> {
  readonly name: string;
  readonly maxEntries: number;
  get(key: string): V | undefined;
  /** Reads without marking the entry as recently used. */
  peek(key: string): V | undefined;
  has(key: string): boolean;
  set(key: string, value: V): void;
  delete(key: string): boolean;
  /** Removes every entry whose key starts with `prefix` (e.g. one experiment's entries). */
  deletePrefix(prefix: string): number;
  clear(): void;
  readonly size: number;
  /** A snapshot, oldest first: safe to get() or delete() while walking it. */
  keys(): string[];
}

export interface CacheInfo {
  name: string;
  maxEntries: number;
  size: number;
  purpose: string;
}

const registry = new Map<string, { cache: LruCache<unknown>; purpose: string }>();

class MapLru<V> implements LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    readonly name: string,
    readonly maxEntries: number,
    private readonly onEvict?: (key: string, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    if (this.entries.has(key)) this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      const evicted = this.entries.get(oldest) as V;
      this.entries.delete(oldest);
      this.onEvict?.(oldest, evicted);
    }
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  deletePrefix(prefix: string): number {
    let removed = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  clear(): void {
    this.entries.clear();
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}

export interface CacheOptions<V> {
  /** Unique, shown in listCaches(): "<domain>.<what>", e.g. "calibration.class-store". */
  name: string;
  maxEntries: number;
  /** One line: what is kept and why it is worth keeping. */
  purpose: string;
  onEvict?: (key: string, value: V) => void;
}

/**
 * Creates (or, on a dev-mode hot reload, returns the existing) cache of this name. The
 * registry lives on globalThis so a reloaded module does not register a second copy.
 */
export function createCache<V>(options: CacheOptions<V>): LruCache<V> {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
    throw new Error(`cache ${options.name}: maxEntries must be a positive integer`);
  }
  const existing = globalRegistry().get(options.name);
  if (existing) return existing.cache as LruCache<V>;
  const cache = new MapLru<V>(options.name, options.maxEntries, options.onEvict);
  globalRegistry().set(options.name, { cache: cache as LruCache<unknown>, purpose: options.purpose });
  return cache;
}

/** Every cache in this process, by name. */
export function listCaches(): CacheInfo[] {
  return [...globalRegistry().values()]
    .map(({ cache, purpose }) => ({ name: cache.name, maxEntries: cache.maxEntries, size: cache.size, purpose }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Tests: empty every cache (the registry itself stays). */
export function clearAllCaches(): void {
  for (const { cache } of globalRegistry().values()) cache.clear();
}

function globalRegistry(): Map<string, { cache: LruCache<unknown>; purpose: string }> {
  const holder = globalThis as typeof globalThis & { __writCaches?: typeof registry };
  holder.__writCaches ??= registry;
  return holder.__writCaches;
}
