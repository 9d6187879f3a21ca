/**
 * Rows of the derived PostgreSQL tables (db/pg/schema.ts) hold SQLite's raw values: JSON as
 * text, booleans as 0/1, times as integer ms, under the snake_case column names. These two
 * functions turn such a row into the typed object the SQLite side's drizzle queries return
 * (camelCase keys, parsed JSON, booleans) and back, through the sqlite-core columns' own
 * mappers, so a store written for PostgreSQL hands the domain exactly the row type it gets
 * from SQLite.
 */
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { InferSelectModel } from "drizzle-orm";

interface ColumnMap {
  /** snake_case column name -> [camelCase key, mapper from the driver value] */
  fromDb: Map<string, [string, (v: unknown) => unknown]>;
  /** camelCase key -> [snake_case column name, mapper to the driver value] */
  toDb: Map<string, [string, (v: unknown) => unknown]>;
}

const maps = new WeakMap<SQLiteTable, ColumnMap>();

function columnMap(table: SQLiteTable): ColumnMap {
  let m = maps.get(table);
  if (m) return m;
  m = { fromDb: new Map(), toDb: new Map() };
  const columns = table as unknown as Record<string, unknown>;
  for (const col of getTableConfig(table).columns) {
    const key = Object.keys(columns).find((k) => columns[k] === col);
    if (!key) continue;
    m.fromDb.set(col.name, [key, (v) => (v === null || v === undefined ? null : col.mapFromDriverValue(v))]);
    m.toDb.set(key, [col.name, (v) => (v === null || v === undefined ? null : col.mapToDriverValue(v))]);
  }
  maps.set(table, m);
  return m;
}

/** A PG row (snake_case, raw values) as the SQLite schema's row type. */
export function fromPgRow<T extends SQLiteTable>(table: T, row: Record<string, unknown>): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [name, [key, map]] of columnMap(table).fromDb) if (name in row) out[key] = map(row[name]);
  return out as InferSelectModel<T>;
}

/** Typed values (camelCase) as raw PG column values by snake_case name; unknown keys throw. */
export function toPgValues<T extends SQLiteTable>(table: T, values: Partial<InferSelectModel<T>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const toDb = columnMap(table).toDb;
  for (const [key, value] of Object.entries(values)) {
    const entry = toDb.get(key);
    if (!entry) throw new Error(`db/pg/rows.ts: ${getTableConfig(table).name} has no column for key ${key}`);
    out[entry[0]] = entry[1](value);
  }
  return out;
}
