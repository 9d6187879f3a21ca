/**
 * ARCHITECTURE.md stays true to the code: its cache table lists exactly the caches the code
 * creates (name and bound), its level table names every lib folder at the level the lint uses,
 * and every path it names exists.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const doc = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

function cachesInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of ["lib", "db", "workers"].flatMap(sourceFiles)) {
    if (file === join("lib", "cache", "lru.ts")) continue;
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const call of text.matchAll(/createCache(?:<[^>]*>)?\(\s*\{([\s\S]*?)\}\s*\)/g)) {
      const name = /name:\s*"([^"]+)"/.exec(call[1])?.[1];
      const bound = /maxEntries:\s*([\w.]+)/.exec(call[1])?.[1];
      if (name && bound) found.set(name, bound);
    }
  }
  return found;
}

function cachesInDoc(): Map<string, string> {
  const table = doc.slice(doc.indexOf("## Caches"));
  const rows = new Map<string, string>();
  for (const m of table.matchAll(/^\| `([\w.-]+)` \| (\S+)/gm)) rows.set(m[1], m[2]);
  return rows;
}

describe("ARCHITECTURE.md", () => {
  it("lists exactly the caches the code creates, with their bounds", () => {
    const code = cachesInCode();
    const listed = cachesInDoc();
    expect(code.size).toBeGreaterThan(10);
    expect([...listed.keys()].sort()).toEqual([...code.keys()].sort());
    for (const [name, bound] of code) {
      // A numeric bound must match; a named constant is documented by its default.
      if (/^\d+$/.test(bound)) expect(`${name}: ${listed.get(name)}`).toBe(`${name}: ${bound}`);
    }
  });

  it("gives every lib folder a level, the same one the layer lint uses", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require("../.dependency-cruiser.cjs") as { forbidden: { name: string; comment?: string }[] };
    const lintLevels = new Map<string, number>();
    for (const rule of config.forbidden) {
      const m = /^lib-level-(\d+)$/.exec(rule.name);
      const folders = /lib\/\{([^}]+)\}/.exec(rule.comment ?? "")?.[1];
      if (m && folders) for (const f of folders.split(",")) lintLevels.set(f, Number(m[1]));
    }
    const docLevels = new Map<string, number>();
    for (const m of doc.matchAll(/^\| (\d+) \| ([^|]+)\|/gm)) {
      for (const f of m[2].matchAll(/`([\w-]+)(?:\.ts)?`/g)) docLevels.set(f[1], Number(m[1]));
    }
    const folders = readdirSync(join(ROOT, "lib")).filter((n) => statSync(join(ROOT, "lib", n)).isDirectory());
    for (const folder of folders) {
      expect(docLevels.has(folder), `lib/${folder} has no level in ARCHITECTURE.md`).toBe(true);
      // The top level has no rule of its own (nothing is above it).
      if (lintLevels.has(folder)) expect(`${folder}: ${docLevels.get(folder)}`).toBe(`${folder}: ${lintLevels.get(folder)}`);
    }
  });

  it("names only paths that exist", () => {
    const paths = [...doc.matchAll(/`((?:lib|app|components|db|workers|bin|scripts|tests|docs)\/[\w./()[\]-]+)`/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      if (path.includes("<")) continue;
      expect(existsSync(join(ROOT, path)) || existsSync(join(ROOT, `${path}.ts`)), path).toBe(true);
    }
  });
});
