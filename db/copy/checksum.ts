/**
 * Content checksum of a table: sha256 over its rows in primary-key order, each value written in
 * one canonical form whichever backend it came from (the PG schema stores SQLite's raw values,
 * db/pg/schema.ts, and db/pg/client.ts returns bigint as number like better-sqlite3), so equal
 * content gives equal digests on SQLite and PostgreSQL.
 */
import { createHash, type Hash } from "node:crypto";

/** One value: a type tag and its text. Numbers use JS's shortest round-trip form (same double, same text). */
export function canonicalValue(v: unknown): string {
  if (v === null || v === undefined) return "N";
  if (typeof v === "number") return "D" + (Object.is(v, -0) ? "0" : String(v));
  if (typeof v === "bigint") return "D" + v.toString();
  if (typeof v === "string") return "T" + JSON.stringify(v);
  if (Buffer.isBuffer(v)) return "B" + v.toString("hex");
  if (v instanceof Uint8Array) return "B" + Buffer.from(v).toString("hex");
  throw new Error(`cannot checksum a value of type ${typeof v}`);
}

export class TableHasher {
  private readonly hash: Hash = createHash("sha256");
  rows = 0;

  update(row: readonly unknown[]): void {
    let line = "";
    for (let i = 0; i < row.length; i++) line += (i ? "\u001f" : "") + canonicalValue(row[i]);
    this.hash.update(line + "\n");
    this.rows++;
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}

export interface TableSummary {
  table: string;
  rows: number;
  sha256: string;
}

/** Throws one error naming every table whose count or checksum differs. */
export function assertSameContent(from: readonly TableSummary[], to: readonly TableSummary[]): void {
  const target = new Map(to.map((t) => [t.table, t]));
  const problems: string[] = [];
  for (const s of from) {
    const t = target.get(s.table);
    if (!t) problems.push(`${s.table}: missing in target`);
    else if (t.rows !== s.rows) problems.push(`${s.table}: row count mismatch (source ${s.rows}, target ${t.rows})`);
    else if (t.sha256 !== s.sha256) problems.push(`${s.table}: checksum mismatch (source ${s.sha256.slice(0, 12)}…, target ${t.sha256.slice(0, 12)}…)`);
  }
  if (problems.length) throw new Error(`copy verification failed: ${problems.join("; ")}`);
}
