/**
 * The stores' drizzle queries, written once against the SQLite schema (db/schema), run on
 * PostgreSQL through drizzle's sqlite-proxy driver: drizzle builds the SQL (SQLite dialect) and
 * maps rows with the same column mappers; this module sends the statement to PostgreSQL.
 *
 * Why this works: the PostgreSQL tables are derived from the SQLite schema with the same names
 * and the same raw values (db/pg/schema.ts: JSON as text, booleans 0/1, ms integers), and the
 * statements drizzle's SQLite dialect emits for selects, inserts (incl. RETURNING and ON
 * CONFLICT … DO UPDATE … excluded.x), updates and deletes are valid PostgreSQL once the `?`
 * placeholders are numbered. Hand-written SQL fragments that use SQLite-only functions
 * (`max(a, b)` as a scalar, json_extract, group_concat, ifnull, strftime) are not translated:
 * a store that needs them keeps a PostgreSQL spelling of its own.
 *
 * Rows travel as arrays (drizzle maps them to the selected fields by position), so a raw
 * `db.all(sql…)` / `db.get(sql…)` without fields returns arrays here but objects on
 * better-sqlite3: code that runs on both selects `{ name: sql<T>… }` fields instead.
 * Aggregates differ in type: PostgreSQL's sum/avg are numeric (text in node-postgres) where
 * SQLite's are numbers, so such a field is read with `.mapWith(Number)`.
 *
 * `run` answers `{ changes }` like better-sqlite3's RunResult, so `(await q.run()).changes`
 * reads the same on both backends. Transactions pin one pooled connection (withPgTransaction):
 * the proxy's own `db.transaction` would send BEGIN and the body's statements through the
 * pool on different connections.
 */
import { drizzle, type SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type pg from "pg";
import { createCache } from "../../lib/cache/lru";
import { isPgTransient } from "../../lib/errors/pg-transient";
import * as schema from "../schema";

export type PgSqliteDb = SqliteRemoteDatabase<typeof schema>;

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/** `?` placeholders outside quoted strings and identifiers become $1, $2, … */
export function numberPlaceholders(text: string): string {
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      out += ch;
      if (ch === quote) {
        // A doubled quote inside a string or identifier is an escaped quote, not the end.
        if (text[i + 1] === quote) out += text[++i];
        else quote = null;
      }
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The SQLite spelling of db/schema/columns.ts `nowMs`, which drizzle inlines into inserts. */
const SQLITE_NOW_MS = "(cast(unixepoch('subsec') * 1000 as integer))";
const PG_NOW_MS = "((extract(epoch from clock_timestamp()) * 1000)::bigint)";

/**
 * The few places where drizzle's SQLite dialect is not valid PostgreSQL:
 * - `?` placeholders → `$n`;
 * - the conflict target of an upsert is written table-qualified (`on conflict ("t"."id")`),
 *   which PostgreSQL rejects: the qualifier is dropped;
 * - a column's SQL default (nowMs) is inlined into inserts: its PostgreSQL spelling replaces it;
 * - a multi-row insert writes `null` for a column a row leaves out (SQLite then assigns an
 *   INTEGER PRIMARY KEY); PostgreSQL needs `default` there (an identity column rejects NULL).
 *   Values a caller gives, null included, are bound as parameters, so a literal null in the
 *   VALUES list is always an omitted column.
 */
export function sqliteToPgStatement(text: string): string {
  let out = text.replace(/on conflict \(([^)]*)\)/g, (_, cols: string) => `on conflict (${cols.replace(/"[^"]+"\./g, "")})`);
  out = out.replaceAll(SQLITE_NOW_MS, PG_NOW_MS);
  if (out.startsWith("insert into ")) {
    const start = out.indexOf(" values (");
    if (start !== -1) {
      const tail = out.slice(start).search(/ on conflict | returning /);
      const end = tail === -1 ? out.length : start + tail;
      out = out.slice(0, start) + out.slice(start, end).replace(/\bnull\b/g, "default") + out.slice(end);
    }
  }
  return numberPlaceholders(out);
}

const translated = createCache<string>({
  name: "db.pg-statements",
  maxEntries: 4096,
  purpose: "PostgreSQL spellings of the SQLite-dialect statements drizzle builds (one per query shape)",
});
function toPg(text: string): string {
  let t = translated.get(text);
  if (t === undefined) {
    t = sqliteToPgStatement(text);
    translated.set(text, t);
  }
  return t;
}

/** Which pool or transaction connection a proxy handle sends its statements to (transactionOnPg). */
const connections = new WeakMap<object, { pool?: pg.Pool }>();

export function isPgSqliteDb(db: object): boolean {
  return connections.has(db);
}

export function sqliteDialectOnPg(conn: Queryable): PgSqliteDb {
  const db = drizzle(
    async (text, params, method) => {
      const sql = toPg(text);
      if (method === "run") {
        const r = await conn.query(sql, params);
        return { rows: [], changes: r.rowCount ?? 0 } as { rows: unknown[] };
      }
      const r = await conn.query({ text: sql, values: params, rowMode: "array" });
      return { rows: method === "get" ? (r.rows[0] as unknown[]) : r.rows };
    },
    { schema },
  );
  const isPool = "connect" in conn && typeof (conn as pg.Pool).connect === "function" && !("release" in conn);
  connections.set(db, isPool ? { pool: conn as pg.Pool } : {});
  return db;
}

/** A transaction on a pool handle: one pinned connection. Transaction bodies do not nest. */
export async function transactionOnPg<T>(db: PgSqliteDb, body: (tx: PgSqliteDb) => Promise<T>): Promise<T> {
  const conn = connections.get(db);
  if (!conn) throw new Error("transactionOnPg: not a PostgreSQL handle");
  if (!conn.pool) throw new Error("transactions do not nest: this handle is already a transaction's");
  return withPgTransaction(conn.pool, (tx) => body(tx));
}

/**
 * Runs `body` in one PostgreSQL transaction on one pooled connection; commits when it resolves,
 * rolls back when it throws. `durable`: commit with synchronous_commit on even where the pool's
 * connections commit without waiting for fsync (db/pg/client.ts).
 */
export async function withPgTransaction<T>(
  pool: pg.Pool,
  body: (tx: PgSqliteDb, client: pg.PoolClient) => Promise<T>,
  options: { durable?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    if (options.durable) await client.query("SET LOCAL synchronous_commit = on");
    const out = await body(sqliteDialectOnPg(client), client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    broken = isPgTransient(err);
    throw err;
  } finally {
    // A connection that failed is destroyed, not handed to the next caller.
    client.release(broken);
  }
}
