import { eq, getTableName } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { getTableConfig as getPgTableConfig } from "drizzle-orm/pg-core";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPg } from "../db/pg/client";
import { migratePg, pgMigrationsDir, PG_MIGRATIONS_SCHEMA, PG_MIGRATIONS_TABLE } from "../db/pg/migrate";
import { pgTables, sqliteTables } from "../db/pg/schema";
import { createTestDatabase, pgAvailable, type TestPgDatabase } from "./fixtures/pg";

describe("derived PostgreSQL schema (no server needed)", () => {
  it("has every sqlite table and column, with the storage class mapped", () => {
    expect(sqliteTables.length).toBeGreaterThan(10);
    const map: Record<string, string> = { integer: "bigint", real: "double precision", text: "text", blob: "bytea" };
    for (const table of sqliteTables) {
      const s = getTableConfig(table);
      const p = getPgTableConfig(pgTables[s.name]);
      expect(p.name).toBe(s.name);
      expect(p.columns.map((c) => c.name)).toEqual(s.columns.map((c) => c.name));
      for (const [i, col] of s.columns.entries()) {
        expect(p.columns[i].getSQLType(), `${s.name}.${col.name}`).toBe(map[col.getSQLType()]);
        expect(p.columns[i].notNull, `${s.name}.${col.name} notNull`).toBe(col.notNull);
        expect(p.columns[i].primary, `${s.name}.${col.name} primary`).toBe(col.primary);
      }
      expect(p.primaryKeys.map((k) => k.columns.map((c) => c.name))).toEqual(s.primaryKeys.map((k) => k.columns.map((c) => c.name)));
      expect(p.indexes.map((i) => [i.config.name, i.config.unique])).toEqual(s.indexes.map((i) => [i.config.name, i.config.unique]));
      expect(p.foreignKeys.length).toBe(s.foreignKeys.length);
    }
    expect(Object.keys(pgTables).sort()).toEqual(sqliteTables.map((t) => getTableName(t)).sort());
    // SQLite-only (FTS5, hand-written in db/migrations/0007): not part of the PG schema.
    expect(pgTables.message_search).toBeUndefined();
    expect(pgTables.message_search_rollouts).toBeUndefined();
  });
});

const hasPg = await pgAvailable();

describe.skipIf(!hasPg)("[PostgreSQL] migrations and tables", () => {
  let db: TestPgDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("three concurrent migratePg calls on a fresh database apply each migration once", async () => {
    await Promise.all([migratePg(db.url), migratePg(db.url), migratePg(db.url)]);
    const client = await connectPg(db.url);
    try {
      const rows = (await client.query(`SELECT hash FROM "${PG_MIGRATIONS_SCHEMA}"."${PG_MIGRATIONS_TABLE}"`)).rows as { hash: string }[];
      const expected = readMigrationFiles({ migrationsFolder: pgMigrationsDir() }).map((m) => m.hash);
      expect(rows.map((r) => r.hash).sort()).toEqual([...expected].sort());
      const tables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows as { table_name: string }[];
      expect(tables.map((t) => t.table_name).sort()).toEqual(Object.keys(pgTables).sort());
      // The checked-in migration builds exactly the derived schema (regenerate it when db/schema changes).
      const cols = (
        await client.query(
          `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
        )
      ).rows as { table_name: string; column_name: string; data_type: string; is_nullable: string }[];
      const expectedCols = Object.keys(pgTables)
        .sort()
        .flatMap((name) =>
          getPgTableConfig(pgTables[name]).columns.map((c) => ({
            table_name: name,
            column_name: c.name,
            data_type: c.getSQLType(),
            is_nullable: c.notNull ? "NO" : "YES",
          })),
        );
      expect(cols.sort((a, b) => (a.table_name < b.table_name ? -1 : a.table_name > b.table_name ? 1 : 0))).toEqual(expectedCols);
    } finally {
      await client.end();
    }
    await migratePg(db.url); // a later start finds everything applied
  });

  it("a row written through the derived tables reads back equal (raw SQLite-style values)", async () => {
    await migratePg(db.url);
    const client = await connectPg(db.url);
    try {
      const pgdb = drizzle(client);
      const jobs = pgTables.jobs;
      const row = { name: "demo.noop", payload: JSON.stringify({ a: [1, 2], b: "é" }), status: "queued", priority: -3, runAt: 1_733_000_000_123 };
      const [inserted] = await pgdb
        .insert(jobs)
        .values({ name: row.name, payload: row.payload, status: row.status, priority: row.priority, run_at: row.runAt, cancel_requested: 0 })
        .returning();
      expect(typeof inserted.id).toBe("number");
      const [back] = await pgdb.select().from(jobs).where(eq(jobs.id, inserted.id));
      expect(back).toEqual(inserted);
      expect(back.payload).toBe(row.payload);
      expect(back.run_at).toBe(row.runAt);
      expect(back.priority).toBe(-3);
      expect(back.cancel_requested).toBe(0);
      expect(back.attempts).toBe(0);
      expect(back.max_attempts).toBe(5);
      expect(Math.abs(Number(back.created_at) - Date.now())).toBeLessThan(60_000);

      const env = await pgdb.insert(pgTables.environments).values({ name: "e", source_kind: "generated", seed: 7 }).returning();
      const ts = await pgdb.insert(pgTables.task_sets).values({ name: "ts", environment_id: env[0].id, source: "generated" }).returning();
      expect(ts[0].task_count).toBe(0);
      const exp = await pgdb
        .insert(pgTables.experiments)
        .values({ name: "x", task_set_id: ts[0].id, agent_config: "{}", user_config: "{}", group_size: 1, max_turns: 4, max_errors: 3 })
        .returning();
      expect(exp[0].temperature).toBe(0);
    } finally {
      await client.end();
    }
  });
});
