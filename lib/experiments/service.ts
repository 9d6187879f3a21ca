/**
 * The experiments API's read/write operations, shared by the route handlers and tests
 * (the routes only parse input and call these). Every response shape comes from present.ts.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { getExperimentListRow, listExperiments, setExperimentStatus } from "../../db/queries/experiments";
import { getGroup, listGroups, type ListGroupsFilter } from "../../db/queries/groups";
import { createEndpoint, getEndpoint, listEndpoints } from "../../db/queries/model-endpoints";
import { countRunningRollouts, getMessagesForRollouts, getRollout, getRolloutMessages, listGroupRollouts } from "../../db/queries/rollouts";
import { experiments, modelEndpoints, tasks } from "../../db/schema";
import { DEFAULT_ENV_KEY_HOSTS, resolveOpenAIKey, type KeyPolicyEnv } from "../agents/openai/env-key";
import { testConnection } from "../agents/openai/test-connection";
import { ConflictError, NotFoundError, ValidationError } from "../errors/app-error";
import { requestCancel } from "../jobs/queue";
import { stripSecrets } from "../interchange/redact";
import type { Task } from "../types/task";
import type {
  DeleteEndpointResponse,
  EndpointResponse,
  ExperimentDetailResponse,
  GroupDetailResponse,
  ListEndpointsResponse,
  ListExperimentsResponse,
  ListGroupsResponse,
  RolloutDetailResponse,
  TestEndpointResponse,
} from "./api-types";
import { presentEndpoint, presentExperimentDetail, presentExperimentSummary, presentGroup, presentRolloutDetail, presentRolloutSummary } from "./present";

function endpointNames(db: Db): (id: number) => string | undefined {
  const names = new Map(db.select({ id: modelEndpoints.id, name: modelEndpoints.name }).from(modelEndpoints).all().map((r) => [r.id, r.name]));
  return (id) => names.get(id);
}

export function listExperimentsResponse(db: Db, q: { limit?: number; cursor?: number; status?: ListExperimentsResponse["experiments"][number]["status"] }): ListExperimentsResponse {
  const page = listExperiments(db, q);
  const names = endpointNames(db);
  return { experiments: page.rows.map((r) => presentExperimentSummary(r, names)), next_cursor: page.nextCursor };
}

export function getExperimentDetail(db: Db, id: number): ExperimentDetailResponse {
  const row = getExperimentListRow(db, id);
  if (!row) throw new NotFoundError(`experiment ${id} not found`);
  const inFlight = row.experiment.status === "running" ? countRunningRollouts(db, id) : 0;
  return presentExperimentDetail(row, inFlight, Date.now(), endpointNames(db));
}

/** Queued → cancelled at once; running → the worker stops within a couple of seconds; finished → 409. */
export function cancelExperiment(db: Db, id: number): ExperimentDetailResponse {
  const row = getExperimentListRow(db, id);
  if (!row) throw new NotFoundError(`experiment ${id} not found`);
  const { status } = presentExperimentSummary(row);
  if (status !== "queued" && status !== "running" && status !== "draft") throw new ConflictError(`experiment ${id} is already ${status}`);
  if (row.experiment.jobId !== null) {
    const job = row.job;
    if (job && (job.status === "queued" || job.status === "running")) {
      const updated = requestCancel(db, job.id);
      if (updated.status === "cancelled") setExperimentStatus(db, id, "cancelled", { error: "cancelled" });
    } else setExperimentStatus(db, id, "cancelled", { error: "cancelled" });
  } else setExperimentStatus(db, id, "cancelled", { error: "cancelled" });
  return getExperimentDetail(db, id);
}

export function listGroupsResponse(db: Db, experimentId: number, filter: ListGroupsFilter): ListGroupsResponse {
  const exists = db.select({ id: experiments.id }).from(experiments).where(eq(experiments.id, experimentId)).get();
  if (!exists) throw new NotFoundError(`experiment ${experimentId} not found`);
  const page = listGroups(db, experimentId, filter);
  return {
    groups: page.groups.map((g) => ({ ...presentGroup(g), rollouts: (page.rollouts.get(g.id) ?? []).map((r) => presentRolloutSummary(r)) })),
    next_cursor: page.nextCursor === null ? null : String(page.nextCursor),
  };
}

function taskBody(db: Db, taskSetId: number | null, taskId: string): Task | null {
  if (taskSetId === null) return null;
  return (
    db
      .select({ body: tasks.body })
      .from(tasks)
      .where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId)))
      .get()?.body ?? null
  );
}

function goldOf(task: Task | null) {
  return (task?.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments }));
}

