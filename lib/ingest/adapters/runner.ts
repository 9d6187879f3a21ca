/**
 * The loop behind `writ ingest`: scan a trainer's output, wrap complete groups in the ingestion
 * envelope (docs/training-integration.md §6), hand batches to a sink (a server's
 * POST /api/v1/ingest, or the store in-process), and save the reader's position after every
 * delivered batch. With `follow`, scans repeat until `signal` aborts; a restart with the same
 * state file resumes without re-sending groups. Event ids are derived from the natural keys, so a
 * batch replayed after a crash is a no-op on the server.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { TrainerSource, type ReaderState, type SourceOptions } from "./sources";
import type { AdapterIssue, GroupCreateBody } from "./types";

export interface IngestEvent {
  id: string;
  type: "run.upsert" | "group.create" | "run.finish";
  body: Record<string, unknown> | GroupCreateBody;
}

export interface SinkSuccess {
  id: string;
  status: number;
  unchanged?: boolean;
  experiment_id?: number;
}
export interface SinkError {
  id: string;
  status: number;
  message: string;
  field?: string;
}
export type Sink = (batch: IngestEvent[]) => Promise<{ successes: SinkSuccess[]; errors: SinkError[] }>;

export interface RunnerOptions extends SourceOptions {
  /** run.upsert body fields (sent first when taskSet is given). */
  name: string;
  taskSet?: string;
  trainer?: string;
  follow?: boolean;
  /** Send run.finish when the (non-follow) ingestion is done. */
  finish?: boolean;
  statePath?: string;
  pollMs?: number;
  /** Largest envelope to send, in bytes of JSON (the server takes 4 MB). */
  maxBatchBytes?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface RunnerSummary {
  run_id: string;
  experiment_id: number | null;
  groups_sent: number;
  groups_stored: number;
  groups_unchanged: number;
  rejected: SinkError[];
  issues: AdapterIssue[];
}

export function loadState(path: string | undefined): ReaderState | null {
  if (!path || !existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as ReaderState;
  } catch {
    return null; // a damaged state file only costs a replay, which the server ignores
  }
}

function saveState(path: string | undefined, state: ReaderState): void {
  if (!path) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path); // atomic: a crash never leaves half a state file
}

/** Group bodies → envelopes no larger than maxBytes (a single oversized group still goes alone). */
export function packBatches(events: IngestEvent[], maxBytes: number): IngestEvent[][] {
  const out: IngestEvent[][] = [];
  let cur: IngestEvent[] = [];
  let size = 12;
  for (const e of events) {
    const n = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (cur.length && size + n > maxBytes) {
      out.push(cur);
      cur = [];
      size = 12;
    }
    cur.push(e);
    size += n;
  }
  if (cur.length) out.push(cur);
  return out;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

export async function runIngest(opts: RunnerOptions, sink: Sink): Promise<RunnerSummary> {
  const log = opts.log ?? (() => {});
  const source = new TrainerSource(opts, loadState(opts.statePath));
  const summary: RunnerSummary = {
    run_id: opts.runId,
    experiment_id: null,
    groups_sent: 0,
    groups_stored: 0,
    groups_unchanged: 0,
    rejected: [],
    issues: [],
  };
  const seenIssues = new Set<string>();
  const maxBytes = opts.maxBatchBytes ?? 3_500_000;

  const deliver = async (events: IngestEvent[]) => {
    for (const batch of packBatches(events, maxBytes)) {
      const res = await sink(batch);
      for (const s of res.successes) {
        if (s.experiment_id !== undefined) summary.experiment_id = s.experiment_id;
        if (!s.id.startsWith("group:")) continue;
        if (s.unchanged) summary.groups_unchanged++;
        else summary.groups_stored++;
      }
      for (const e of res.errors) {
        summary.rejected.push(e);
        log(`rejected ${e.id}: ${e.status} ${e.field ? e.field + ": " : ""}${e.message}`);
      }
    }
  };

  if (opts.taskSet !== undefined) {
    await deliver([
      {
        id: `run:${opts.runId}:upsert`,
        type: "run.upsert",
        body: {
          run_id: opts.runId,
          name: opts.name,
          task_set: opts.taskSet,
          trainer: opts.trainer ?? opts.format,
          ...(opts.groupSize ? { group_size: opts.groupSize } : {}),
          ...(opts.numGenerations ? { group_size: opts.numGenerations } : {}),
        },
      },
    ]);
    const runError = summary.rejected.find((e) => e.id.startsWith("run:"));
    if (runError) throw new Error(`run.upsert rejected: ${runError.message}`);
  }

  const pass = async (final: boolean) => {
    const { groups, issues } = await source.scan(final);
    for (const i of issues) {
      const key = `${i.where}\u0000${i.message}`;
      if (seenIssues.has(key)) continue;
      seenIssues.add(key);
      summary.issues.push(i);
      log(`skipped ${i.where}: ${i.message}`);
    }
    if (groups.length) {
      await deliver(groups.map((g) => ({ id: `group:${g.run_id}:${g.group_id}`, type: "group.create" as const, body: g })));
      summary.groups_sent += groups.length;
      const steps = new Set(groups.map((g) => g.step));
      log(`sent ${groups.length} group(s) of step(s) ${[...steps].sort((a, b) => a - b).join(", ")}`);
    }
    // Only after delivery: a crash before this line re-sends the groups, which the server ignores.
    saveState(opts.statePath, source.snapshot());
  };

  if (!opts.follow) {
    await pass(true);
  } else {
    while (!opts.signal?.aborted) {
      await pass(false);
      await sleep(opts.pollMs ?? 2000, opts.signal);
    }
  }
  if (opts.finish && !opts.follow) {
    await deliver([{ id: `run:${opts.runId}:finish`, type: "run.finish", body: { run_id: opts.runId } }]);
  }
  return summary;
}
