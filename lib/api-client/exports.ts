/**
 * Browser side of the export jobs API: the experiment's exports (polled while one is queued
 * or running, stopping once all are final) and the request that starts one.
 */
import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { PublicExport } from "../exports/queries";
import type { createExportBodySchema } from "../exports/schemas";
import { queryKeys } from "./keys";
import { requestJson } from "./request";

export type { PublicExport };

const POLL_MS = 750;

export const isExportActive = (e: PublicExport) => e.status === "queued" || e.status === "running";

export function exportsQueryOptions(experimentId: number) {
  return queryOptions({
    queryKey: queryKeys.exports.list(experimentId),
    queryFn: () => requestJson<{ exports: PublicExport[] }>(`/api/exports?experiment_id=${experimentId}`),
    refetchInterval: (q) => (q.state.data?.exports.some(isExportActive) ? POLL_MS : false),
  });
}

/** POST /api/exports body, as the route's schema reads it. */
export type CreateExportRequest = z.input<typeof createExportBodySchema>;

export function createExportRequest(body: CreateExportRequest) {
  return requestJson<{ export: PublicExport }>("/api/exports", { method: "POST", body: JSON.stringify(body) });
}

export function deleteExportRequest(id: number) {
  return requestJson<{ deleted: number }>(`/api/exports/${id}`, { method: "DELETE" });
}
