/**
 * How a text query finds its page and its count without reading every match (the search's
 * cost for a word in every rollout): the matching messages' rowids are read from one start with
 * a growing LIMIT and grouped into rollouts (index keys) for the page, and the distinct keys
 * alone for the count, which stops past SEARCH_TOTAL_CAP; keys are looked up (experiment, SQL
 * filters) a chunk at a time, only as far as needed. The SQL is in ./store.ts; this module
 * only decides what to read next.
 *
 * Why one start and a growing LIMIT rather than windows of keys: FTS5 streams a posting list
 * from its start cheaply and stops at a LIMIT (the 10,001 distinct keys of a word in every
 * rollout, ~85k postings, in ~10 ms), but a rowid range with an upper bound costs about the
 * whole list even when it holds nothing, and so does a seek far into it (measured on
 * bench/search.ts's 5M-message database: ~50 ms for a frequent word's one-key range).
 */
import { firstRowidOf, splitRowid, type Candidate } from "./store";

/** Candidates of the query passing `keep`: the page after the cursor, and the count (capped for a text query). */
export interface CandidatePage {
  page: Candidate[];
  more: boolean;
  total: number;
  capped: boolean;
}

/** First read of a text scan, in matching messages. */
export const FIRST_READ = 4096;
/** A read grows at most this many times over the previous one (the density seen so far can mislead). */
const MAX_GROWTH = 16;
/** Index keys looked up (experiment, SQL filters) per statement. */
export const KEY_CHUNK = 1024;

/** First index of `xs` (ascending) holding a value ≥ `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface TextScanSource {
  /** Rowids of matching messages from `from` on, at most `limit` (store.ts matchingRowids). */
  rowids(from: number, limit: number): number[];
  /** The first `limit` distinct matching keys (store.ts matchingKeys). */
  keys(limit: number): number[];
  /** Which keys are candidates (experiment, SQL filters): key → rollout id (store.ts keyCandidates). */
  lookup(keys: readonly number[]): Map<number, string>;
  /** The tool filter's keys, or null without one. */
  toolKeys: Set<number> | null;
  /** The in-memory filters (tier, mismatch). */
  keep(c: Candidate): boolean;
  firstRead: number;
  /** First read of the count, in keys (default: the cap + 1). */
  firstKeys?: number;
  keyChunk: number;
}

/**
 * A text query's candidates in key order from rowid `start` on. It reads the matching rowids
 * from that one start with a growing LIMIT (FTS5 streams a posting list from a start cheaply;
 * a far seek or a bounded rowid range costs about the whole list), groups them into keys
 * (rowid >> 20: a key's matches are adjacent), and looks up only as many keys as the caller
 * pulls. A key whose matches may run past the rows read is left for the next read, so `hits`
 * and the first matching message are always the rollout's own. A re-read finds its place by
 * rowid, so messages written meanwhile cannot shift it.
 */
class TextScan {
  private rows: number[] = [];
  private pos = 0;
  /** The rows read so far reach the end of the posting list. */
  private complete = false;
  private limit = 0;
  /** Rowid of the first match not handed to a lookup yet. */
  private resume: number;
  private ready: Candidate[] = [];
  private readyAt = 0;
  private consumedRows = 0;
  private kept = 0;

  constructor(
    private readonly src: TextScanSource,
    private readonly start: number,
  ) {
    this.resume = start;
  }

  /** The next candidate, or null after the last; `want`: about how many more the caller needs (sizes the next read). */
  next(want: number): Candidate | null {
    while (this.readyAt >= this.ready.length) {
      if (!this.lookupChunk(want)) return null;
    }
    return this.ready[this.readyAt++];
  }

