/**
 * Compact, tier-agnostic classification of a finished rollout under one classification key
 * (classificationKey of the default deep-equal toggles, gold matching and tool lists), written
 * in the transaction that finalises the rollout. The calibration store loads an experiment from
 * these blobs plus the summary rows instead of re-reading and re-classifying every message.
 * Layout of `data`: lib/calibration/class-store-blob.ts. A row whose class_key or blob version is not
 * the current one is ignored and rewritten (lazy backfill), never trusted.
 */
import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { experiments } from "./experiments";
import { rollouts } from "./rollouts";

export const rolloutClasses = sqliteTable(
  "rollout_classes",
  {
    rolloutId: text("rollout_id")
      .primaryKey()
      .references(() => rollouts.id, { onDelete: "cascade" }),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    classKey: text("class_key").notNull(),
    /** Agent turns in the blob (preallocation without decoding). */
    nTurns: integer("n_turns").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
  },
  (t) => [index("rollout_classes_exp_idx").on(t.experimentId, t.classKey)],
);

export type RolloutClassRow = typeof rolloutClasses.$inferSelect;
