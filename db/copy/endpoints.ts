/**
 * The two ends of `writ db copy`: a SQLite file or a postgres:// URL, behind one small
 * interface. Both are migrated to the current schema when opened (SQLite through openDb,
 * PostgreSQL through migratePg), so source and target have the same tables and columns.
 * Reads run in one snapshot (a read transaction) so the copy and its checksums see one state;
 * writes run in one transaction so a failed copy leaves the target empty.
 */
import type Database from "better-sqlite3";
import { existsSync } from "node:fs";
import type pg from "pg";
import { closeDb, openDb, resolveDbPath, type Db } from "../client";
import { connectPg, isPgUrl } from "../pg/client";
import { migratePg } from "../pg/migrate";
import type { TableSpec } from "./tables";

export type Row = unknown[];

export interface Endpoint {
  kind: "sqlite" | "pg";
  /** For messages: the file path, or the URL without its password. */
  label: string;
  count(table: TableSpec): Promise<number>;
  /** Rows as arrays in the spec's column order, in primary-key order, `batch` at a time. */
  read(table: TableSpec, batch: number): AsyncIterable<Row[]>;
  beginRead(): Promise<void>;
  endRead(): Promise<void>;
  beginWrite(): Promise<void>;
  insert(table: TableSpec, rows: Row[]): Promise<void>;
  /** After a table's rows are in (PG: move identity sequences past the copied ids). */
  finishTable(table: TableSpec): Promise<void>;
  commitWrite(): Promise<void>;
  rollbackWrite(): Promise<void>;
  close(): Promise<void>;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/** Open a source (must exist) or a target (a SQLite file is created). */
export async function openEndpoint(spec: string, role: "source" | "target"): Promise<Endpoint> {
  if (isPgUrl(spec)) {
    await migratePg(spec);
    return new PgEndpoint(await connectPg(spec), redactUrl(spec));
  }
  const file = resolveDbPath(spec);
  if (role === "source" && (file === ":memory:" || !existsSync(file))) throw new Error(`source database ${spec} does not exist`);
  return new SqliteEndpoint(openDb(file), file);
}

class SqliteEndpoint implements Endpoint {
  readonly kind = "sqlite" as const;
  private readonly c: Database.Database;
  constructor(
    private readonly db: Db,
    readonly label: string,
  ) {
    this.c = db.$client;
  }

  async count(t: TableSpec): Promise<number> {
    return (this.c.prepare(`SELECT count(*) AS n FROM ${q(t.name)}`).get() as { n: number }).n;
  }

  async *read(t: TableSpec, batch: number): AsyncIterable<Row[]> {
    const stmt = this.c
      .prepare(`SELECT ${t.columns.map((c) => q(c.name)).join(", ")} FROM ${q(t.name)} ORDER BY ${t.primaryKey.map(q).join(", ")}`)
      .raw(true);
    let rows: Row[] = [];
    for (const row of stmt.iterate() as IterableIterator<Row>) {
      rows.push(row);
      if (rows.length >= batch) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length) yield rows;
  }

  async beginRead(): Promise<void> {
    this.c.exec("BEGIN");
  }
  async endRead(): Promise<void> {
    if (this.c.inTransaction) this.c.exec("COMMIT");
  }
  async beginWrite(): Promise<void> {
    this.c.exec("BEGIN IMMEDIATE");
  }

  private readonly inserts = new Map<string, Database.Statement>();
  async insert(t: TableSpec, rows: Row[]): Promise<void> {
    let stmt = this.inserts.get(t.name);
    if (!stmt) {
      stmt = this.c.prepare(
        `INSERT INTO ${q(t.name)} (${t.columns.map((c) => q(c.name)).join(", ")}) VALUES (${t.columns.map(() => "?").join(", ")})`,
      );
      this.inserts.set(t.name, stmt);
    }
    for (const row of rows) stmt.run(row);
  }
  async finishTable(): Promise<void> {}
  async commitWrite(): Promise<void> {
    this.c.exec("COMMIT");
  }
  async rollbackWrite(): Promise<void> {
    if (this.c.inTransaction) this.c.exec("ROLLBACK");
  }
  async close(): Promise<void> {
    closeDb(this.db);
  }

