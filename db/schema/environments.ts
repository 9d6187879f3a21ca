/** Where an airline state comes from: the project's seeded generator, or a τ² domain directory. */
import { sql } from "drizzle-orm";
import { check, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

export const environments = sqliteTable(
  "environments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull().unique(),
    sourceKind: text("source_kind", { enum: ["generated", "tau2"] }).notNull(),
    /** Set when source_kind = 'generated'. */
    seed: integer("seed"),
    /** Set when source_kind = 'tau2': a directory with db.json / tasks.json / policy.md. */
    domainDir: text("domain_dir"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "environments_source_check",
      sql`(${t.sourceKind} = 'generated' AND ${t.seed} IS NOT NULL) OR (${t.sourceKind} = 'tau2' AND ${t.domainDir} IS NOT NULL)`,
    ),
  ],
);

export type EnvironmentRow = typeof environments.$inferSelect;
export type NewEnvironmentRow = typeof environments.$inferInsert;
