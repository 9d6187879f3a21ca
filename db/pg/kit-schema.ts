/**
 * drizzle-kit entry for drizzle.pg.config.ts. drizzle-kit collects the tables among a schema
 * module's top-level exports; the PG tables are derived at load time (db/pg/schema.ts), so this
 * file hands drizzle-kit's CommonJS loader the name -> table map as the module's exports.
 * Only drizzle-kit loads this file.
 */
import { pgTables } from "./schema";

module.exports = pgTables;
