/**
 * The rollout_classes table: persisted default-key classifications of finished rollouts
 * (blob layout: lib/calibration/class-store-blob.ts; what goes in a row and how rows become
 * columnar data: lib/calibration/class-store.ts).
 *
 * - Written in the transaction that finalises a rollout (rollouts.run job, imports, ingest),
 *   and by the calibration data load for rollouts without a current row (lazy backfill).
 * - Read by that load: one streamed scan of an experiment's rows, or a few rows by id.
 */
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import { createCache } from "../../cache/lru";
import { DEFAULT_CLASS_KEY, type RolloutClassRecord } from "../class-store";
import { isCurrentBlob } from "../class-store-blob";

/** Columns of ClassRowTuple (lib/calibration/class-store.ts) over `rollouts r LEFT JOIN rollout_classes c`. */
export const CLASS_ROW_COLUMNS =
  "r.id, r.group_id, r.task_id, r.sample_index, r.outcome, r.writes, coalesce(r.evidence_cell, r.evidence_total), r.behavior, r.finished_at, c.data";

/**
 * The upsert prepared once per database file (one row per finalised rollout: preparing it each
 * time would cost more than the write). A statement belongs to one connection: another
 * connection to the same file prepares its own.
 */
const upserts = createCache<{ client: Database.Database; statement: Database.Statement }>({
  name: "calibration.class-row-upsert",
  maxEntries: 8,
  purpose: "the prepared rollout_classes upsert per database file (written once per finished rollout)",
});

/** Upsert one class row (runs inside the caller's transaction when there is one). */
export function writeRolloutClass(client: Database.Database, r: RolloutClassRecord): void {
  const held = upserts.get(client.name);
  let st = held?.client === client ? held.statement : undefined;
  if (!st) {
    st = client.prepare(
      `INSERT INTO rollout_classes (rollout_id, experiment_id, class_key, n_turns, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(rollout_id) DO UPDATE SET experiment_id = excluded.experiment_id, class_key = excluded.class_key,
         n_turns = excluded.n_turns, data = excluded.data`,
    );
    upserts.set(client.name, { client, statement: st });
  }
  st.run(r.rolloutId, r.experimentId, r.classKey, r.nTurns, r.data);
}

/** Write back lazily built rows in one transaction; a failure (busy, read-only) only loses the cache. */
export function writeRolloutClasses(client: Database.Database, rows: readonly RolloutClassRecord[]): boolean {
  if (!rows.length) return true;
  try {
    client.transaction(() => {
      for (const r of rows) writeRolloutClass(client, r);
    })();
    return true;
  } catch {
    return false;
  }
}

/**
 * Current default-key blobs of an experiment, keyed by rollout id (one streamed index scan).
 * Blobs of another version or malformed ones are left out (the caller rebuilds them).
 */
export function readExperimentClasses(client: Database.Database, experimentId: number): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const it = client
    .prepare(`SELECT rollout_id, data FROM rollout_classes WHERE experiment_id = ? AND class_key = ?`)
    .raw(true)
    .iterate(experimentId, DEFAULT_CLASS_KEY) as IterableIterator<[string, Buffer]>;
  for (const [id, data] of it) if (isCurrentBlob(data)) out.set(id, data);
  return out;
}

/** Current default-key blobs of some rollouts (live appends: a few rows at a time). */
export function readRolloutClasses(client: Database.Database, ids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const CHUNK = 400;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const rows = client
      .prepare(`SELECT rollout_id, data FROM rollout_classes WHERE rollout_id IN (${part.map(() => "?").join(",")}) AND class_key = ?`)
      .raw(true)
      .all(...part, DEFAULT_CLASS_KEY) as [string, Buffer][];
    for (const [id, data] of rows) if (isCurrentBlob(data)) out.set(id, data);
  }
  return out;
}

/**
 * For the calibration data load: current default-key blobs of the experiment's rollouts, of
 * all of them (`ids` null: one scan) or of some.
 */
export function readClassBlobs(db: Db, experimentId: number, ids: readonly string[] | null): Map<string, Buffer> {
  return ids === null ? readExperimentClasses(db.$client, experimentId) : readRolloutClasses(db.$client, ids);
}

/** For the calibration data load: write back rows it built (lazy backfill); see writeRolloutClasses. */
export function writeBackClasses(db: Db, rows: readonly RolloutClassRecord[]): boolean {
  return writeRolloutClasses(db.$client, rows);
}
