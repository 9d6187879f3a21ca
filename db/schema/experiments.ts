/** A rollout experiment: a task set run by an agent/user pair, G samples per task. */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns";
import { taskSets } from "./task-sets";

export const experimentStatuses = ["draft", "queued", "running", "completed", "failed", "cancelled"] as const;
export type ExperimentStatus = (typeof experimentStatuses)[number];
/** run: played by a worker · import: a results file · training: streamed in by a trainer (POST /api/v1/ingest). */
export const experimentSources = ["run", "import", "training"] as const;
export type ExperimentSource = (typeof experimentSources)[number];

export const experiments = sqliteTable(
  "experiments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    taskSetId: integer("task_set_id").references(() => taskSets.id, { onDelete: "set null" }),
    /** Driver settings ({kind: 'simulated', preset} | {kind: 'openai', endpoint_id, ...}); never an API key. */
    agentConfig: text("agent_config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    userConfig: text("user_config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    groupSize: integer("group_size").notNull(),
    maxTurns: integer("max_turns").notNull(),
    maxErrors: integer("max_errors").notNull(),
    temperature: real("temperature").notNull().default(0),
    seed: integer("seed").notNull().default(0),
    concurrency: integer("concurrency").notNull().default(4),
    status: text("status", { enum: experimentStatuses }).notNull().default("draft"),
    rolloutsTotal: integer("rollouts_total").notNull().default(0),
    rolloutsDone: integer("rollouts_done").notNull().default(0),
    rolloutsPassed: integer("rollouts_passed").notNull().default(0),
    rolloutsErrored: integer("rollouts_errored").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    /** Imported experiments and training runs have no job. */
    source: text("source", { enum: experimentSources }).notNull().default("run"),
    /** The rollouts.run job driving this experiment (no FK: jobs may be pruned). */
    jobId: integer("job_id"),
    /** Why the run failed or was cancelled. */
    error: text("error"),
    /** Only these task ids of the set (null = all). */
    taskIds: text("task_ids", { mode: "json" }).$type<string[]>(),
    /** Free-form facts about the run (demo notes, import source file …); never a secret. */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    /**
     * Training runs (source "training") only, null otherwise: the client-chosen run id (unique;
     * the ingestion API's natural key), the trainer's name and its config, and the project.
     * Model in lib/ingest/store/training-runs.ts.
     */
    externalRunId: text("external_run_id"),
    trainer: text("trainer"),
    project: text("project"),
    runConfig: text("run_config", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("experiments_created_idx").on(t.createdAt),
    index("experiments_status_idx").on(t.status),
    uniqueIndex("experiments_external_run_uq").on(t.externalRunId).where(sql`external_run_id IS NOT NULL`),
  ],
);

export type ExperimentRow = typeof experiments.$inferSelect;
export type NewExperimentRow = typeof experiments.$inferInsert;
