/**
 * Snippets of a matched message as marked/unmarked text parts (the client renders them as
 * text nodes, never HTML). The index is contentless, so FTS5's snippet() has nothing to cut
 * from; the page's few messages are re-tokenised here with the index's token rule instead.
 * Pure.
 */
import { normaliseToken, type SearchTerm } from "./query";

export interface SnippetPart {
  text: string;
  mark: boolean;
}

const TOKEN = /[\p{L}\p{N}_]+/gu;
const CONTEXT = 70;

function termMatcher(terms: readonly SearchTerm[]): (token: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const t of terms) {
    t.tokens.forEach((tok, i) => (t.prefix && i === t.tokens.length - 1 ? prefixes.push(tok) : exact.add(tok)));
  }
  return (token) => {
    const n = normaliseToken(token);
    return exact.has(n) || prefixes.some((p) => n.startsWith(p));
  };
}

/**
 * The text around the first matched token (about ±70 characters, cut at whitespace), with
 * every matched token in the window marked. No match (or no terms): the text's start, unmarked.
 */
export function snippetParts(text: string, terms: readonly SearchTerm[], maxChars = 2 * CONTEXT + 40): SnippetPart[] {
  const isMatch = termMatcher(terms);
  const spans: [number, number][] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (isMatch(m[0])) spans.push([m.index, m.index + m[0].length]);
  }
  let start = 0;
  if (spans.length) start = Math.max(0, spans[0][0] - CONTEXT);
  let end = Math.min(text.length, start + maxChars);
  if (start > 0) {
    const ws = text.indexOf(" ", start);
    if (ws !== -1 && ws < (spans[0]?.[0] ?? end)) start = ws + 1;
  }
  if (end < text.length) {
    const ws = text.lastIndexOf(" ", end);
    if (ws > (spans[0]?.[1] ?? start)) end = ws;
  }
  const parts: SnippetPart[] = [];
  const push = (s: string, mark: boolean) => {
    if (!s) return;
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += s;
    else parts.push({ text: s, mark });
  };
  if (start > 0) push("…", false);
  let at = start;
  for (const [a, b] of spans) {
    if (b <= start || a >= end) continue;
    push(text.slice(at, a), false);
    push(text.slice(a, b), true);
    at = b;
  }
  push(text.slice(at, end), false);
  if (end < text.length) push("…", false);
  return parts;
}
