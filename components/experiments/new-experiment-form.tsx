"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PRESET_KNOBS, type AgentKnobs, type AgentPreset } from "@/lib/agents/simulated/presets";
import type { AgentDriverInput, CreateExperimentRequest, SimulatedKnobs, UserDriverInput } from "@/lib/experiments/api-types";
import { createExperimentRequest, endpointsQueryOptions } from "@/lib/api-client/experiments";
import { queryKeys } from "@/lib/api-client/keys";
import { ApiRequestError } from "@/lib/api-client/request";
import { taskSetOptionsQueryOptions } from "@/lib/api-client/tasks";
import { Field, Segmented, Select, TextInput } from "./field";

const PRESETS: readonly AgentPreset[] = ["expert", "average", "sloppy"];

const KNOB_HELP: Partial<Record<keyof AgentKnobs, string>> = {
  skipRead: "skip one evidence read",
  stopEarly: "stop gathering evidence early",
  wrongArgs: "corrupt one write argument",
  fixAfterError: "retry correctly after a failed write",
  skipConfirm: "write without asking for “yes”",
  policyViolation: "follow a request the policy forbids",
  duplicateRead: "repeat a read call",
  duplicateWrite: "repeat a successful write",
  inventId: "call a tool with an invented id",
  wander: "exploratory reads off the plan",
  earlyStop: "say goodbye before finishing",
  forgetAmount: "leave out the amount to tell the user",
};

/** API fields that have their own input (errors on them show under the input). */
const FIELD_NAMES = new Set(["name", "task_set_id", "group_size", "max_turns", "max_errors", "temperature", "seed", "concurrency"]);

type DriverKind = "simulated" | "openai";

interface FormState {
  name: string;
  taskSetId: string;
  agentKind: DriverKind;
  preset: AgentPreset;
  knobs: AgentKnobs;
  agentEndpoint: string;
  userKind: DriverKind;
  userEndpoint: string;
  groupSize: string;
  maxTurns: string;
  maxErrors: string;
  temperature: string;
  seed: string;
  concurrency: string;
}

