/**
 * Browser access to /api/task-sets: the tasks page's list (polled while a set is queued or
 * running), the compact options the new-experiment form picks from, and the create request (a
 * synthesis or an import). The synthesis job itself is watched through ./jobs.
 */
import { queryOptions } from "@tanstack/react-query";
import type { TaskSetSummary } from "../synthesis-runs/store";
import { isActive } from "./jobs";
import { queryKeys } from "./keys";
import { requestJson as request } from "./request";

export function taskSetsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.taskSets.list(),
    queryFn: () => request<{ task_sets: TaskSetSummary[] }>("/api/task-sets"),
    refetchInterval: (q) => (q.state.data?.task_sets.some((s) => isActive(s.status)) ? 1_000 : false),
  });
}

/** The compact task-set row the experiment form needs. */
export type TaskSetOption = Pick<TaskSetSummary, "id" | "name" | "status" | "task_count" | "source">;

/** Accepts `{task_sets: [...]}` or a bare array, so the form does not break if the envelope changes. */
function readTaskSets(body: unknown): TaskSetOption[] {
  const list = Array.isArray(body)
    ? body
    : ((body as { task_sets?: unknown; taskSets?: unknown } | null)?.task_sets ?? (body as { taskSets?: unknown } | null)?.taskSets);
  return Array.isArray(list) ? (list as TaskSetOption[]) : [];
}

/** Task sets as options of the new-experiment form (fetched once, not polled). */
export function taskSetOptionsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.taskSets.options(),
    queryFn: async () => readTaskSets(await request<unknown>("/api/task-sets")),
  });
}

export interface CreatedTaskSet {
  task_set: TaskSetSummary;
  job?: { id: number; status: string };
}

/** POST /api/task-sets body (app/api/task-sets/schema.ts validates it). */
export interface CreateTaskSetBody {
  name: string;
  environment_id: number | null;
  config?: unknown;
  import?: unknown;
}

export function createTaskSetRequest(body: CreateTaskSetBody) {
  return request<CreatedTaskSet>("/api/task-sets", { method: "POST", body: JSON.stringify(body) });
}
