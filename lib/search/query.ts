/**
 * A researcher's search text → an FTS5 MATCH expression that can never be a syntax error,
 * plus the terms the snippet highlighter marks.
 *
 * Accepted: words (all must occur in the message: implicit AND), "quoted phrases", and a
 * trailing `*` on a word for a prefix (`cancel*`). Everything else (FTS5 operators, column
 * filters, parentheses, stray quotes) is read as plain text: each word is split into the
 * tokens the index's tokenizer makes (letters, digits and `_`) and quoted, so user input is
 * data, never FTS5 syntax. Pure: no database.
 */

/** The index's token characters: unicode61 letters and numbers, plus `_` (tokenchars '_'). */
const TOKEN = /[\p{L}\p{N}_]+/gu;

export interface SearchTerm {
  /** Tokens of the word or phrase, normalised as the index stores them. */
  tokens: string[];
  /** The last token is a prefix (`cancel*`). */
  prefix: boolean;
}

export interface ParsedQuery {
  /** FTS5 MATCH expression over the text and tool-call columns, or null when nothing searchable was typed. */
  match: string | null;
  terms: SearchTerm[];
}

/** Lower case without diacritics: what unicode61 with remove_diacritics compares. */
export function normaliseToken(s: string): string {
  return s.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

export function tokenize(s: string): string[] {
  return (s.match(TOKEN) ?? []).map(normaliseToken).filter(Boolean);
}

/** Quote a token for FTS5 (a string: inner quotes doubled; tokens never contain one anyway). */
const quote = (tokens: string[]) => `"${tokens.join(" ").replace(/"/g, '""')}"`;

export function parseSearchQuery(input: string): ParsedQuery {
  const terms: SearchTerm[] = [];
  // "phrase" | word[*]
  const unit = /"([^"]*)"|(\S+)/g;
  for (const m of input.matchAll(unit)) {
    if (m[1] !== undefined) {
      const tokens = tokenize(m[1]);
      if (tokens.length) terms.push({ tokens, prefix: false });
      continue;
    }
    const word = m[2];
    const tokens = tokenize(word);
    if (!tokens.length) continue;
    terms.push({ tokens, prefix: /[\p{L}\p{N}_]\*$/u.test(word) });
  }
  if (!terms.length) return { match: null, terms };
  const expr = terms.map((t) => quote(t.tokens) + (t.prefix ? "*" : "")).join(" AND ");
  return { match: `{text tools} : (${expr})`, terms };
}

/** MATCH expression of "this message called tool `name`" (exact name: one token in the names column). */
export function toolNameMatch(name: string): string | null {
  const tokens = tokenize(name);
  if (tokens.length !== 1) return null;
  return `names : ${quote(tokens)}`;
}
