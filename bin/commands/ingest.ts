/**
 * `writ ingest --from prime-rl|verl|trl|tau2 PATH --run NAME [--follow] [--server URL]` — a
 * trainer's rollout files into a training run (lib/ingest/adapters). With --server the batches go
 * to that server's POST /api/v1/ingest (WRIT_ACCESS_TOKEN as bearer token); otherwise they are
 * stored in-process in WRIT_DB. --follow tails PATH until Ctrl-C, saving its position in a state
 * file (--state, default beside PATH) so a restart resumes without duplicates.
 * Prints {"run_id", "experiment_id", "groups_sent", "groups_stored", "groups_unchanged", "rejected", "issues"}.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { closeDb, openDb } from "../../db/client";
import { getEnv } from "../../lib/settings";
import { runIngest, type IngestEvent, type Sink } from "../../lib/ingest/adapters/runner";
import { AdapterError, TRAINER_FORMATS, type TrainerFormat } from "../../lib/ingest/adapters/types";
import { ingestBatch } from "../../lib/ingest/ingest";
import { CliError, numberFlag, printJson, progress, requiredFlag, stringFlag, type CliCommand } from "../cli-kit";

function positiveInt(name: string, v: number | undefined): number | undefined {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new CliError(`--${name} must be a positive integer`);
  return v;
}

/** Default state file: inside a followed directory, or beside a followed file; one per run and path. */
function defaultStatePath(path: string, runId: string): string {
  const abs = resolve(path);
  const tag = createHash("sha256").update(`${runId}\u0000${abs}`).digest("hex").slice(0, 10);
  const dir = existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
  return join(dir, `.writ-ingest-${basename(runId).replace(/[^\w.-]/g, "_")}-${tag}.json`);
}

function serverSink(server: string): Sink {
  let url: URL;
  try {
    url = new URL("/api/v1/ingest", server);
  } catch {
    throw new CliError(`--server must be a URL such as http://127.0.0.1:3000, got "${server}"`);
  }
  return async (batch: IngestEvent[]) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const token = process.env.WRIT_ACCESS_TOKEN;
    if (token) headers.authorization = `Bearer ${token}`;
    // Connection errors, 429 and 5xx are retried with backoff: the events are idempotent.
    for (let attempt = 0; ; attempt++) {
      let res: Response | null = null;
      try {
        res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ batch }) });
      } catch (err) {
        if (attempt >= 6) throw new CliError(`cannot reach ${url.origin}: ${(err as Error).message}`);
      }
      if (res) {
        if (res.status === 401) throw new CliError("the server needs an access token: set WRIT_ACCESS_TOKEN");
        const body = (await res.json().catch(() => null)) as { successes?: unknown; errors?: unknown; error?: { message?: string } } | null;
        if ((res.status === 207 || res.ok) && body && Array.isArray(body.successes) && Array.isArray(body.errors)) {
          return body as Awaited<ReturnType<Sink>>;
        }
        const retryable = res.status === 429 || res.status >= 500;
        if (!retryable || attempt >= 6) throw new CliError(`${url.pathname}: ${res.status} ${body?.error?.message ?? res.statusText}`);
      }
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      progress(`server unavailable, retrying in ${Math.round(delay / 1000)} s`);
      await new Promise((r) => setTimeout(r, delay));
    }
  };
}

const command: CliCommand = {
  summary: "ingest a trainer's rollout files (prime-rl, verl, TRL, τ²) into a training run",
  usage:
    "writ ingest --from prime-rl|verl|trl|tau2 PATH --run NAME [--run-id ID] [--task-set ID|NAME] [--follow] [--server URL] " +
    "[--num-generations N] [--group-size N] [--task-field KEY] [--task-column NAME] [--split train|eval] [--subset all|effective] " +
    "[--step N] [--state FILE] [--poll-ms MS] [--settle-ms MS] [--finish]",
  async run(args) {
    const from = requiredFlag(args, "from");
    if (!(TRAINER_FORMATS as readonly string[]).includes(from)) throw new CliError(`--from must be one of ${TRAINER_FORMATS.join(", ")}, got "${from}"`);
    const format = from as TrainerFormat;
    const path = args.positional[0];
    if (!path) throw new CliError(`PATH is required: ${command.usage}`);
    if (!existsSync(path)) throw new CliError(`${path} does not exist`);
    const name = requiredFlag(args, "run");
    const runId = stringFlag(args, "run-id") ?? name;
    const numGenerations = positiveInt("num-generations", numberFlag(args, "num-generations"));
    if (format === "trl" && numGenerations === undefined) {
      throw new CliError("--num-generations is required for TRL (GRPOConfig.num_generations: the rows of one group)");
    }
    const split = stringFlag(args, "split");
    if (split !== undefined && split !== "train" && split !== "eval") throw new CliError(`--split must be train or eval, got "${split}"`);
    const subset = stringFlag(args, "subset");
    if (subset !== undefined && subset !== "all" && subset !== "effective") throw new CliError(`--subset must be all or effective, got "${subset}"`);
    const step = numberFlag(args, "step");
    if (step !== undefined && (!Number.isInteger(step) || step < 0)) throw new CliError("--step must be a non-negative integer");
    const follow = args.flags.follow === true;
    const server = stringFlag(args, "server");
    const statePath = stringFlag(args, "state") ?? (follow ? defaultStatePath(path, runId) : undefined);

    const controller = new AbortController();
    const stop = () => {
      progress("stopping: finishing the current batch and saving the position");
      controller.abort();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);

    const db = server ? null : openDb(getEnv().WRIT_DB);
    const sink: Sink = server ? serverSink(server) : async (batch) => ingestBatch(db!, batch);
    try {
      const summary = await runIngest(
        {
          format,
          path,
          runId,
          name,
          taskSet: stringFlag(args, "task-set"),
          groupSize: positiveInt("group-size", numberFlag(args, "group-size")),
          numGenerations,
          taskField: stringFlag(args, "task-field"),
          taskColumn: stringFlag(args, "task-column"),
          split,
          subset,
          step,
          follow,
          finish: args.flags.finish === true,
          statePath,
          pollMs: positiveInt("poll-ms", numberFlag(args, "poll-ms")),
          settleMs: numberFlag(args, "settle-ms"),
          signal: controller.signal,
          log: progress,
        },
        sink,
      );
      const missingRun = summary.rejected.find((e) => e.status === 404 && e.field === "body.run_id");
      if (missingRun && summary.groups_stored === 0) {
        throw new CliError(`training run "${runId}" does not exist: pass --task-set ID|NAME to create it`);
      }
      printJson({ ...summary, rejected: summary.rejected.length, issues: summary.issues.length, ...(statePath ? { state: statePath } : {}) });
      if (summary.rejected.length) process.exitCode = 1;
    } catch (err) {
      if (err instanceof AdapterError) throw new CliError(err.message);
      throw err;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      if (db) closeDb(db);
    }
  },
};

export default command;
