/**
 * Environment variables, read and validated once. Every bad variable is listed in one
 * error so a misconfigured start fails with the whole picture. Feature code calls
 * `getEnv()`; never `process.env.X` directly.
 */
import { delimiter, isAbsolute } from "node:path";
import { z } from "zod";
import { DEFAULT_ENV_KEY_HOSTS, parseEnvKeyHosts } from "./env-key-hosts";

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const intVar = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? String(fallback) : v))
    .transform((v) => Number(v))
    .pipe(z.number("must be a number").int("must be an integer").min(min).max(max));

/** A "0" / "1" switch; unset or blank is the default. */
const switchVar = (fallback: "0" | "1") =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? fallback : v.trim()))
    .pipe(z.enum(["0", "1"], "must be 0 or 1"));

const envSchema = z.object({
  /** SQLite file shared by web, workers and CLI. */
  WRIT_DB: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? "data/writ.db" : v)),
  /**
   * postgres://… : the team-server backend (issue 19, in progress). Today only a worker process
   * honours it (it joins the PostgreSQL job pool and serves the kinds that run on any backend);
   * the web server and the CLI refuse to start with it rather than silently use the SQLite file.
   */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//i.test(v), "must be a postgres:// or postgresql:// URL"),
  PORT: intVar(3000, 1, 65535),
  /** Worker processes started by `npm start` (0 = none). */
  WORKERS: intVar(1, 0, 64),
  /** Jobs run at once inside one worker process. */
  WRIT_WORKER_CONCURRENCY: intVar(4, 1, 256),
  /** How long a claimed job is owned before another worker may take it over. */
  WRIT_JOB_LEASE_MS: intVar(30_000, 200, 3_600_000),
  /** Idle poll interval of a worker. */
  WRIT_WORKER_POLL_MS: intVar(500, 5, 60_000),
  /** First retry delay; doubles each attempt (with jitter). */
  WRIT_JOB_BACKOFF_MS: intVar(2_000, 1, 3_600_000),
  /** Simulated rollouts a worker runs in memory at start-up, before claiming jobs, so its first experiment runs at full speed (0: none). */
  WRIT_WORKER_WARMUP: intVar(400, 0, 100_000),
  /** "0": the workbench's analysis runs on the request thread only (no second analysis thread). */
  WRIT_ANALYSIS_THREAD: switchVar("1"),
  /** "0": reward serving (POST /api/v1/reward-configs/…/score, the /api/v1/compat shims) runs on the request thread (no scoring thread). */
  WRIT_SCORING_THREAD: switchVar("1"),
  /** "0": a worker scores and stores simulated rollouts on the thread that plays them (no rollout store thread). */
  WRIT_ROLLOUT_THREAD: switchVar("1"),
  /** "0": POST /api/v1/ingest parses, scores and stores on the request thread (no ingest thread storing beside it). */
  WRIT_INGEST_THREAD: switchVar("1"),
  /** "1": demo/test job types (demo.sleep, demo.noop, demo.fail) may be enqueued through POST /api/jobs; off in production. */
  WRIT_ENABLE_TEST_JOBS: switchVar("0"),
  WRIT_ACCESS_TOKEN: optionalText.pipe(z.string().min(8, "must be at least 8 characters").optional()),
  /** The origin browsers use to reach the server (e.g. https://lab.example.org behind a proxy); state-changing requests from a browser must come from it or from the Host they were sent to. */
  WRIT_PUBLIC_URL: optionalText.transform((v, ctx) => {
    if (v === undefined) return undefined;
    try {
      const url = new URL(v);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: "custom", message: "must be an http(s) URL such as https://lab.example.org" });
    return z.NEVER;
  }),
  OPENAI_API_KEY: optionalText,
  /** Hosts (host[:port], comma-separated) that may receive OPENAI_API_KEY; see lib/agents/openai/env-key.ts. */
  WRIT_OPENAI_ENV_KEY_HOSTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return [...DEFAULT_ENV_KEY_HOSTS];
      const { hosts, bad } = parseEnvKeyHosts(v);
      if (bad.length) ctx.addIssue({ code: "custom", message: `must be host[:port] entries separated by commas (bad: ${bad.join(", ")})` });
      return hosts;
    }),
  TAU2_DATA_DIR: optionalText,
  /** Absolute directories (separated by ":") under which the API may register τ² domain directories; see lib/environment-sources/data-roots.ts. */
  WRIT_DATA_ROOTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const roots = (v ?? "").split(delimiter).map((r) => r.trim()).filter(Boolean);
      const bad = roots.filter((r) => !isAbsolute(r));
      if (bad.length) ctx.addIssue({ code: "custom", message: `must be absolute paths separated by "${delimiter}" (bad: ${bad.join(", ")})` });
      return roots;
    }),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment: ${problems.join("; ")}`);
    this.name = "EnvError";
  }
}

/** Pure: validate a given environment object (tests pass their own). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(env)"} ${i.message}`);
  throw new EnvError(problems);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The web server and the CLI run on the SQLite file only, for now: with DATABASE_URL set they
 * stop with this message instead of quietly writing somewhere the team does not look.
 */
export const POSTGRES_NOT_YET_MESSAGE =
  "DATABASE_URL is set, but the web server and the CLI do not run on PostgreSQL yet (issue 19, in progress): " +
  "unset DATABASE_URL to use the SQLite file (WRIT_DB). Workers do join a PostgreSQL pool: DATABASE_URL=… npm run worker.";

/** Throws POSTGRES_NOT_YET_MESSAGE when DATABASE_URL is set (see above). */
export function assertSqliteBackend(env: Env = getEnv()): void {
  if (env.DATABASE_URL) throw new Error(POSTGRES_NOT_YET_MESSAGE);
}

/** Tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