export function getGroupDetail(db: Db, groupId: string): GroupDetailResponse {
  const group = getGroup(db, groupId);
  if (!group) throw new NotFoundError(`group ${groupId} not found`);
  const exp = db.select().from(experiments).where(eq(experiments.id, group.experimentId)).get()!;
  const rows = listGroupRollouts(db, groupId);
  const messages = getMessagesForRollouts(db, rows.map((r) => r.id));
  const task = taskBody(db, exp.taskSetId, group.taskId);
  const gold = goldOf(task);
  return {
    group: presentGroup(group),
    experiment: { id: exp.id, name: exp.name, status: exp.status },
    task: task ? (stripSecrets(task) as Record<string, unknown>) : null,
    rollouts: rows.map((r) => presentRolloutDetail(r, messages.get(r.id) ?? [], { goldActions: gold })),
  };
}

export function getRolloutDetail(db: Db, id: string): RolloutDetailResponse {
  const row = getRollout(db, id);
  if (!row) throw new NotFoundError(`rollout ${id} not found`);
  const exp = db.select({ taskSetId: experiments.taskSetId }).from(experiments).where(eq(experiments.id, row.experimentId)).get();
  const task = taskBody(db, exp?.taskSetId ?? null, row.taskId);
  return { rollout: presentRolloutDetail(row, getRolloutMessages(db, id), { goldActions: goldOf(task) }) };
}

// ---- endpoints -----------------------------------------------------------------------

export function listEndpointsResponse(db: Db, env: KeyPolicyEnv): ListEndpointsResponse {
  return {
    endpoints: listEndpoints(db).map(presentEndpoint),
    default_key_available: Boolean(env.OPENAI_API_KEY),
    default_key_hosts: [...(env.WRIT_OPENAI_ENV_KEY_HOSTS ?? DEFAULT_ENV_KEY_HOSTS)],
  };
}

export function createEndpointResponse(db: Db, input: { name: string; base_url: string; model: string; api_key?: string }): EndpointResponse {
  const taken = db.select({ id: modelEndpoints.id }).from(modelEndpoints).where(eq(modelEndpoints.name, input.name)).get();
  if (taken) throw new ValidationError(`an endpoint named "${input.name}" already exists`, "name");
  const row = createEndpoint(db, { name: input.name, baseUrl: input.base_url, model: input.model, apiKey: input.api_key ?? null });
  return { endpoint: presentEndpoint(row) };
}

function usesEndpoint(config: Record<string, unknown>, id: number): boolean {
  return config.kind === "openai" && config.endpoint_id === id;
}

export function deleteEndpoint(db: Db, id: number): DeleteEndpointResponse {
  return db.transaction(
    (tx) => {
      const row = getEndpoint(tx, id);
      if (!row) throw new NotFoundError(`endpoint ${id} not found`);
      const active = tx
        .select({ id: experiments.id, agent: experiments.agentConfig, user: experiments.userConfig, status: experiments.status })
        .from(experiments)
        .all()
        .filter((e) => (e.status === "queued" || e.status === "running") && (usesEndpoint(e.agent, id) || usesEndpoint(e.user, id)));
      if (active.length) throw new ConflictError(`endpoint ${id} is used by running experiment ${active[0].id}`);
      tx.delete(modelEndpoints).where(eq(modelEndpoints.id, id)).run();
      return { deleted: true as const, id };
    },
    { behavior: "immediate" },
  );
}

/**
 * Test a stored endpoint (its key stays server-side) or an unsaved base_url + model. The
 * server's OPENAI_API_KEY goes along only to an allow-listed host (lib/agents/openai/env-key.ts).
 */
export async function testEndpoint(
  db: Db,
  input: { endpoint_id: number } | { base_url: string; model: string; api_key?: string },
  env: KeyPolicyEnv,
): Promise<TestEndpointResponse> {
  let target: { baseURL: string; model: string; ownKey?: string | null };
  if ("endpoint_id" in input) {
    const row = getEndpoint(db, input.endpoint_id);
    if (!row) throw new NotFoundError(`endpoint ${input.endpoint_id} not found`);
    target = { baseURL: row.baseUrl, model: row.model, ownKey: row.apiKey };
  } else {
    target = { baseURL: input.base_url, model: input.model, ownKey: input.api_key };
  }
  const { apiKey, source } = resolveOpenAIKey(target, env);
  const r = await testConnection({ baseURL: target.baseURL, model: target.model, apiKey });
  return { ok: r.ok, latency_ms: r.latency_ms, model: r.model, key_source: source, ...(r.error ? { error: r.error } : {}) };
}