  /** Looks up the next chunk of complete keys; false at the end of the posting list. */
  private lookupChunk(want: number): boolean {
    const { rows } = this;
    // Keys are complete up to the last one read, unless the list ended.
    let end = rows.length;
    if (!this.complete) {
      const lastKey = splitRowid(rows[rows.length - 1] ?? -1)[0];
      end = lowerBound(rows, firstRowidOf(lastKey));
    }
    if (this.pos >= end) {
      if (this.complete) return false;
      this.read(want);
      return true;
    }
    const keys: number[] = [];
    const hits: number[] = [];
    const first: number[] = [];
    let at = this.pos;
    while (at < end && keys.length < this.src.keyChunk) {
      const [k, idx] = splitRowid(rows[at]);
      let n = 0;
      while (at < end && splitRowid(rows[at])[0] === k) {
        n++;
        at++;
      }
      if (this.src.toolKeys && !this.src.toolKeys.has(k)) continue;
      keys.push(k);
      hits.push(n);
      first.push(idx);
    }
    this.consumedRows += at - this.pos;
    this.pos = at;
    this.resume = at < rows.length ? rows[at] : firstRowidOf(splitRowid(rows[rows.length - 1])[0] + 1);
    const ids = this.src.lookup(keys);
    this.ready = [];
    this.readyAt = 0;
    keys.forEach((k, i) => {
      const id = ids.get(k);
      if (id === undefined) return;
      const c: Candidate = { k, id, hits: hits[i], firstIdx: first[i] };
      if (this.src.keep(c)) this.ready.push(c);
    });
    this.kept += this.ready.length;
    return true;
  }

  /** Reads further: again from the start, with a limit sized from the density of candidates so far. */
  private read(want: number): void {
    const { firstRead } = this.src;
    if (this.limit === 0) this.limit = firstRead;
    else {
      const density = this.kept / Math.max(1, this.consumedRows);
      const need = density > 0 ? Math.ceil((want / density) * 1.25) : this.limit * 8;
      this.limit = Math.max(this.limit * 2, Math.min(this.consumedRows + need, this.limit * MAX_GROWTH));
    }
    this.rows = this.src.rowids(this.start, this.limit);
    this.complete = this.rows.length < this.limit;
    this.pos = lowerBound(this.rows, this.resume);
  }
}

/** First index of `xs` (ascending) holding a value > `x`. */
const upperBound = (xs: readonly number[], x: number): number => lowerBound(xs, x + 1);

/**
 * Candidates of a text query counted from the first key, up to `cap` + 1 (then it stops): the
 * distinct matching keys are read with a growing LIMIT (store.ts matchingKeys: one row per
 * rollout, no sort) and looked up a chunk at a time. A count needs no hits, so it never reads
 * the postings into JavaScript.
 */
function countCandidates(src: TextScanSource, cap: number): number {
  let limit = src.firstKeys ?? cap + 1;
  let resume = -1;
  let kept = 0;
  let consumed = 0;
  for (;;) {
    const keys = src.keys(limit);
    const ended = keys.length < limit;
    for (let at = upperBound(keys, resume); at < keys.length; ) {
      const chunk = keys.slice(at, at + src.keyChunk);
      at += chunk.length;
      consumed += chunk.length;
      resume = chunk[chunk.length - 1];
      const wanted = src.toolKeys ? chunk.filter((k) => src.toolKeys!.has(k)) : chunk;
      const ids = src.lookup(wanted);
      for (const k of wanted) {
        const id = ids.get(k);
        if (id !== undefined && src.keep({ k, id, hits: 0, firstIdx: null }) && ++kept > cap) return kept;
      }
    }
    if (ended) return kept;
    const density = kept / Math.max(1, consumed);
    const need = density > 0 ? Math.ceil(((cap + 1 - kept) / density) * 1.25) : limit * 8;
    limit = Math.max(limit * 2, Math.min(consumed + need, limit * MAX_GROWTH));
  }
}

/**
 * With text: the count (capped), then the page: the candidates after the cursor, read from the
 * first key or from the cursor's next key on.
 */
export function textPage(src: TextScanSource, after: number, limit: number, cap: number): CandidatePage {
  const counted = countCandidates(src, cap);
  const page: Candidate[] = [];
  if (counted > 0) {
    const scan = new TextScan(src, after < 0 ? 0 : firstRowidOf(Math.floor(after) + 1));
    while (page.length <= limit) {
      const c = scan.next(limit + 1 - page.length);
      if (!c) break;
      page.push(c);
    }
  }
  const capped = counted > cap;
  return { page: page.slice(0, limit), more: page.length > limit, total: capped ? cap : counted, capped };
}
