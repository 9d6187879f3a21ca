/**
 * The `rollouts.run` job (payload {experiment_id}): runs every (task, sample) of an
 * experiment not yet finished, `concurrency` conversations at once inside this worker.
 *
 * - Exactly group_size rollouts per task: ids are deterministic (r-<exp>-<pos>-<sample>),
 *   rows are inserted ON CONFLICT DO NOTHING, finished ones are skipped on a retry.
 * - Resume: a rollout left "running" by a killed/cancelled attempt continues from its
 *   saved messages (runEpisode's initialMessages); nothing saved is asked of a model again.
 * - Persistence: a RolloutSink. Simulated drivers: this thread plays conversations (and runs
 *   the policy check) while the rollout store thread scores and writes them in batches
 *   (./store/thread.ts); OpenAI drivers: RolloutWriter here, flushing every message
 *   before the next model call. The summary row is finalised once, with outcome / reward /
 *   termination / turns / tokens / errors, the task's W / B / behaviour, and the policy
 *   checker's violations (diagnostics, counted per rule for the overview).
 * - A driver or environment failure ends only that rollout (termination "error"); the
 *   worker and the other rollouts carry on. Storage failures fail the job: a busy database
 *   or a lost store thread is retried, a refused write is not (the reason is shown).
 * - Cancel (ctx.signal): in-flight episodes stop at their next step, what they said so far
 *   is flushed, the experiment becomes "cancelled".
 */
import type { ExperimentRow, GroupRow } from "../../db/schema";
import { redactSecret } from "../agents/openai/redact";
import { resolveDrivers } from "./store/drivers";
import { agentInputSchema, userInputSchema } from "./driver-schemas";
import { insertGroups, listRunTasks, loadTaskBodies, resolveScoring, rolloutIdFor } from "./store/run-tasks";
import { defineJobHandler, type JobContext } from "../jobs/define";
import { JobCancelledError, PayloadError } from "../jobs/errors";
import { mixSeed } from "../random/prng";
import type { Message } from "../types/messages";
import type { Task } from "../types/task";
import { mapWithConcurrency } from "./pool";
import { rolloutsRunKind } from "../jobs/kinds";
import type { RolloutsRunPayload } from "../jobs/payloads";
import { RolloutStorageError, type RolloutSink } from "./sink";
import { erroredRolloutFinal, playRollout, type RolloutWork } from "./perform-rollout";
import {
  getExperimentRow,
  getRolloutMessages,
  getRunTaskSet,
  listExperimentGroups,
  listRolloutStatuses,
  setExperimentStatus,
} from "./store/run-state";
import { openRolloutSink } from "./store/thread";

const PROGRESS_EVERY_MS = 300;
const TASK_SET_POLL_MS = 500;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Groups of the experiment; an experiment launched on a set still being synthesized gets them once it is ready. */
async function ensureGroups(ctx: JobContext<unknown>, exp: ExperimentRow): Promise<GroupRow[]> {
  let groups = listExperimentGroups(ctx.db, exp.id);
  if (groups.length > 0) return groups;
  if (exp.taskSetId === null) throw new PayloadError(`experiment ${exp.id} has no task set`, "experiment_id");
  for (;;) {
    const set = getRunTaskSet(ctx.db, exp.taskSetId);
    if (!set) throw new PayloadError(`task set ${exp.taskSetId} no longer exists`, "experiment_id");
    if (set.status === "ready") break;
    if (set.status === "failed" || set.status === "cancelled") throw new PayloadError(`task set ${set.id} is ${set.status}`, "experiment_id");
    await ctx.reportProgress(0, null, `waiting for task set "${set.name}" (${set.status})`);
    await sleep(TASK_SET_POLL_MS, ctx.signal);
  }
  ctx.db.transaction(
    (tx) => {
      if (listExperimentGroups(tx, exp.id).length === 0) insertGroups(tx, exp, listRunTasks(tx, exp.taskSetId!, exp.taskIds));
    },
    { behavior: "immediate" },
  );
  groups = listExperimentGroups(ctx.db, exp.id);
  if (groups.length === 0) throw new PayloadError(`task set ${exp.taskSetId} has no tasks`, "experiment_id");
  return groups;
}

