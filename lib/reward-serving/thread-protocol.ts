/** Messages between the web server and its scoring thread (./thread.ts, ./thread.worker.ts). */
import type { ServeInput, ServeOutput } from "./serve";

export interface ThreadRequest {
  id: number;
  /** The SQLite file the web server uses (the thread opens its own connection to it). */
  dbPath: string;
  input: ServeInput;
}

export type ThreadReply = { id: number; output: ServeOutput; error?: undefined } | { id: number; error: string; output?: undefined };
