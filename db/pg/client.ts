/**
 * One way to open a PostgreSQL connection for the tools of issue 19's first slice (migrations,
 * `writ db copy`). bigint columns come back as JS numbers, like better-sqlite3's integers: the
 * schema stores integers SQLite-style (ms times, ids, counts), all far below 2^53.
 */
import pg from "pg";

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8 && format !== "binary") return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export function isPgUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: types as pg.CustomTypesConfig });
  await client.connect();
  return client;
}

export interface PgPoolOptions {
  /** Connections this process may hold (a worker needs few; the web server more). */
  max?: number;
  applicationName?: string;
  /**
   * false: commits on these connections return before the WAL reaches disk (PostgreSQL's
   * synchronous_commit = off). A crash of the server can then lose the last few hundred ms of
   * commits, never corrupt anything; for bookkeeping whose loss is repaired anyway (a lost claim
   * or heartbeat leaves a job queued or its lease to expire) that trade is worth one fsync per
   * write. A transaction that must be durable says `SET LOCAL synchronous_commit = on`.
   */
  synchronousCommit?: boolean;
}

/** A connection pool with the same bigint-as-number parsing as connectPg. */
export function createPgPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    types: types as pg.CustomTypesConfig,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "writ-lab",
    ...(options.synchronousCommit === false ? { options: "-c synchronous_commit=off" } : {}),
  });
  // An idle client whose connection dies (server restart, pg_terminate_backend) emits 'error'
  // on the pool; unhandled, that would crash the process. The next query gets a new connection.
  pool.on("error", () => {});
  return pool;
}
