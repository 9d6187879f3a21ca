/** Shared helpers for integration tests: temp databases and real worker processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";

export const ROOT = resolve(__dirname, "..");
/**
 * Run a TypeScript file as ONE node process (`node --import tsx file`). The tsx CLI would
 * put a wrapper process in between, and a SIGKILL to the wrapper leaves the real worker running.
 */
export function tsxArgs(file: string): [string, string[]] {
  return [process.execPath, ["--import", "tsx", file]];
}

export interface TempDb {
  path: string;
  db: Db;
  cleanup(): void;
}

/** A temp database file; `caches` (module-level caches that outlive a database) are cleared on open and on cleanup. */
export function createTempDb(caches: ReadonlyArray<() => void> = []): TempDb {
  const dir = mkdtempSync(join(tmpdir(), "writ-test-"));
  const path = join(dir, "writ.db");
  const db = openDb(path);
  caches.forEach((clear) => clear());
  return {
    path,
    db,
    cleanup() {
      caches.forEach((clear) => clear());
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SpawnedWorker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function spawnWorker(dbPath: string, env: Record<string, string> = {}): SpawnedWorker {
  const [cmd, args] = tsxArgs(join(ROOT, "workers", "main.ts"));
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      WRIT_DB: dbPath,
      WRIT_WORKER_POLL_MS: "25",
      WRIT_JOB_BACKOFF_MS: "50",
      // No idle-time warm-up (its own test turns it on): it would only burn CPU beside the tests.
      WRIT_WORKER_WARMUP: "0",
      NODE_ENV: "test",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output: () => out, exited };
}

export async function waitFor<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function stopWorkers(workers: SpawnedWorker[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}
