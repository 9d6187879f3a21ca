/**
 * rollout_messages rows of ingested trajectories, written many rows per statement. Same rows
 * as db/queries/rollouts.ts `insertRolloutMessage` (same body text, same message_contents
 * split, same insertion order, hence the same ids and search-index entries), but:
 *  - the body of an inline message is the JSON text events.ts already made for the content
 *    hash (exactly JSON.stringify(message)), not a second serialisation;
 *  - up to ROWS_PER_STATEMENT rows go in one INSERT: a step of 64 × 8 trajectories is ~30,000
 *    rows, and one statement per row (each also firing the message-search trigger) cost about
 *    twice as much.
 * A large tool result goes to message_contents once; the first use of a text in this process
 * checks the stored text, so a hash collision can never attach the wrong content (the rule of
 * db/queries/rollouts.ts, with its own per-connection memory).
 */
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import { contentIdOf } from "../../../db/queries/rollouts";
import type { RolloutClassRecord } from "../../calibration/class-store";
import { writeRolloutClass } from "../../calibration/store/class-rows";
import { splitMessage } from "../../../db/queries/message-body";
import type { Message } from "../../types/messages";

/** 5 parameters a row: 320 per statement, far below SQLite's limit. */
export const ROWS_PER_STATEMENT = 64;
/**
 * Distinct contents remembered per connection (a training run repeats a few thousand tool results).
 * Not a lib/cache createCache cache: the memory belongs to one connection (what it says is
 * stored is only true of that database, and in-memory databases share one name), so it lives
 * and dies with the connection's statements (a WeakMap keyed by the connection), cleared when full.
 */
const MAX_CONTENT_IDS = 16_384;

interface Statements {
  /** INSERT of n rows, built on first use for each n in 1..ROWS_PER_STATEMENT. */
  inserts: (Database.Statement | undefined)[];
  insertContent: Database.Statement;
  getContent: Database.Statement;
  contentIds: Map<string, number | null>;
}

const cache = new WeakMap<Database.Database, Statements>();
function statements(client: Database.Database): Statements {
  let s = cache.get(client);
  if (!s) {
    s = {
      inserts: [],
      insertContent: client.prepare(`INSERT INTO message_contents (id, content) VALUES (?, ?) ON CONFLICT(id) DO NOTHING`),
      getContent: client.prepare(`SELECT content FROM message_contents WHERE id = ?`).pluck(),
      contentIds: new Map(),
    };
    cache.set(client, s);
  }
  return s;
}

function insertOf(client: Database.Database, s: Statements, n: number): Database.Statement {
  let st = s.inserts[n];
  if (!st) {
    const values = new Array<string>(n).fill("(?, ?, ?, ?, ?)").join(", ");
    st = s.inserts[n] = client.prepare(`INSERT INTO rollout_messages (rollout_id, idx, role, body, content_id) VALUES ${values} ON CONFLICT(rollout_id, idx) DO NOTHING`);
  }
  return st;
}

function contentRef(s: Statements, content: string): number | null {
  const known = s.contentIds.get(content);
  if (known !== undefined) return known;
  const id = contentIdOf(content);
  const inserted = s.insertContent.run(id, content).changes === 1;
  const ref = inserted || s.getContent.get(id) === content ? id : null;
  if (s.contentIds.size >= MAX_CONTENT_IDS) s.contentIds.clear();
  s.contentIds.set(content, ref);
  return ref;
}

/**
 * What the rows of one trajectory's messages hold, worked out from the messages: role, the
 * inline body (JSON.stringify of the message, as events.ts made it) and, for a large tool
 * result, the body without content plus the content (stored once if message_contents takes
 * it). Plain strings, so the ingest thread gets it cheaply instead of the message objects.
 */
export interface MessageRowPlan {
  roles: string[];
  bodies: readonly string[];
  splits: ({ body: string; content: string } | null)[];
}

export function planMessageRows(messages: readonly Message[], bodies: readonly string[]): MessageRowPlan {
  return { roles: messages.map((m) => m.role), bodies, splits: messages.map((m) => splitMessage(m)) };
}

/** Inserts the planned messages of each rollout, in order (rollout by rollout, index by index). */
export function insertMessageRows(client: Database.Database, trajectories: readonly { rolloutId: string; plan: MessageRowPlan }[]): void {
  const s = statements(client);
  const params: unknown[] = [];
  let rows = 0;
  const flush = () => {
    if (rows > 0) insertOf(client, s, rows).run(params);
    params.length = 0;
    rows = 0;
  };
  for (const { rolloutId, plan } of trajectories) {
    for (let idx = 0; idx < plan.roles.length; idx++) {
      const split = plan.splits[idx];
      const ref = split ? contentRef(s, split.content) : null;
      if (split && ref !== null) params.push(rolloutId, idx, plan.roles[idx], split.body, ref);
      else params.push(rolloutId, idx, plan.roles[idx], plan.bodies[idx], null);
      if (++rows === ROWS_PER_STATEMENT) flush();
    }
  }
  flush();
}

/** A group's trajectories: their messages in multi-row statements, then their class rows (same rows and order as one by one). */
export function insertTrajectoryRows(db: Db, trajectories: readonly { rolloutId: string; plan: MessageRowPlan }[], classRows: readonly RolloutClassRecord[]): void {
  insertMessageRows(db.$client, trajectories);
  for (const r of classRows) writeRolloutClass(db.$client, r);
}
