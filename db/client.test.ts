import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closeDb, migrateDb, migrationsDir, openDb, WAL_AUTOCHECKPOINT_PAGES, type Db } from "./client";

let dir: string;
let opened: Db[] = [];
afterEach(() => {
  opened.forEach(closeDb);
  opened = [];
  rmSync(dir, { recursive: true, force: true });
});

describe("openDb", () => {
  it("creates the folder, sets the pragmas and applies migrations once", () => {
    dir = mkdtempSync(join(tmpdir(), "writ-db-"));
    const path = join(dir, "nested", "deeper", "writ.db");
    const db = openDb(path);
    opened.push(db);
    const c = db.$client;
    expect(c.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(c.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(c.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(c.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
    expect(c.pragma("wal_autocheckpoint", { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    const tables = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(["jobs", "job_steps", "rollouts", "rollout_messages", "tasks", "model_endpoints", "workers"]));
    // Opening again (another process, a restart) applies nothing twice.
    expect(migrateDb(c)).toBe(0);
    const second = openDb(path);
    opened.push(second);
    const journal = JSON.parse(readFileSync(join(migrationsDir(), "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    expect(second.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({ n: journal.entries.length });
  });

  it("enforces foreign keys and the unique message index", () => {
    dir = mkdtempSync(join(tmpdir(), "writ-db-"));
    const db = openDb(join(dir, "writ.db"));
    opened.push(db);
    const c = db.$client;
    expect(() => c.prepare("INSERT INTO job_steps (job_id, key, attempt) VALUES (999, 'k', 1)").run()).toThrow(/FOREIGN KEY/);
    c.prepare("INSERT INTO experiments (name, agent_config, user_config, group_size, max_turns, max_errors) VALUES ('e', '{}', '{}', 4, 30, 5)").run();
    c.prepare("INSERT INTO groups (id, experiment_id, task_id, size) VALUES ('g-1', 1, '5', 4)").run();
    c.prepare("INSERT INTO rollouts (id, experiment_id, group_id, task_id, sample_index) VALUES ('r-1', 1, 'g-1', '5', 0)").run();
    const insert = c.prepare("INSERT INTO rollout_messages (rollout_id, idx, role, body) VALUES ('r-1', 0, 'assistant', '{}')");
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
  });
});