export async function runExperimentJob(ctx: JobContext<RolloutsRunPayload>): Promise<unknown> {
  const { db, signal } = ctx;
  const id = ctx.payload.experiment_id;
  const initial = getExperimentRow(db, id);
  if (!initial) throw new PayloadError(`experiment ${id} not found`, "experiment_id");
  if (initial.source !== "run") return { skipped: `experiment ${id} is imported` };
  if (initial.status === "completed" || initial.status === "cancelled") return { skipped: `experiment ${id} is ${initial.status}` };

  let writer: RolloutSink | undefined;
  try {
    const groups = await ensureGroups(ctx as JobContext<unknown>, initial);
    setExperimentStatus(db, id, "running", { error: null });
    const exp = getExperimentRow(db, id)!;
    const agentInput = agentInputSchema.parse(exp.agentConfig);
    const userInput = userInputSchema.parse(exp.userConfig);
    const drivers = resolveDrivers(db, agentInput, userInput, { temperature: exp.temperature });
    // Keys resolved for this run, only to scrub them from any error text we record.
    const secrets = [drivers.agentFor(0).config, drivers.user]
      .map((c) => (c as { apiKey?: string }).apiKey)
      .filter((k): k is string => Boolean(k));
    const scrub = (text: string) => secrets.reduce((t, k) => redactSecret(t, k), text);
    const scoring = resolveScoring(db, exp.taskSetId);
    const bodies = exp.taskSetId !== null ? loadTaskBodies(db, exp.taskSetId, groups.map((g) => g.taskId)) : new Map<string, Task>();

    const statuses = new Map(listRolloutStatuses(db, id).map((r) => [r.id, r.status]));
    const items: { group: GroupRow; sample: number; resume: boolean }[] = [];
    for (const group of groups) {
      for (let sample = 0; sample < exp.groupSize; sample++) {
        const st = statuses.get(rolloutIdFor(id, group.position, sample));
        if (st === "done" || st === "error") continue;
        items.push({ group, sample, resume: st === "running" });
      }
    }
    const total = exp.rolloutsTotal;
    const doneBefore = exp.rolloutsDone;
    const w = openRolloutSink(db, { durable: drivers.durable, taskSetId: exp.taskSetId, taskIds: [...bodies.keys()], log: (m) => process.stderr.write(`[rollouts] ${m}\n`) });
    writer = w;
    await ctx.reportProgress(doneBefore, total, `${items.length} rollouts to run (${items.filter((i) => i.resume).length} resumed)`);
    let lastProgress = Date.now();

    await mapWithConcurrency(items, exp.concurrency, async ({ group, sample, resume }) => {
      signal.throwIfAborted();
      const rolloutId = rolloutIdFor(id, group.position, sample);
      const { config: agentConfig, preset } = drivers.agentFor(sample);
      const now = Date.now();
      w.start({
        id: rolloutId,
        experimentId: id,
        groupId: group.id,
        taskId: group.taskId,
        sampleIndex: sample,
        writes: group.writes,
        evidenceTotal: group.evidenceTotal,
        evidenceCell: group.evidenceCell,
        behavior: group.behavior,
        preset,
        createdAt: now,
      });
      const fail = (message: string, saved: readonly Message[] = []) =>
        w.fail(erroredRolloutFinal({ id: rolloutId, experimentId: id, groupId: group.id }, scrub(message), preset, saved));

      const task = bodies.get(group.taskId);
      if (!task) return fail(`task "${group.taskId}" is no longer in the task set`);
      // Flush so the resume read below sees everything this process queued for the rollout.
      if (resume) await w.flush();
      const saved = resume ? getRolloutMessages(db, rolloutId) : [];
      const seed = mixSeed(exp.seed, group.position, sample);
      try {
        const work: RolloutWork = {
          rolloutId,
          experimentId: id,
          groupId: group.id,
          sample,
          seed,
          task,
          baseState: scoring.baseFor(task),
          policy: scoring.policy,
          agent: agentConfig,
          user: drivers.user,
          preset,
          maxTurns: exp.maxTurns,
          maxErrors: exp.maxErrors,
          saved,
        };
        const played = await playRollout(work, (m, idx) => w.message(rolloutId, idx, m), signal);
        w.finish(work, played.error === undefined ? played : { ...played, error: scrub(played.error) }, Date.now());
      } catch (err) {
        if (signal.aborted || err instanceof RolloutStorageError) throw err;
        fail(err instanceof Error ? err.message : String(err), saved);
      }
      // Simulated episodes resolve in microtasks: yield so heartbeats, cancel checks and timers run.
      await yieldToLoop();
      await w.pace();
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        w.publish();
        await ctx.reportProgress(doneBefore + w.finalized, total, null);
      }
    });
    await w.flush();
    const final = getExperimentRow(db, id)!;
    const finished = listRolloutStatuses(db, id).filter((r) => r.status !== "running").length;
    setExperimentStatus(db, id, "completed");
    await ctx.reportProgress(final.rolloutsDone, total, "done");
    return { experiment_id: id, rollouts: finished, passed: final.rolloutsPassed, ran_now: w.finalized };
  } catch (err) {
    try {
      await writer?.flush();
    } catch {
      // The original error matters more; the rollouts resume from what was saved.
    }
    if (signal.aborted && signal.reason instanceof JobCancelledError) {
      setExperimentStatus(db, id, "cancelled", { error: "cancelled" });
    } else if (err instanceof PayloadError) {
      setExperimentStatus(db, id, "failed", { error: err.message });
    }
    throw err;
  } finally {
    writer?.close();
  }
}

export const rolloutsRun = defineJobHandler(rolloutsRunKind, runExperimentJob);