function defaultName() {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `experiment ${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Only the knobs that differ from the preset are sent, so the stored config stays readable. */
function knobOverrides(preset: AgentPreset, knobs: AgentKnobs): SimulatedKnobs | undefined {
  const base = PRESET_KNOBS[preset];
  const out: Record<string, number> = {};
  for (const key of Object.keys(base) as (keyof AgentKnobs)[]) if (knobs[key] !== base[key]) out[key] = knobs[key];
  return Object.keys(out).length ? (out as SimulatedKnobs) : undefined;
}

function toInt(v: string): number {
  return v.trim() === "" ? NaN : Number(v);
}

export function NewExperimentForm() {
  const router = useRouter();
  const qc = useQueryClient();
  const taskSets = useQuery(taskSetOptionsQueryOptions());
  const endpoints = useQuery(endpointsQueryOptions());
  const [f, setF] = useState<FormState>(() => ({
    name: defaultName(),
    taskSetId: "",
    agentKind: "simulated",
    preset: "expert",
    knobs: { ...PRESET_KNOBS.expert },
    agentEndpoint: "",
    userKind: "simulated",
    userEndpoint: "",
    groupSize: "4",
    maxTurns: "30",
    maxErrors: "10",
    temperature: "0",
    seed: "0",
    concurrency: "8",
  }));
  const [showKnobs, setShowKnobs] = useState(false);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setF((s) => ({ ...s, [key]: value }));

  const readySets = (taskSets.data ?? []).filter((s) => s.status === "ready" && s.task_count > 0);
  const taskSetId = f.taskSetId || (readySets[0] ? String(readySets[0].id) : "");
  const endpointList = endpoints.data?.endpoints ?? [];

  const create = useMutation({
    mutationFn: (body: CreateExperimentRequest) => createExperimentRequest(body),
    onSuccess: (res) => {
      qc.invalidateQueries({ queryKey: queryKeys.experiments.list() });
      qc.setQueryData(queryKeys.experiments.detail(res.experiment.id), res);
      router.push(`/experiments/${res.experiment.id}`);
    },
  });

  function buildDriver(kind: DriverKind, endpoint: string, side: "agent" | "user"): AgentDriverInput | UserDriverInput | string {
    if (kind === "openai") {
      const id = Number(endpoint);
      if (!endpoint || !Number.isInteger(id)) return `choose an endpoint for the ${side}`;
      return { kind: "openai", endpoint_id: id };
    }
    if (side === "user") return { kind: "simulated" };
    return { kind: "simulated", preset: f.preset, knobs: knobOverrides(f.preset, f.knobs) };
  }

  const [localError, setLocalError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    setLocalError(null);
    const agent = buildDriver(f.agentKind, f.agentEndpoint, "agent");
    const user = buildDriver(f.userKind, f.userEndpoint, "user");
    if (typeof agent === "string") return setLocalError(agent);
    if (typeof user === "string") return setLocalError(user);
    if (!taskSetId) return setLocalError("choose a task set");
    const body: CreateExperimentRequest = {
      name: f.name.trim(),
      task_set_id: Number(taskSetId),
      agent: agent as AgentDriverInput,
      user: user as UserDriverInput,
      group_size: toInt(f.groupSize),
      max_turns: toInt(f.maxTurns),
      max_errors: toInt(f.maxErrors),
      temperature: Number(f.temperature),
      seed: toInt(f.seed),
      concurrency: toInt(f.concurrency),
    };
    create.mutate(body);
  }

  const apiError = create.error instanceof ApiRequestError ? create.error : null;
  const fieldError = (name: string) => (apiError?.field === name ? apiError.message : undefined);
  const shownInField = !!apiError?.field && FIELD_NAMES.has(apiError.field);
  const selectedSet = readySets.find((s) => String(s.id) === taskSetId);

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New experiment">
      <Card className="space-y-4 p-5">
        <h2 className="text-sm font-semibold">What to run</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="exp-name" label="Name" error={fieldError("name")}>
            <TextInput id="exp-name" value={f.name} onChange={(e) => set("name", e.target.value)} required maxLength={200} />
          </Field>
          <Field
            id="exp-task-set"
            label="Task set"
            error={fieldError("task_set_id")}
            hint={
              taskSets.isError ? (
                <span className="text-red-600 dark:text-red-400">Could not load task sets: {taskSets.error.message}</span>
              ) : taskSets.isSuccess && readySets.length === 0 ? (
                <>
                  No ready task set yet. <Link href="/tasks" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">Synthesize or import tasks</Link> first.
                </>
              ) : selectedSet ? (
                `${selectedSet.task_count} tasks · ${selectedSet.source}`
              ) : undefined
            }
          >
            <Select id="exp-task-set" value={taskSetId} onChange={(e) => set("taskSetId", e.target.value)} disabled={taskSets.isPending || readySets.length === 0}>
              {taskSets.isPending ? <option value="">Loading…</option> : null}
              {readySets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.task_count} tasks)
                </option>
              ))}
            </Select>
          </Field>
        </div>
      </Card>

      <Card className="space-y-4 p-5">
        <div className="flex items-center justify-between">
          <h2 className="text-sm font-semibold">Agent</h2>
          <Link href="/experiments/endpoints" className="text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Manage endpoints
          </Link>
        </div>
        <Segmented
          name="agent-kind"
          label="Agent driver"
          value={f.agentKind}
          onChange={(v) => set("agentKind", v)}
          options={[
            { value: "simulated", label: "Simulated" },
            { value: "openai", label: "OpenAI-compatible endpoint" },
          ]}
        />
        {f.agentKind === "simulated" ? (
          <div className="space-y-3 rounded-md border border-amber-200 bg-amber-50/50 p-3 dark:border-amber-900/60 dark:bg-amber-950/20">
            <p className="text-xs text-amber-900 dark:text-amber-200">
              <Badge tone="amber">simulated</Badge> A built-in, seeded rule-based agent — no model is called. Its runs are labelled “simulated” everywhere.
            </p>
            <div className="grid gap-4 sm:grid-cols-3">
              <Field id="exp-preset" label="Preset">
                <Select
                  id="exp-preset"
                  value={f.preset}
                  onChange={(e) => {
                    const preset = e.target.value as AgentPreset;
                    setF((s) => ({ ...s, preset, knobs: { ...PRESET_KNOBS[preset] } }));
                  }}
                >
                  {PRESETS.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            <button type="button" className="text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300" aria-expanded={showKnobs} onClick={() => setShowKnobs((v) => !v)}>
              {showKnobs ? "Hide" : "Adjust"} skill knobs{knobOverrides(f.preset, f.knobs) ? " (modified)" : ""}
            </button>
            {showKnobs ? (
              <div className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
                {(Object.keys(f.knobs) as (keyof AgentKnobs)[]).map((key) => (
                  <Field key={key} id={`knob-${key}`} label={KNOB_HELP[key] ? `${key} · ${KNOB_HELP[key]}` : key}>
                    <div className="flex items-center gap-2">
                      <input
                        id={`knob-${key}`}
                        type="range"
                        min={0}
                        max={1}
                        step={0.01}
                        value={f.knobs[key]}
                        onChange={(e) => set("knobs", { ...f.knobs, [key]: Number(e.target.value) })}
                        className="w-full accent-indigo-600"
                      />
                      <span className="w-10 text-right font-mono text-xs tabular-nums">{f.knobs[key].toFixed(2)}</span>
                    </div>
                  </Field>
                ))}
              </div>
            ) : null}
          </div>
        ) : (
          <EndpointPicker id="exp-agent-endpoint" value={f.agentEndpoint} onChange={(v) => set("agentEndpoint", v)} endpoints={endpointList} loading={endpoints.isPending} />
        )}
      </Card>

      <Card className="space-y-4 p-5">
        <h2 className="text-sm font-semibold">User simulator</h2>
        <Segmented
          name="user-kind"
          label="User driver"
          value={f.userKind}
          onChange={(v) => set("userKind", v)}
          options={[
            { value: "simulated", label: "Simulated" },
            { value: "openai", label: "OpenAI-compatible endpoint" },
          ]}
        />
        {f.userKind === "simulated" ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            <Badge tone="amber">simulated</Badge> A built-in user that follows the task&apos;s instructions and behaviour profile.
          </p>
        ) : (
          <EndpointPicker id="exp-user-endpoint" value={f.userEndpoint} onChange={(v) => set("userEndpoint", v)} endpoints={endpointList} loading={endpoints.isPending} />
        )}
      </Card>

      <Card className="space-y-4 p-5">
        <h2 className="text-sm font-semibold">Run settings</h2>
        <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <Field id="exp-group-size" label="Group size N" hint="samples per task" error={fieldError("group_size")}>
            <TextInput id="exp-group-size" type="number" min={1} max={64} value={f.groupSize} onChange={(e) => set("groupSize", e.target.value)} required />
          </Field>
          <Field id="exp-max-turns" label="Max turns" hint="agent turns" error={fieldError("max_turns")}>
            <TextInput id="exp-max-turns" type="number" min={1} max={500} value={f.maxTurns} onChange={(e) => set("maxTurns", e.target.value)} required />
          </Field>
          <Field id="exp-max-errors" label="Max errors" hint="before the episode ends" error={fieldError("max_errors")}>
            <TextInput id="exp-max-errors" type="number" min={1} max={100} value={f.maxErrors} onChange={(e) => set("maxErrors", e.target.value)} required />
          </Field>
          <Field id="exp-temperature" label="Temperature" hint="endpoint drivers" error={fieldError("temperature")}>
            <TextInput id="exp-temperature" type="number" min={0} max={2} step={0.1} value={f.temperature} onChange={(e) => set("temperature", e.target.value)} required />
          </Field>
          <Field id="exp-seed" label="Seed" hint="simulated drivers" error={fieldError("seed")}>
            <TextInput id="exp-seed" type="number" min={0} value={f.seed} onChange={(e) => set("seed", e.target.value)} required />
          </Field>
          <Field id="exp-concurrency" label="Concurrency" hint="conversations at once" error={fieldError("concurrency")}>
            <TextInput id="exp-concurrency" type="number" min={1} max={256} value={f.concurrency} onChange={(e) => set("concurrency", e.target.value)} required />
          </Field>
        </div>
        {selectedSet && Number(f.groupSize) > 0 ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {selectedSet.task_count} tasks × N = {f.groupSize} → <span className="font-mono tabular-nums">{selectedSet.task_count * Number(f.groupSize)}</span> rollouts
          </p>
        ) : null}
      </Card>

      <div className="flex flex-wrap items-center justify-end gap-3">
        {localError || (create.error && !shownInField) ? (
          <p className="mr-auto text-sm text-red-600 dark:text-red-400" role="alert" data-testid="form-error">
            {localError ?? create.error?.message}
          </p>
        ) : null}
        <Link href="/experiments" className="text-sm text-zinc-600 hover:underline dark:text-zinc-400">
          Cancel
        </Link>
        <Button type="submit" variant="primary" disabled={create.isPending || !taskSetId}>
          {create.isPending ? "Launching…" : "Launch experiment"}
        </Button>
      </div>
    </form>
  );
}

function EndpointPicker({
  id,
  value,
  onChange,
  endpoints,
  loading,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  endpoints: readonly { id: number; name: string; model: string; base_url: string }[];
  loading: boolean;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field
        id={id}
        label="Endpoint"
        hint={
          !loading && endpoints.length === 0 ? (
            <>
              No endpoints yet. <Link href="/experiments/endpoints" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">Add one</Link>.
            </>
          ) : undefined
        }
      >
        <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{loading ? "Loading…" : "Choose an endpoint"}</option>
          {endpoints.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} — {e.model} @ {e.base_url}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}
