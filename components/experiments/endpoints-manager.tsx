"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { EndpointResponseItem, TestEndpointRequest, TestEndpointResponse } from "@/lib/experiments/api-types";
import { createEndpointRequest, deleteEndpointRequest, endpointsQueryOptions, testEndpointRequest } from "@/lib/api-client/experiments";
import { queryKeys } from "@/lib/api-client/keys";
import { ApiRequestError } from "@/lib/api-client/request";
import { Field, TextInput } from "./field";

/** Result of "Test connection": ok + latency, or the error message. */
function TestResult({ result, error }: { result?: TestEndpointResponse; error?: Error | null }) {
  if (error) return <span className="text-xs text-red-600 dark:text-red-400" data-testid="endpoint-test-result">{error.message}</span>;
  if (!result) return null;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5 text-xs" data-testid="endpoint-test-result" data-ok={result.ok}>
      {result.ok ? <Badge tone="green">ok</Badge> : <Badge tone="red">failed</Badge>}
      <span className="font-mono tabular-nums text-zinc-600 dark:text-zinc-400">{Math.round(result.latency_ms)} ms</span>
      {result.error ? <span className="break-words text-red-600 dark:text-red-400">{result.error}</span> : null}
    </span>
  );
}

function useTestConnection() {
  return useMutation({ mutationFn: (body: TestEndpointRequest) => testEndpointRequest(body) });
}

export function EndpointsManager() {
  const query = useQuery(endpointsQueryOptions());
  return (
    <div className="space-y-4">
      <AddEndpointForm defaultKeyAvailable={query.data?.default_key_available ?? false} />
      <Card>
        <div className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">Stored endpoints</h2>
        </div>
        {query.isPending ? (
          <div className="px-4 py-6 text-sm text-zinc-500" aria-busy="true">Loading…</div>
        ) : query.isError ? (
          <EmptyState title="Could not load endpoints">{query.error.message}</EmptyState>
        ) : query.data.endpoints.length === 0 ? (
          <EmptyState title="No endpoints yet">Add an OpenAI-compatible endpoint above (vLLM, SGLang, Ollama, OpenAI, …).</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {query.data.endpoints.map((e) => (
              <EndpointRow key={e.id} endpoint={e} defaultKeyAvailable={query.data.default_key_available} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function EndpointRow({ endpoint, defaultKeyAvailable }: { endpoint: EndpointResponseItem; defaultKeyAvailable: boolean }) {
  const qc = useQueryClient();
  const test = useTestConnection();
  const remove = useMutation({
    mutationFn: () => deleteEndpointRequest(endpoint.id),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.endpoints.list() }),
  });
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 px-4 py-3" data-testid={`endpoint-row-${endpoint.id}`}>
      <div className="min-w-0">
        <div className="font-medium">{endpoint.name}</div>
        <div className="mt-0.5 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">
          {endpoint.model} @ {endpoint.base_url}
        </div>
        <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          API key:{" "}
          {endpoint.has_api_key ? (
            <Badge tone="neutral">stored (hidden)</Badge>
          ) : defaultKeyAvailable ? (
            "none stored — the server's OPENAI_API_KEY, only on allow-listed hosts"
          ) : (
            "none"
          )}
        </div>
        <div className="mt-1.5">
          <TestResult result={test.data} error={test.error} />
          {remove.error ? <span className="text-xs text-red-600 dark:text-red-400">{remove.error.message}</span> : null}
        </div>
      </div>
      <div className="flex items-center gap-2">
        <Button size="sm" onClick={() => test.mutate({ endpoint_id: endpoint.id })} disabled={test.isPending}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
        <Button
          size="sm"
          variant="danger"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete endpoint “${endpoint.name}”?`)) remove.mutate();
          }}
        >
          Delete
        </Button>
      </div>
    </li>
  );
}

function AddEndpointForm({ defaultKeyAvailable }: { defaultKeyAvailable: boolean }) {
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [model, setModel] = useState("");
  // Write-only: the key lives in this input until saved, then is cleared and never shown again.
  const [apiKey, setApiKey] = useState("");
  const test = useTestConnection();
  const create = useMutation({
    mutationFn: () => createEndpointRequest({ name: name.trim(), base_url: baseUrl.trim(), model: model.trim(), ...(apiKey ? { api_key: apiKey } : {}) }),
    onSuccess: () => {
      setName("");
      setBaseUrl("");
      setModel("");
      setApiKey("");
      test.reset();
      qc.invalidateQueries({ queryKey: queryKeys.endpoints.list() });
    },
  });
  const apiError = create.error instanceof ApiRequestError ? create.error : null;
  const fieldError = (f: string) => (apiError?.field === f ? apiError.message : undefined);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <Card className="p-5">
      <form onSubmit={submit} className="space-y-4" aria-label="Add endpoint" autoComplete="off">
        <h2 className="text-sm font-semibold">Add an OpenAI-compatible endpoint</h2>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field id="ep-name" label="Name" error={fieldError("name")}>
            <TextInput id="ep-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="local-vllm" required maxLength={100} />
          </Field>
          <Field id="ep-base-url" label="Base URL" error={fieldError("base_url")}>
            <TextInput id="ep-base-url" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="http://localhost:8000/v1" required />
          </Field>
          <Field id="ep-model" label="Model" error={fieldError("model")}>
            <TextInput id="ep-model" value={model} onChange={(e) => setModel(e.target.value)} placeholder="Qwen/Qwen3-4B-Instruct" required />
          </Field>
          <Field
            id="ep-api-key"
            label="API key (optional)"
            error={fieldError("api_key")}
            hint={defaultKeyAvailable ? "Blank: the server's OPENAI_API_KEY is used only if this host is in WRIT_OPENAI_ENV_KEY_HOSTS." : "Stored on the server; never shown again."}
          >
            <TextInput
              id="ep-api-key"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              placeholder="sk-…"
            />
          </Field>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Save endpoint"}
          </Button>
          <Button
            onClick={() => test.mutate({ base_url: baseUrl.trim(), model: model.trim(), ...(apiKey ? { api_key: apiKey } : {}) })}
            disabled={test.isPending || !baseUrl || !model}
          >
            {test.isPending ? "Testing…" : "Test connection"}
          </Button>
          <TestResult result={test.data} error={test.error} />
          {create.error && !apiError?.field ? <span className="text-sm text-red-600 dark:text-red-400" role="alert">{create.error.message}</span> : null}
        </div>
      </form>
    </Card>
  );
}
