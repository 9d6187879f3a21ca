/**
 * The scoring thread (./thread.ts): answers scoring requests (raw body text in, HTTP answer
 * out, ./serve.ts) on its own connection to the same SQLite file, so a trainer's load runs on
 * the second core and the web server's thread stays free for pages.
 */
import { parentPort } from "node:worker_threads";
import { closeDb, openDb, type Db } from "../../db/client";
import { serve } from "./serve";
import type { ThreadReply, ThreadRequest } from "./thread-protocol";

let held: { path: string; db: Db } | null = null;

function dbFor(path: string): Db {
  if (held?.path !== path) {
    if (held) closeDb(held.db);
    // The web server migrated the file on open; this connection only reads and ingests.
    held = { path, db: openDb(path, { migrate: false }) };
  }
  return held.db;
}

parentPort?.on("message", (msg: ThreadRequest) => {
  let db: Db;
  try {
    db = dbFor(msg.dbPath);
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: `opening ${msg.dbPath}: ${(err as Error).message}` } satisfies ThreadReply);
    return;
  }
  serve(db, msg.input).then(
    (output) => parentPort?.postMessage({ id: msg.id, output } satisfies ThreadReply),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, error: (err as Error).message } satisfies ThreadReply),
  );
});
