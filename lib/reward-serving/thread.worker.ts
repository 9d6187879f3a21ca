/**
 * The scoring thread (./thread.ts): answers scoring requests (raw body text in, HTTP answer
 * out, ./serve.ts) on its own connection to the same SQLite file, so a trainer's load runs on
 * the second core and the web server's thread stays free for pages.
 */
import { parentPort } from "node:worker_threads";
import type { Db } from "../../db/client";
import { threadConnection } from "../threads/store";
import { serve } from "./serve";
import type { ThreadReply, ThreadRequest } from "./thread-protocol";

parentPort?.on("message", (msg: ThreadRequest) => {
  let db: Db;
  try {
    // This connection only reads and ingests.
    db = threadConnection(msg.dbPath);
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: `opening ${msg.dbPath}: ${(err as Error).message}` } satisfies ThreadReply);
    return;
  }
  serve(db, msg.input).then(
    (output) => parentPort?.postMessage({ id: msg.id, output } satisfies ThreadReply),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, error: (err as Error).message } satisfies ThreadReply),
  );
});
