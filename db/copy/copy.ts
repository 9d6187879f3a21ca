/**
 * `writ db copy`: copy a whole database between SQLite files and PostgreSQL (either
 * direction, or SQLite to SQLite), then prove the copy: per table, the row count and a
 * sha256 over the rows in primary-key order (db/copy/checksum.ts) must be equal on both
 * sides, else it fails loudly naming the tables.
 *
 * Steps: open (and migrate) both ends; refuse a target whose tables hold rows; copy table by
 * table in foreign-key order (db/copy/tables.ts), in batches, inside one read snapshot of the
 * source and one write transaction on the target (a failed copy leaves the target empty);
 * the source checksum is computed while its rows stream past; then the target is read back
 * and hashed. Into SQLite, the FTS search index fills through its insert triggers
 * (db/migrations/0007), and the copy checks that every rollout with messages got indexed.
 */
import { assertSameContent, TableHasher, type TableSummary } from "./checksum";
import { isSqliteEndpoint, openEndpoint, type Endpoint } from "./endpoints";
import { silentProgress, type CopyProgress } from "./progress";
import { copyOrder, type TableSpec } from "./tables";

export const COPY_BATCH_ROWS = 2000;

export interface CopyOptions {
  progress?: CopyProgress;
  batchRows?: number;
}

export interface CopyReport {
  from: string;
  to: string;
  tables: TableSummary[];
  rows: number;
  seconds: number;
  /** Into SQLite only: rollouts in the FTS index / rollouts that have messages. */
  searchIndex?: { indexedRollouts: number; rolloutsWithMessages: number };
}

export async function copyDatabase(from: string, to: string, options: CopyOptions = {}): Promise<CopyReport> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const batch = options.batchRows ?? COPY_BATCH_ROWS;
  const tables = copyOrder();
  const source = await openEndpoint(from, "source");
  let target: Endpoint | undefined;
  try {
    target = await openEndpoint(to, "target");
    await refuseNonEmpty(target, tables);
    const sourceSums = await copyTables(source, target, tables, batch, progress);
    const targetSums = await checksumEndpoint(target, tables, batch);
    assertSameContent(sourceSums, targetSums);
    const report: CopyReport = {
      from: source.label,
      to: target.label,
      tables: targetSums,
      rows: targetSums.reduce((n, t) => n + t.rows, 0),
      seconds: 0,
    };
    if (isSqliteEndpoint(target)) {
      report.searchIndex = target.searchIndexCounts();
      const { indexedRollouts, rolloutsWithMessages } = report.searchIndex;
      if (indexedRollouts !== rolloutsWithMessages)
        throw new Error(`search index incomplete: ${indexedRollouts} of ${rolloutsWithMessages} rollouts with messages indexed`);
    }
    report.seconds = Math.round((performance.now() - started) / 10) / 100;
    return report;
  } finally {
    await target?.close();
    await source.close();
  }
}

async function refuseNonEmpty(target: Endpoint, tables: readonly TableSpec[]): Promise<void> {
  const busy: string[] = [];
  for (const t of tables) {
    const n = await target.count(t);
    if (n > 0) busy.push(`${t.name} (${n} rows)`);
  }
  if (busy.length)
    throw new Error(`target ${target.label} is not empty: ${busy.join(", ")}; db copy only writes into an empty database`);
}

async function copyTables(
  source: Endpoint,
  target: Endpoint,
  tables: readonly TableSpec[],
  batch: number,
  progress: CopyProgress,
): Promise<TableSummary[]> {
  const sums: TableSummary[] = [];
  await source.beginRead();
  try {
    await target.beginWrite();
    try {
      for (const t of tables) {
        const total = await source.count(t);
        progress.start(t.name, total);
        const hasher = new TableHasher();
        for await (const rows of source.read(t, batch)) {
          for (const row of rows) hasher.update(row);
          await target.insert(t, rows);
          progress.update(hasher.rows);
        }
        await target.finishTable(t);
        progress.finish();
        sums.push({ table: t.name, rows: hasher.rows, sha256: hasher.digest() });
      }
      await target.commitWrite();
    } catch (err) {
      await target.rollbackWrite();
      throw err;
    }
  } finally {
    await source.endRead();
  }
  return sums;
}

/** Row count and content checksum of every table, read in one snapshot. */
export async function checksumEndpoint(
  endpoint: Endpoint,
  tables: readonly TableSpec[] = copyOrder(),
  batch = COPY_BATCH_ROWS,
): Promise<TableSummary[]> {
  const sums: TableSummary[] = [];
  await endpoint.beginRead();
  try {
    for (const t of tables) {
      const hasher = new TableHasher();
      for await (const rows of endpoint.read(t, batch)) for (const row of rows) hasher.update(row);
      sums.push({ table: t.name, rows: hasher.rows, sha256: hasher.digest() });
    }
  } finally {
    await endpoint.endRead();
  }
  return sums;
}

/** Checksums of a database given as a SQLite path or postgres:// URL (tests, `writ db copy` re-checks). */
export async function checksumDatabase(spec: string): Promise<TableSummary[]> {
  const endpoint = await openEndpoint(spec, "source");
  try {
    return await checksumEndpoint(endpoint);
  } finally {
    await endpoint.close();
  }
}

/** Compare two existing databases table by table; throws on any count or checksum mismatch. */
export async function verifyCopy(from: string, to: string): Promise<TableSummary[]> {
  const [a, b] = [await checksumDatabase(from), await checksumDatabase(to)];
  assertSameContent(a, b);
  return b;
}
