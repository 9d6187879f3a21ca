/**
 * The experiments API's read/write operations, shared by the route handlers and tests
 * (the routes only parse input and call these). Every response shape comes from present.ts.
 */
import type { Db } from "../../db/client";
import { DEFAULT_ENV_KEY_HOSTS, resolveOpenAIKey, type KeyPolicyEnv } from "../agents/openai/env-key";
import { testConnection } from "../agents/openai/test-connection";
import { ConflictError, NotFoundError, ValidationError } from "../errors/app-error";
import { requestCancel } from "../jobs/store/queue";
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
import { createEndpoint, deleteEndpointUnlessUsed, endpointNameLookup, endpointNameTaken, getEndpoint, listEndpoints } from "./store/endpoints";
import { experimentExists, getExperimentHeader, getExperimentListRow, getExperimentTaskSetId, listExperiments, setExperimentStatus } from "./store/experiments";
import {
  countRunningRollouts,
  getGroup,
  getMessagesForRollouts,
  getRollout,
  getRolloutMessages,
  getTaskBody,
  listGroupRollouts,
  listGroups,
  type ListGroupsFilter,
} from "./store/groups";

export function listExperimentsResponse(db: Db, q: { limit?: number; cursor?: number; status?: ListExperimentsResponse["experiments"][number]["status"] }): ListExperimentsResponse {
  const page = listExperiments(db, q);
  const names = endpointNameLookup(db);
  return { experiments: page.rows.map((r) => presentExperimentSummary(r, names)), next_cursor: page.nextCursor };
}

export function getExperimentDetail(db: Db, id: number): ExperimentDetailResponse {
  const row = getExperimentListRow(db, id);
  if (!row) throw new NotFoundError(`experiment ${id} not found`);
  const inFlight = row.experiment.status === "running" ? countRunningRollouts(db, id) : 0;
  return presentExperimentDetail(row, inFlight, Date.now(), endpointNameLookup(db));
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
  if (!experimentExists(db, experimentId)) throw new NotFoundError(`experiment ${experimentId} not found`);
  const page = listGroups(db, experimentId, filter);
  return {
    groups: page.groups.map((g) => ({ ...presentGroup(g), rollouts: (page.rollouts.get(g.id) ?? []).map((r) => presentRolloutSummary(r)) })),
    next_cursor: page.nextCursor === null ? null : String(page.nextCursor),
  };
}

function goldOf(task: Task | null) {
  return (task?.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments }));
}

export function getGroupDetail(db: Db, groupId: string): GroupDetailResponse {
  const group = getGroup(db, groupId);
  if (!group) throw new NotFoundError(`group ${groupId} not found`);
  const exp = getExperimentHeader(db, group.experimentId)!;
  const rows = listGroupRollouts(db, groupId);
  const messages = getMessagesForRollouts(db, rows.map((r) => r.id));
  const task = getTaskBody(db, exp.taskSetId, group.taskId);
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
  const task = getTaskBody(db, getExperimentTaskSetId(db, row.experimentId) ?? null, row.taskId);
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
  if (endpointNameTaken(db, input.name)) throw new ValidationError(`an endpoint named "${input.name}" already exists`, "name");
  const row = createEndpoint(db, { name: input.name, baseUrl: input.base_url, model: input.model, apiKey: input.api_key ?? null });
  return { endpoint: presentEndpoint(row) };
}

export function deleteEndpoint(db: Db, id: number): DeleteEndpointResponse {
  deleteEndpointUnlessUsed(db, id);
  return { deleted: true as const, id };
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
