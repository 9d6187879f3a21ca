/**
 * Every thread starter names its `.worker.ts` entry twice (lib/threads/start-thread.ts): as
 * `new URL("./x.worker.ts", import.meta.url)`, which moves along with the file, and as a
 * `repoPath` string, which the Next server uses and which a file move does not rewrite.
 * Both must name the same existing file.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) yield p;
  }
}

const ENTRY = /source: \(\) => new URL\("([^"]+)", import\.meta\.url\),?\s*repoPath: "([^"]+)"/g;

describe("thread entries", () => {
  const found: { file: string; url: string; repoPath: string }[] = [];
  for (const file of sources(join(ROOT, "lib"))) {
    for (const m of readFileSync(file, "utf8").matchAll(ENTRY)) found.push({ file: relative(ROOT, file), url: m[1], repoPath: m[2] });
  }

  it("finds the starters", () => {
    expect(found.length).toBeGreaterThanOrEqual(5);
  });

  it("names the same existing file by URL and by repository path", () => {
    for (const { file, url, repoPath } of found) {
      const byUrl = relative(ROOT, join(ROOT, dirname(file), url));
      expect({ file, repoPath }).toEqual({ file, repoPath: byUrl });
      expect(existsSync(join(ROOT, repoPath)), repoPath).toBe(true);
    }
  });
});
