/**
 * Comments and READMEs cite the spec documents in the repo's docs/ folder: as `docs/<name>.md`,
 * with a section as `docs/<name>.md §6` (a numbered heading "## 6. …"; `§3, §4` lists several),
 * `docs/<name>.md#anchor` (GitHub's heading slug) or `docs/<name>.md, "Heading"` (a heading's first words). A citation of a document or section that is not
 * there is a broken promise to the reader, and so is a doc naming a source file that has moved.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const DOCS = join(ROOT, "docs");
const FOLDERS = ["app", "bench", "bin", "clients", "components", "db", "e2e", "lib", "scripts", "tests", "workers"];
const SOURCE = /\.(ts|tsx|mts|mjs|py|md)$/;
/** Top folders of repo source paths a doc may name. */
const SOURCE_ROOTS = ["lib", "app", "components", "bin", "workers", "db"];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (SOURCE.test(name)) yield p;
  }
}

const docNames = readdirSync(DOCS).filter((n) => n.endsWith(".md"));

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, `-`, `_` kept), spaces → `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/**
 * A doc's sections: `§N` (and `§N.M`) for numbered headings, `#slug` for every heading, and `"Title"`
 * for every leading run of words of a heading's title (`"Scoring"` names "## Scoring (what o_i is)").
 */
function sections(doc: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of readFileSync(join(DOCS, doc), "utf8").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const num = /^(\d+(?:\.\d+)*)\.?\s/.exec(m[1]);
    if (num) out.add(`§${num[1]}`);
    const words = m[1].replace(/^\d+(?:\.\d+)*\.?\s+/, "").split(/\s+/);
    for (let i = 1; i <= words.length; i++) out.add(`"${words.slice(0, i).join(" ")}"`);
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(`#${n === 0 ? base : `${base}-${n}`}`);
  }
  return out;
}

interface Citation { doc: string; section: string | null; from: string }

/**
 * Citations in one text. `docs/<name>.md` always counts; a bare `<name>.md` counts when a doc of that
 * name exists (comments inside the docs' own domain sometimes drop the folder), or, in a doc, when it is a
 * relative markdown link.
 */
function citations(text: string, from: string, inDocs: boolean): Citation[] {
  const out: Citation[] = [];
  const re = /(?<![\w/.-])(docs\/)?([A-Za-z0-9_-]+\.md)(#[\w-]+|(?:`?[ \t]*§[ \t]*\d+(?:\.\d+)*(?:,[ \t]*§[ \t]*\d+(?:\.\d+)*)*)|,[ \t]*"[^"\n]+")?/gu;
  for (const m of text.matchAll(re)) {
    const [, prefix, doc, tail] = m;
    const known = docNames.includes(doc);
    const link = !prefix && text.slice(Math.max(0, (m.index ?? 0) - 2), m.index) === "](";
    const counts = inDocs ? link || known : prefix === "docs/" || known;
    if (!counts) continue;
    if (!tail) out.push({ doc, section: null, from });
    else if (tail.startsWith("#")) out.push({ doc, section: tail, from });
    else if (tail.startsWith(",")) out.push({ doc, section: `"${tail.slice(tail.indexOf('"') + 1, -1)}"`, from });
    else for (const s of tail.matchAll(/§[ \t]*(\d+(?:\.\d+)*)/g)) out.push({ doc, section: `§${s[1]}`, from });
  }
  return out;
}

function sourceCitations(): Citation[] {
  const rootDocs = readdirSync(ROOT).filter((n) => n.endsWith(".md")).map((n) => join(ROOT, n));
  const sources = [...rootDocs, ...FOLDERS.filter((f) => existsSync(join(ROOT, f))).flatMap((f) => [...files(join(ROOT, f))])];
  // This file's own examples are not citations.
  return sources.filter((file) => file !== __filename).flatMap((file) => citations(readFileSync(file, "utf8"), relative(ROOT, file), false));
}

function docCitations(): Citation[] {
  return docNames.flatMap((doc) => citations(readFileSync(join(DOCS, doc), "utf8"), `docs/${doc}`, true));
}

/**
 * Repo source paths a text names (`lib/…`, `app/…`, …), cut at the first character that cannot be in a
 * path and at a glob: `db/schema/*.ts` checks `db/schema/`.
 */
function sourcePaths(text: string): string[] {
  const roots = SOURCE_ROOTS.join("|");
  const re = new RegExp(`(?<![\\w./@-])((?:${roots})/[\\w./()\\[\\]@-]*)`, "g");
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    let p = m[1];
    // A closing parenthesis or a full stop right after a path is prose, not part of it.
    while (/[.)]$/.test(p) && !(p.endsWith(")") && p.split("(").length >= p.split(")").length)) p = p.slice(0, -1);
    out.push(p);
  }
  return out;
}

