/**
 * Environment rows in the database: the default generated environment always exists, and
 * TAU2_DATA_DIR (when set) is offered as a source. Both are created lazily (idempotent
 * INSERT … ON CONFLICT DO NOTHING on the unique name), so any page or job can call
 * `ensureEnvironments` first. Queries take the db (or a transaction) first.
 */
import { asc, eq } from "drizzle-orm";
import { resolve as resolvePath } from "node:path";
import type { DbOrTx } from "../../../db/client";
import { environments, type EnvironmentRow } from "../../../db/schema";
import { DEFAULT_STATE_SEED } from "../../airline";
import { NotFoundError, ValidationError } from "../../errors/app-error";
import { allowedDomainDir } from "../data-roots";
import { DEFAULT_ENVIRONMENT_NAME, tau2EnvironmentName } from "../names";
import type { EnvironmentSource } from "../resolve";

/**
 * Make sure the default generated environment (and the TAU2_DATA_DIR one, when given) exist.
 * Reads first: pages call this on every request and must not take the write lock for nothing.
 */
export function ensureEnvironments(db: DbOrTx, opts: { tau2DataDir?: string } = {}): void {
  const exists = (name: string) => !!db.select({ id: environments.id }).from(environments).where(eq(environments.name, name)).get();
  if (!exists(DEFAULT_ENVIRONMENT_NAME)) {
    db.insert(environments)
      .values({
        name: DEFAULT_ENVIRONMENT_NAME,
        sourceKind: "generated",
        seed: DEFAULT_STATE_SEED,
        note: "The project's own seeded airline state (same schema and similar statistics as τ²).",
      })
      .onConflictDoNothing()
      .run();
  }
  if (opts.tau2DataDir && !exists(tau2EnvironmentName(opts.tau2DataDir))) {
    db.insert(environments)
      .values({
        name: tau2EnvironmentName(opts.tau2DataDir),
        sourceKind: "tau2",
        domainDir: resolvePath(/*turbopackIgnore: true*/ opts.tau2DataDir),
        note: "From TAU2_DATA_DIR.",
      })
      .onConflictDoNothing()
      .run();
  }
}

export function listEnvironments(db: DbOrTx): EnvironmentRow[] {
  return db.select().from(environments).orderBy(asc(environments.id)).all();
}

export function getEnvironment(db: DbOrTx, id: number): EnvironmentRow | undefined {
  return db.select().from(environments).where(eq(environments.id, id)).get();
}

/** The environment row of this exact name (e.g. tau2EnvironmentName(dir)). */
export function getEnvironmentByName(db: DbOrTx, name: string): EnvironmentRow | undefined {
  return db.select().from(environments).where(eq(environments.name, name)).get();
}

export function getEnvironmentOrThrow(db: DbOrTx, id: number): EnvironmentRow {
  const row = getEnvironment(db, id);
  if (!row) throw new NotFoundError(`environment ${id} not found`);
  return row;
}

export function getDefaultEnvironment(db: DbOrTx): EnvironmentRow {
  ensureEnvironments(db);
  const row = getEnvironmentByName(db, DEFAULT_ENVIRONMENT_NAME);
  if (!row) throw new Error("default environment row missing after ensureEnvironments");
  return row;
}

export interface NewEnvironmentInput {
  name?: string;
  source: EnvironmentSource;
  note?: string;
}

/**
 * Add an environment. A τ² directory must be a directory under one of `allowedRoots`
 * (data-roots.ts; stored as its real path); its contents are checked when it is first opened.
 */
export function createEnvironment(db: DbOrTx, input: NewEnvironmentInput, opts: { allowedRoots: readonly string[] }): EnvironmentRow {
  const source: EnvironmentSource =
    input.source.kind === "tau2" ? { kind: "tau2", domainDir: allowedDomainDir(input.source.domainDir, opts.allowedRoots) } : input.source;
  const name =
    input.name?.trim() ||
    (source.kind === "generated" ? `Generated airline (seed ${source.seed})` : tau2EnvironmentName(source.domainDir));
  if (db.select({ id: environments.id }).from(environments).where(eq(environments.name, name)).get()) {
    throw new ValidationError(`an environment named "${name}" already exists`, "name");
  }
  return db
    .insert(environments)
    .values(
      source.kind === "generated"
        ? { name, sourceKind: "generated", seed: source.seed, note: input.note }
        : { name, sourceKind: "tau2", domainDir: source.domainDir, note: input.note },
    )
    .returning()
    .get();
}
