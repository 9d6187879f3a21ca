import { describe, expect, it } from "vitest";
import { createCache, listCaches } from "./lru";

describe("createCache", () => {
  it("evicts the least recently used entry past maxEntries", () => {
    const evicted: string[] = [];
    const cache = createCache<number>({ name: "test.lru-evict", maxEntries: 2, purpose: "test", onEvict: (k) => evicted.push(k) });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now most recent
    cache.set("c", 3);
    expect(cache.has("b")).toBe(false);
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(evicted).toEqual(["b"]);
    expect(cache.size).toBe(2);
  });

  it("drops keys by prefix and lists itself in the registry", () => {
    const cache = createCache<string>({ name: "test.lru-prefix", maxEntries: 10, purpose: "prefix test" });
    cache.set("exp:1:a", "x");
    cache.set("exp:1:b", "y");
    cache.set("exp:2:a", "z");
    expect(cache.deletePrefix("exp:1:")).toBe(2);
    expect(cache.keys()).toEqual(["exp:2:a"]);
    const info = listCaches().find((c) => c.name === "test.lru-prefix");
    expect(info).toEqual({ name: "test.lru-prefix", maxEntries: 10, size: 1, purpose: "prefix test" });
  });

  it("walks a key snapshot, so get() inside the walk ends; peek() does not touch recency", () => {
    const cache = createCache<number>({ name: "test.lru-walk", maxEntries: 3, purpose: "walk" });
    cache.set("a", 1);
    cache.set("b", 2);
    const seen: number[] = [];
    for (const key of cache.keys()) seen.push(cache.get(key) as number);
    expect(seen).toEqual([1, 2]);
    expect(cache.peek("a")).toBe(1);
    cache.set("c", 3);
    cache.set("d", 4); // evicts a: peek did not make it recent
    expect(cache.has("a")).toBe(false);
  });

  it("returns the same cache for the same name (hot reload) and rejects a zero size", () => {
    const a = createCache<number>({ name: "test.lru-same", maxEntries: 3, purpose: "p" });
    a.set("k", 1);
    expect(createCache<number>({ name: "test.lru-same", maxEntries: 3, purpose: "p" }).get("k")).toBe(1);
    expect(() => createCache({ name: "test.lru-zero", maxEntries: 0, purpose: "p" })).toThrow(/positive integer/);
  });
});
