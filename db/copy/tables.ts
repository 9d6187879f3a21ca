/**
 * What `writ db copy` copies: every table of the schema (db/schema, the one definition both
 * backends derive from), with its columns' storage classes and primary key, in an order that
 * satisfies foreign keys (a referenced table before the tables that reference it).
 */
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { sqliteTables } from "../pg/schema";

export type StorageClass = "integer" | "real" | "text" | "blob";

export interface TableSpec {
  name: string;
  columns: { name: string; type: StorageClass }[];
  /** Column names of the primary key: rows are read, copied and hashed in this order. */
  primaryKey: string[];
}

function spec(table: SQLiteTable): TableSpec {
  const cfg = getTableConfig(table);
  const columns = cfg.columns.map((c) => ({ name: c.name, type: c.getSQLType() as StorageClass }));
  const primaryKey = cfg.columns.filter((c) => c.primary).map((c) => c.name);
  if (primaryKey.length === 0 && cfg.primaryKeys[0]) primaryKey.push(...cfg.primaryKeys[0].columns.map((c) => c.name));
  if (primaryKey.length === 0) throw new Error(`table ${cfg.name} has no primary key: db copy needs one to order rows`);
  return { name: cfg.name, columns, primaryKey };
}

/**
 * Tables in foreign-key order. A self-reference (reward_configs.parent_id) is left to row
 * order: rows go in primary-key order, and a parent is created before its children.
 */
export function copyOrder(tables: readonly SQLiteTable[] = sqliteTables): TableSpec[] {
  const deps = new Map<string, Set<string>>();
  for (const t of tables) {
    const cfg = getTableConfig(t);
    const refs = new Set<string>();
    for (const fk of cfg.foreignKeys) {
      const target = getTableConfig(fk.reference().foreignTable).name;
      if (target !== cfg.name) refs.add(target);
    }
    deps.set(cfg.name, refs);
  }
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const done = new Set<string>();
  const out: TableSpec[] = [];
  const visit = (name: string, path: string[]) => {
    if (done.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign-key cycle: ${[...path, name].join(" -> ")}`);
    for (const d of deps.get(name) ?? []) visit(d, [...path, name]);
    done.add(name);
    const t = byName.get(name);
    if (t) out.push(spec(t));
  };
  for (const name of deps.keys()) visit(name, []);
  return out;
}
