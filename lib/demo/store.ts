/** The seed_markers table: which demo seed steps a database has had (lib/demo/seed.ts). */
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client";
import { seedMarkers } from "../../db/schema";

/**
 * Run `run` and record `key` in one immediate transaction, unless `key` is recorded already
 * (so concurrent starts cannot both run it). Whether it ran.
 */
export function runOnce(db: Db, key: string, run: (tx: DbOrTx) => void): boolean {
  return db.transaction(
    (tx) => {
      if (tx.select().from(seedMarkers).where(eq(seedMarkers.key, key)).get()) return false;
      run(tx);
      tx.insert(seedMarkers).values({ key }).run();
      return true;
    },
    { behavior: "immediate" },
  );
}