  /** SQLite only: the FTS index rows the insert triggers made (db/migrations/0007). */
  searchIndexCounts(): { indexedRollouts: number; rolloutsWithMessages: number } {
    const indexedRollouts = (this.c.prepare("SELECT count(*) AS n FROM message_search_rollouts").get() as { n: number }).n;
    const rolloutsWithMessages = (
      this.c.prepare("SELECT count(DISTINCT rollout_id) AS n FROM rollout_messages WHERE idx < 1048576").get() as { n: number }
    ).n;
    return { indexedRollouts, rolloutsWithMessages };
  }
}

export function isSqliteEndpoint(e: Endpoint): e is SqliteEndpoint {
  return e instanceof SqliteEndpoint;
}

/** PG's largest statement has 65535 parameters; stay well below with at most 1000 rows. */
const PG_MAX_PARAMS = 60_000;

class PgEndpoint implements Endpoint {
  readonly kind = "pg" as const;
  constructor(
    private readonly c: pg.Client,
    readonly label: string,
  ) {}

  async count(t: TableSpec): Promise<number> {
    const r = await this.c.query(`SELECT count(*)::int AS n FROM ${q(t.name)}`);
    return (r.rows[0] as { n: number }).n;
  }

  /** Text keys order as bytes (COLLATE "C"), which is SQLite's BINARY order on UTF-8: same row order, same checksum. */
  async *read(t: TableSpec, batch: number): AsyncIterable<Row[]> {
    const types = new Map(t.columns.map((c) => [c.name, c.type]));
    const order = t.primaryKey.map((k) => (types.get(k) === "text" ? `${q(k)} COLLATE "C"` : q(k))).join(", ");
    const cursor = q(`copy_${t.name}`);
    await this.c.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${t.columns.map((c) => q(c.name)).join(", ")} FROM ${q(t.name)} ORDER BY ${order}`,
    );
    try {
      for (;;) {
        const r = await this.c.query<Row>({ text: `FETCH FORWARD ${batch} FROM ${cursor}`, rowMode: "array" });
        if (r.rows.length === 0) break;
        yield r.rows;
      }
    } finally {
      await this.c.query(`CLOSE ${cursor}`);
    }
  }

  async beginRead(): Promise<void> {
    await this.c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  async endRead(): Promise<void> {
    await this.c.query("COMMIT");
  }
  async beginWrite(): Promise<void> {
    await this.c.query("BEGIN");
  }

  async insert(t: TableSpec, rows: Row[]): Promise<void> {
    const n = t.columns.length;
    const per = Math.max(1, Math.floor(PG_MAX_PARAMS / n));
    const cols = t.columns.map((c) => q(c.name)).join(", ");
    for (let start = 0; start < rows.length; start += per) {
      const chunk = rows.slice(start, start + per);
      const values: unknown[] = [];
      const tuples = chunk.map((row, r) => {
        for (const v of row) values.push(v);
        return "(" + row.map((_, i) => `$${r * n + i + 1}`).join(", ") + ")";
      });
      await this.c.query(`INSERT INTO ${q(t.name)} (${cols}) VALUES ${tuples.join(", ")}`, values);
    }
  }

  async finishTable(t: TableSpec): Promise<void> {
    if (t.primaryKey.length !== 1) return;
    const key = t.primaryKey[0];
    const r = await this.c.query(`SELECT pg_get_serial_sequence($1, $2) AS seq`, [q(t.name), key]);
    const seq = (r.rows[0] as { seq: string | null }).seq;
    if (!seq) return;
    await this.c.query(
      `SELECT setval($1, coalesce((SELECT max(${q(key)}) FROM ${q(t.name)}), 0) + 1, false)`,
      [seq],
    );
  }

  async commitWrite(): Promise<void> {
    await this.c.query("COMMIT");
  }
  async rollbackWrite(): Promise<void> {
    await this.c.query("ROLLBACK").catch(() => {});
  }
  async close(): Promise<void> {
    await this.c.end();
  }
}
