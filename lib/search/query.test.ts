/**
 * User text → FTS5 expression: never a syntax error in a real FTS5 table (the index's own
 * definition), phrases and prefixes mean what the README says; snippets mark the matched words.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { snippetParts } from "./highlight";
import { parseSearchQuery, toolNameMatch } from "./query";

function ftsTable() {
  const c = new Database(":memory:");
  c.exec(`CREATE VIRTUAL TABLE message_search USING fts5(text, tools, names, content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 2 tokenchars '_'")`);
  const ins = c.prepare(`INSERT INTO message_search (rowid, text, tools, names) VALUES (?, ?, ?, ?)`);
  ins.run(1, "Please cancel my reservation, the weather is bad", null, null);
  ins.run(2, "Reason: café closed", "cancel_reservation {\"reservation_id\":\"ABC123\"}", "cancel_reservation");
  ins.run(3, "my reservation please cancel", null, null);
  return (q: string) => {
    const { match } = parseSearchQuery(q);
    return match === null ? null : (c.prepare(`SELECT rowid FROM message_search WHERE message_search MATCH ? ORDER BY rowid`).pluck().all(match) as number[]);
  };
}

describe("parseSearchQuery", () => {
  const search = ftsTable();
  it("ANDs words, keeps phrases in order, and reads prefixes", () => {
    expect(search("cancel reservation")).toEqual([1, 3]);
    expect(search('"cancel my reservation"')).toEqual([1]);
    expect(search("weath*")).toEqual([1]);
    expect(search("abc123")).toEqual([2]);
    expect(search("cancel_reservation")).toEqual([2]);
    expect(search("cafe")).toEqual([2]);
  });
  it("turns operators, column filters and stray quotes into words, never a syntax error", () => {
    for (const q of ['"unbalanced', "AND", "OR NOT", "names:x", "{text}: y", "(a OR b", "NEAR(a b, 2)", "a*b", "^x", "-x", "'", '""', "+", "*"]) {
      expect(() => search(q), q).not.toThrow();
    }
    // "names:" is not a column filter: the tool name column is never searched by the query.
    expect(search("names:cancel_reservation")).toEqual([]);
    expect(search("   ")).toBeNull();
  });
  it("matches a tool name exactly in the names column", () => {
    expect(toolNameMatch("cancel_reservation")).toBe('names : "cancel_reservation"');
    expect(toolNameMatch("two words")).toBeNull();
  });
});

describe("snippetParts", () => {
  it("marks every matched token around the first match, as text parts", () => {
    const text = `${"x ".repeat(100)}the refund goes to the original payment methods. Do you confirm? ${"y ".repeat(100)}`;
    const parts = snippetParts(text, parseSearchQuery('"original payment"').terms);
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(["original", "payment"]);
    expect(parts[0].text.startsWith("…")).toBe(true);
    expect(parts[parts.length - 1].text.endsWith("…")).toBe(true);
    expect(parts.map((p) => p.text).join("").length).toBeLessThan(text.length);
  });
  it("marks prefix matches and leaves markup as plain text", () => {
    const parts = snippetParts("<b>Weather</b> was bad", parseSearchQuery("weath*").terms);
    expect(parts).toEqual([
      { text: "<b>", mark: false },
      { text: "Weather", mark: true },
      { text: "</b> was bad", mark: false },
    ]);
  });
});