describe("docs/ references", () => {
  it("every docs/*.md a source file or a root README/ARCHITECTURE cites exists in the repo", () => {
    const cited = sourceCitations();
    expect(cited.length).toBeGreaterThan(0);
    const missing = cited.filter((c) => !existsSync(join(DOCS, c.doc))).map((c) => `docs/${c.doc} (cited in ${c.from})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("every cited section (§N or #anchor) exists in its doc", () => {
    const cited = [...sourceCitations(), ...docCitations()].filter((c) => c.section !== null);
    expect(cited.some((c) => c.section?.startsWith("§"))).toBe(true);
    const missing = cited
      .filter((c) => existsSync(join(DOCS, c.doc)) && !sections(c.doc).has(c.section ?? ""))
      .map((c) => `docs/${c.doc} ${c.section} (cited in ${c.from})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("every doc a doc links to exists", () => {
    const missing = docCitations().filter((c) => !existsSync(join(DOCS, c.doc))).map((c) => `${c.doc} (linked from ${c.from})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("every repo source path a doc or a README names exists", () => {
    // The docs, the root README/ARCHITECTURE and every folder README (lib/analysis/README.md, …).
    const readmes = [
      ...readdirSync(ROOT).filter((n) => n.endsWith(".md")),
      ...FOLDERS.filter((f) => existsSync(join(ROOT, f))).flatMap((f) => [...files(join(ROOT, f))].map((file) => relative(ROOT, file))).filter((f) => f.endsWith("README.md")),
    ];
    expect(readmes).toContain("README.md");
    const missing: string[] = [];
    for (const file of [...docNames.map((d) => `docs/${d}`), ...readmes]) {
      for (const p of sourcePaths(readFileSync(join(ROOT, file), "utf8"))) {
        if (!existsSync(join(ROOT, p))) missing.push(`${p} (named in ${file})`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it("the checks see what they look for", () => {
    expect(citations("see docs/x.md §6, §7 and training-integration.md §2", "t", false)).toEqual([
      { doc: "x.md", section: "§6", from: "t" },
      { doc: "x.md", section: "§7", from: "t" },
      { doc: "training-integration.md", section: "§2", from: "t" },
    ]);
    expect(citations("`docs/x.md` §6", "t", false)).toEqual([{ doc: "x.md", section: "§6", from: "t" }]);
    expect(citations('(docs/x.md, "Rollout JSON")', "t", false)).toEqual([{ doc: "x.md", section: '"Rollout JSON"', from: "t" }]);
    expect(citations("[a](docs/x.md#some-heading) and README.md", "t", false)).toEqual([{ doc: "x.md", section: "#some-heading", from: "t" }]);
    expect(citations("[a](other.md#h) policy.md", "t", true)).toEqual([{ doc: "other.md", section: "#h", from: "t" }]);
    expect(slug("6. The contract WRIT Lab offers (names here are fixed)")).toBe("6-the-contract-writ-lab-offers-names-here-are-fixed");
    expect(sourcePaths("(`lib/a/b.ts`), db/schema/*.ts, app/(saved-views)/v/x. and src/lib/no")).toEqual([
      "lib/a/b.ts",
      "db/schema/",
      "app/(saved-views)/v/x",
    ]);
  });
});
