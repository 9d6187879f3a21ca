"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import type { PublicJob } from "@/db/queries/jobs";
import { cancelJobRequest, retryJobRequest } from "@/lib/api-client/jobs";
import { queryKeys } from "@/lib/api-client/keys";

export function JobActions({ job }: { job: PublicJob }) {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs.all() });
  const cancel = useMutation({ mutationFn: cancelJobRequest, onSuccess });
  const retry = useMutation({ mutationFn: retryJobRequest, onSuccess });
  const error = cancel.error ?? retry.error;
  return (
    <div className="flex items-center justify-end gap-2">
      {job.status === "queued" || job.status === "running" ? (
        <Button
          size="sm"
          variant="danger"
          disabled={cancel.isPending || job.cancelRequested}
          onClick={() => cancel.mutate(job.id)}
          aria-label={`Cancel job ${job.id}`}
        >
          {job.cancelRequested ? "Cancelling…" : "Cancel"}
        </Button>
      ) : null}
      {job.status === "failed" || job.status === "cancelled" ? (
        <Button size="sm" disabled={retry.isPending} onClick={() => retry.mutate(job.id)} aria-label={`Retry job ${job.id}`}>
          Retry
        </Button>
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error.message}
        </span>
      ) : null}
    </div>
  );
}
