/** The saved_views table: short links (lib/calibration/views.ts makes the ids and targets). */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { savedViews, type SavedViewRow } from "../../../db/schema";

/** Insert unless the id is taken; whether the row was written. */
export function insertViewRow(db: Db, row: { id: string; path: string; state: Record<string, unknown> }): boolean {
  return db.insert(savedViews).values(row).onConflictDoNothing().run().changes === 1;
}

export function findViewRow(db: Db, id: string): SavedViewRow | undefined {
  return db.select().from(savedViews).where(eq(savedViews.id, id)).get();
}
