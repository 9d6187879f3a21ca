import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb } from "../db/client";
import { canonicalValue } from "../db/copy/checksum";
import { checksumDatabase, copyDatabase, verifyCopy } from "../db/copy/copy";
import { copyOrder } from "../db/copy/tables";
import { connectPg } from "../db/pg/client";
import { seedDemo } from "../lib/demo/seed";
import { insertSyntheticExperiment } from "../lib/experiments/store/synthetic";
import { createTestDatabase, pgAvailable, type TestPgDatabase } from "./fixtures/pg";

describe("db copy without PostgreSQL", () => {
  it("orders tables so every foreign key points at a table copied earlier", () => {
    const names = copyOrder().map((t) => t.name);
    const before = (a: string, b: string) => names.indexOf(a) < names.indexOf(b);
    expect(names).toHaveLength(17);
    expect(before("experiments", "groups") && before("groups", "rollouts") && before("rollouts", "rollout_messages")).toBe(true);
    expect(before("rollouts", "rollout_classes") && before("jobs", "job_steps") && before("task_sets", "tasks")).toBe(true);
    expect(copyOrder().find((t) => t.name === "experiment_policy_counts")?.primaryKey).toEqual(["experiment_id", "rule"]);
  });

  it("canonicalises values by kind, not by backend", () => {
    expect(canonicalValue(null)).toBe("N");
    expect(canonicalValue(3)).toBe("D3");
    expect(canonicalValue(-0)).toBe("D0");
    expect(canonicalValue(0.1 + 0.2)).toBe("D0.30000000000000004");
    expect(canonicalValue("a\u001fb")).toBe('T"a\\u001fb"');
    expect(canonicalValue(Buffer.from([0, 255]))).toBe("B00ff");
    expect(canonicalValue(new Uint8Array([0, 255]))).toBe("B00ff");
  });

  it("copies SQLite -> SQLite with equal checksums and a filled search index", async () => {
    const dir = mkdtempSync(join(tmpdir(), "writ-dbcopy-lite-"));
    try {
      const src = join(dir, "a.db");
      const db = openDb(src);
      try {
        seedDemo(db);
        insertSyntheticExperiment(db, { tasks: 10, groupSize: 2, messagesPerRollout: 5, seed: 4 });
      } finally {
        closeDb(db);
      }
      const report = await copyDatabase(src, join(dir, "b.db"));
      expect(report.tables).toEqual(await checksumDatabase(src));
      expect(report.searchIndex).toEqual({ indexedRollouts: 20, rolloutsWithMessages: 20 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const hasPg = await pgAvailable();

describe.skipIf(!hasPg)("[PostgreSQL] writ db copy: SQLite -> PostgreSQL -> SQLite", () => {
  let dir: string;
  let pgdb: TestPgDatabase;
  let src: string;
  let back: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "writ-dbcopy-"));
    src = join(dir, "source.db");
    back = join(dir, "back.db");
    const db = openDb(src);
    try {
      seedDemo(db);
      insertSyntheticExperiment(db, { tasks: 40, groupSize: 4, messagesPerRollout: 8, seed: 3 });
      const c = db.$client;
      // Values that catch a lossy copy: a blob with 0x00/0xff, text keys whose byte order differs
      // from a locale's order, non-ASCII text, fractional and huge numbers.
      const first = c.prepare("SELECT id, experiment_id FROM rollouts ORDER BY id LIMIT 1").get() as { id: string; experiment_id: number };
      c.prepare("INSERT INTO rollout_classes (rollout_id, experiment_id, class_key, n_turns, data) VALUES (?, ?, 'k1', 3, ?)").run(
        first.id,
        first.experiment_id,
        Buffer.from([0, 1, 2, 127, 128, 255]),
      );
      const view = c.prepare("INSERT INTO saved_views (id, path, state) VALUES (?, '/x', ?)");
      for (const id of ["b", "B", "a", "Z", "é", "e", "_"]) view.run(id, JSON.stringify({ note: `ünïcode ${id} \u2603`, x: 0.1 + 0.2 }));
      c.prepare("UPDATE rollouts SET reward = 0.30000000000000004, trainer_reward = -1e-300 WHERE id = ?").run(first.id);
      c.prepare("UPDATE experiments SET prompt_tokens = 9007199254740991 WHERE id = ?").run(first.experiment_id);
    } finally {
      closeDb(db);
    }
    pgdb = await createTestDatabase();
  }, 60_000);

  afterAll(async () => {
    await pgdb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("copies both ways with equal counts and checksums on all three databases", async () => {
    const toPg = await copyDatabase(src, pgdb.url);
    const toSqlite = await copyDatabase(pgdb.url, back);
    const [a, b, c] = [await checksumDatabase(src), await checksumDatabase(pgdb.url), await checksumDatabase(back)];
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(toPg.tables).toEqual(a);
    expect(toSqlite.tables).toEqual(a);
    const rows = Object.fromEntries(a.map((t) => [t.table, t.rows]));
    expect(rows.rollouts).toBe(160);
    expect(rows.rollout_messages).toBe(160 * 8);
    expect(rows.rollout_classes).toBe(1);
    expect(rows.saved_views).toBe(7);
    expect(rows.seed_markers).toBeGreaterThan(0);
    expect(rows.tasks).toBeGreaterThan(0);
    // The FTS index of the SQLite target filled through its insert triggers.
    expect(toSqlite.searchIndex).toEqual({ indexedRollouts: 160, rolloutsWithMessages: 160 });
    const db = openDb(back);
    try {
      const n = db.$client.prepare("SELECT count(*) AS n FROM message_search WHERE message_search MATCH 'reservation OR flight OR help'").get() as { n: number };
      expect(n.n).toBeGreaterThan(0);
    } finally {
      closeDb(db);
    }
    // Identity sequences moved past the copied ids: a new row gets a fresh id.
    const client = await connectPg(pgdb.url);
    try {
      const max = (await client.query("SELECT max(id) AS m FROM jobs")).rows[0] as { m: number };
      const r = await client.query("INSERT INTO jobs (name, payload, run_at) VALUES ('demo.noop', '{}', 0) RETURNING id");
      expect((r.rows[0] as { id: number }).id).toBe(max.m + 1);
      await client.query("DELETE FROM jobs WHERE id = $1", [max.m + 1]);
    } finally {
      await client.end();
    }
  }, 120_000);

  it("refuses a target that already has rows", async () => {
    await expect(copyDatabase(src, pgdb.url)).rejects.toThrow(/is not empty: .*rollouts \(160 rows\)/);
    await expect(copyDatabase(src, back)).rejects.toThrow(/is not empty/);
  });

  it("detects a deliberately altered row as a checksum mismatch", async () => {
    await expect(verifyCopy(src, pgdb.url)).resolves.toHaveLength(17);
    const client = await connectPg(pgdb.url);
    try {
      await client.query("UPDATE rollout_messages SET body = body || ' ' WHERE id = (SELECT max(id) FROM rollout_messages)");
    } finally {
      await client.end();
    }
    await expect(verifyCopy(src, pgdb.url)).rejects.toThrow(/rollout_messages: checksum mismatch/);
    const db = openDb(back);
    try {
      db.$client.prepare("UPDATE saved_views SET path = '/y' WHERE id = 'é'").run();
    } finally {
      closeDb(db);
    }
    await expect(verifyCopy(src, back)).rejects.toThrow(/saved_views: checksum mismatch/);
  });
});
