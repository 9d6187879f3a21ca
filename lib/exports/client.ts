/**
 * Browser side of the export jobs API: the experiment's exports (polled while one is queued
 * or running, stopping once all are final) and the request that starts one.
 */
import { queryOptions } from "@tanstack/react-query";
import { requestJson } from "../http/client";
import type { ExportFormatName } from "../experiments/export";
import type { RlLayout } from "../interchange/rl";
import type { PublicExport } from "./queries";

export type { PublicExport };

const POLL_MS = 750;

export const exportKeys = {
  list: (experimentId: number) => ["exports", "list", experimentId] as const,
};

export const isExportActive = (e: PublicExport) => e.status === "queued" || e.status === "running";

export function exportsQueryOptions(experimentId: number) {
  return queryOptions({
    queryKey: exportKeys.list(experimentId),
    queryFn: () => requestJson<{ exports: PublicExport[] }>(`/api/exports?experiment_id=${experimentId}`),
    refetchInterval: (q) => (q.state.data?.exports.some(isExportActive) ? POLL_MS : false),
  });
}

export interface CreateExportRequest {
  experiment_id: number;
  format: ExportFormatName;
  rl_layout?: RlLayout;
}

export function createExportRequest(body: CreateExportRequest) {
  return requestJson<{ export: PublicExport }>("/api/exports", { method: "POST", body: JSON.stringify(body) });
}

export function deleteExportRequest(id: number) {
  return requestJson<{ deleted: number }>(`/api/exports/${id}`, { method: "DELETE" });
}
