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
