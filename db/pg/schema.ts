/**
 * The PostgreSQL tables, DERIVED from the SQLite schema in db/schema (the one definition of
 * every table): same table and column names, same constraints, storage class mapped
 * integer -> bigint (number mode), real -> double precision, text -> text, blob -> bytea.
 *
 * Stored values are the SAME raw values as in SQLite: JSON stays text, booleans stay 0/1
 * integers, times stay integer milliseconds. No jsonb / boolean / timestamptz in this slice,
 * so a row read from either backend canonicalises to the same bytes (db/copy/checksum.ts)
 * and the sqlite-core column mappers (JSON, boolean) do not run on the PG side: callers of
 * these tables pass and get the raw driver values.
 *
 * Not here: the SQLite FTS5 index (message_search, message_search_rollouts and their
 * triggers, hand-written in db/migrations/0007_message_search.sql) is SQLite-only; a
 * PostgreSQL search index is later work of issue 19.
 *
 * drizzle-kit reads these tables through db/pg/kit-schema.ts (drizzle.pg.config.ts).
 */
import { is, SQL, sql } from "drizzle-orm";
import {
  bigint,
  check,
  customType,
  doublePrecision,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  type PgColumn,
  type PgTableWithColumns,
  type PgColumnBuilderBase,
} from "drizzle-orm/pg-core";
import { getTableConfig, SQLiteTable, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import * as sqliteSchema from "../schema";
import { nowMs } from "../schema/columns";

/** PostgreSQL has no drizzle builder for bytea in pg-core; Buffers go in and come out as-is. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** The PG spelling of db/schema/columns.ts `nowMs`: integer ms since the epoch at insert time. */
export const pgNowMs = sql`((extract(epoch from clock_timestamp()) * 1000)::bigint)`;

/** Every sqlite table of db/schema, in the order db/schema/index.ts exports them. */
export const sqliteTables: SQLiteTable[] = Object.values(sqliteSchema as Record<string, unknown>).filter(
  (v): v is SQLiteTable => is(v, SQLiteTable),
);

/**
 * The column-builder methods used here. Declared as methods (bivariant parameters) so every
 * drizzle builder kind (bigint, double precision, text, bytea) fits one variable.
 */
type ColumnChain = PgColumnBuilderBase & {
  notNull(): ColumnChain;
  primaryKey(): ColumnChain;
  default(value: unknown): ColumnChain;
  unique(name?: string): ColumnChain;
};

export type DerivedPgTable = PgTableWithColumns<{
  name: string;
  schema: undefined;
  columns: Record<string, PgColumn>;
  dialect: "pg";
}>;

/** name -> derived PG table; filled below, read lazily by foreign keys (drizzle calls extra-config late). */
export const pgTables: Record<string, DerivedPgTable> = {};

function sqlDefault(col: SQLiteColumn): SQL {
  if (col.default === nowMs) return pgNowMs;
  // A new SQL default must be spelled for PostgreSQL here; failing beats dropping it.
  throw new Error(`db/pg/schema.ts: no PostgreSQL spelling for the SQL default of column ${col.name}`);
}

function columnBuilder(col: SQLiteColumn, singleIntegerPk: boolean): PgColumnBuilderBase {
  const type = col.getSQLType();
  let b: ColumnChain;
  // An INTEGER PRIMARY KEY is SQLite's rowid: assigned when omitted. Identity BY DEFAULT does
  // the same and still accepts explicit ids (copies); db/copy resets the sequence afterwards.
  if (singleIntegerPk && type === "integer") b = bigint(col.name, { mode: "number" }).generatedByDefaultAsIdentity();
  else if (type === "integer") b = bigint(col.name, { mode: "number" });
  else if (type === "real") b = doublePrecision(col.name);
  else if (type === "text") b = text(col.name);
  else if (type === "blob") b = bytea(col.name);
  else throw new Error(`db/pg/schema.ts: unmapped SQLite type ${type} of column ${col.name}`);
  if (col.notNull) b = b.notNull();
  if (col.primary) b = b.primaryKey();
  if (col.default !== undefined) {
    // Literal defaults go through the sqlite column's own mapper, so JSON `[]` is stored as the
    // text '[]' and boolean false as 0: the raw value SQLite stores.
    b = b.default(is(col.default, SQL) ? sqlDefault(col) : col.mapToDriverValue(col.default));
  }
  if (col.isUnique) b = b.unique(col.uniqueName);
  return b;
}

function derive(table: SQLiteTable): DerivedPgTable {
  const cfg = getTableConfig(table);
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const col of cfg.columns) columns[col.name] = columnBuilder(col, col.primary && col.getSQLType() === "integer");
  return pgTable(cfg.name, columns, (t) => {
    const c = (col: SQLiteColumn | SQL): PgColumn => {
      if (is(col, SQL)) throw new Error(`db/pg/schema.ts: expression index on ${cfg.name} needs a PG spelling`);
      return t[col.name];
    };
    const extras = [];
    for (const pk of cfg.primaryKeys) extras.push(primaryKey({ name: pk.getName(), columns: pk.columns.map(c) as [PgColumn, ...PgColumn[]] }));
    for (const uq of cfg.uniqueConstraints) extras.push(unique(uq.getName()).on(...(uq.columns.map(c) as [PgColumn, ...PgColumn[]])));
    for (const idx of cfg.indexes) {
      const ic = idx.config;
      const cols = ic.columns.map(c) as [PgColumn, ...PgColumn[]];
      let built = (ic.unique ? uniqueIndex(ic.name) : index(ic.name)).on(...cols);
      if (ic.where) built = built.where(ic.where);
      extras.push(built);
    }
    for (const ck of cfg.checks) extras.push(check(ck.name, ck.value));
    for (const fk of cfg.foreignKeys) {
      const ref = fk.reference();
      const foreignName = getTableConfig(ref.foreignTable).name;
      const built = foreignKey({
        name: fk.getName(),
        columns: ref.columns.map(c) as [PgColumn, ...PgColumn[]],
        // Lazy: the referenced table may be derived after this one (or be this one).
        foreignColumns: ref.foreignColumns.map((fc) => (foreignName === cfg.name ? t : pgTables[foreignName])[fc.name]) as [PgColumn, ...PgColumn[]],
      });
      if (fk.onDelete) built.onDelete(fk.onDelete);
      if (fk.onUpdate) built.onUpdate(fk.onUpdate);
      extras.push(built);
    }
    return extras;
  });
}

for (const table of sqliteTables) pgTables[getTableConfig(table).name] = derive(table);
