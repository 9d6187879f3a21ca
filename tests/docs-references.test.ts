/**
 * Comments and READMEs cite the spec documents as `docs/<name>.md`; those live in the repo's
 * docs/ folder. A citation of a document that is not there is a broken promise to the reader.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const FOLDERS = ["app", "bench", "bin", "clients", "components", "db", "e2e", "lib", "scripts", "tests", "workers"];
const SOURCE = /\.(ts|tsx|mts|mjs|py|md)$/;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (SOURCE.test(name)) yield p;
  }
}

describe("docs/ references", () => {
  it("every docs/*.md a source file or README cites exists in the repo", () => {
    const cited = new Map<string, string>();
    const sources = [join(ROOT, "README.md"), ...FOLDERS.filter((f) => existsSync(join(ROOT, f))).flatMap((f) => [...files(join(ROOT, f))])];
    for (const file of sources) {
      for (const m of readFileSync(file, "utf8").matchAll(/(?<![\w/.-])docs\/([A-Za-z0-9_-]+\.md)/g)) cited.set(m[1], relative(ROOT, file));
    }
    expect(cited.size).toBeGreaterThan(0);
    const missing = [...cited].filter(([doc]) => !existsSync(join(ROOT, "docs", doc))).map(([doc, from]) => `docs/${doc} (cited in ${from})`);
    expect(missing).toEqual([]);
  });
});
