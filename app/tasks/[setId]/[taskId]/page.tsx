import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { flightHref, reservationHref, userHref } from "@/components/environment/panels";
import { Field, JsonBlock, SectionTitle, Table, decodeParam, linkClass, td, th } from "@/components/environment/ui";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/server";
import { AppError } from "@/lib/errors/app-error";
import { loadTaskBase } from "@/lib/environment-sources/task-base";
import { computeTargetDiff, goldReadPlan, goldWriteActions, type TargetDiff } from "@/lib/environment-sources/target-diff";
import { getTaskInSet, getTaskSet } from "@/lib/synthesis-runs/store";

type Props = { params: Promise<{ setId: string; taskId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Task ${decodeParam((await params).taskId)}` };
}

const INSTRUCTION_FIELDS = [
  ["reason_for_call", "Reason for call"],
  ["known_info", "Known info"],
  ["unknown_info", "Unknown info"],
  ["task_instructions", "Task instructions"],
] as const;

function TextBlock({ children }: { children: string }) {
  return <p className="font-sans text-sm leading-relaxed whitespace-pre-wrap">{children}</p>;
}

export default async function TaskPage({ params }: Props) {
  await connection();
  const p = await params;
  const setId = Number(p.setId);
  if (!Number.isSafeInteger(setId) || setId <= 0) notFound();
  const db = getDb();
  const set = getTaskSet(db, setId);
  if (!set) notFound();
  const row = getTaskInSet(db, setId, decodeParam(p.taskId));
  if (!row) notFound();
  const task = row.body;
  const instructions = task.user_scenario.instructions;
  const readPlan = goldReadPlan(task);
  const writes = goldWriteActions(task).map((a) => ({ name: a.name, arguments: a.arguments }));
  const criteria = task.evaluation_criteria;

  let base: ReturnType<typeof loadTaskBase> | null = null;
  let target: TargetDiff | null = null;
  let baseError: string | null = null;
  try {
    base = loadTaskBase(db, set.environmentId, task);
    target = computeTargetDiff(base.state, task);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    baseError = err.message;
  }
  const envId = base?.environmentId ?? null;
  const recordHref = (kind: string, id: string) =>
    envId === null ? null : kind === "users" ? userHref(envId, id) : kind === "reservations" ? reservationHref(envId, id) : flightHref(envId, id);

  return (
    <>
      <PageHeader
        title={`Task ${task.id}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link className={linkClass} href="/tasks">
              Tasks
            </Link>
            <span>/</span>
            <Link className={linkClass} href={`/tasks/${setId}`}>
              {set.name}
            </Link>
            <span className="flex flex-wrap gap-1">
              <Badge>W={row.writes ?? "?"}</Badge>
              {row.evidenceCell !== null ? <Badge>B={row.evidenceCell}</Badge> : null}
              <Badge>B-total={row.evidenceTotal ?? "?"}</Badge>
              {row.behavior ? <Badge tone="blue">{row.behavior}</Badge> : null}
              {row.decisionTypes.map((d) => (
                <Badge key={d} tone="amber">
                  {d}
                </Badge>
              ))}
            </span>
          </span>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card data-testid="scenario">
          <SectionTitle aside="what the user simulator is told">Scenario</SectionTitle>
          <dl className="space-y-3 px-4 py-3">
            <Field label="Persona">{task.user_scenario.persona ? <TextBlock>{task.user_scenario.persona}</TextBlock> : <span className="text-zinc-400">none</span>}</Field>
            {typeof instructions === "string" ? (
              <Field label="Instructions">
                <TextBlock>{instructions}</TextBlock>
              </Field>
            ) : (
              <>
                {instructions.domain ? <Field label="Domain">{instructions.domain}</Field> : null}
                {INSTRUCTION_FIELDS.map(([k, label]) => {
                  const v = instructions[k];
                  return (
                    <Field key={k} label={label}>
                      {typeof v === "string" && v.trim() ? <TextBlock>{v}</TextBlock> : <span className="text-zinc-400">—</span>}
                    </Field>
                  );
                })}
              </>
            )}
          </dl>
          {task.description?.purpose ? (
            <>
              <SectionTitle>Purpose</SectionTitle>
              <div className="px-4 py-3 text-sm text-zinc-600 dark:text-zinc-400">
                <TextBlock>{String(task.description.purpose)}</TextBlock>
              </div>
            </>
          ) : null}
        </Card>

        <div className="space-y-4">
          <Card>
            <SectionTitle aside={`${readPlan.length} read${readPlan.length === 1 ? "" : "s"}`}>Gold read plan</SectionTitle>
            <div className="p-4">{readPlan.length ? <JsonBlock value={readPlan} label="Gold read plan" /> : <p className="text-sm text-zinc-500">No reads.</p>}</div>
          </Card>
          <Card>
            <SectionTitle aside={`${writes.length} write${writes.length === 1 ? "" : "s"}`}>Gold writes</SectionTitle>
            <div className="p-4">
              {writes.length ? <JsonBlock value={writes} label="Gold writes" /> : <p className="text-sm text-zinc-500">None: the correct outcome leaves the state unchanged.</p>}
            </div>
          </Card>
          {criteria?.communicate_info?.length || criteria?.nl_assertions?.length ? (
            <Card>
              <SectionTitle>Must communicate / assertions</SectionTitle>
              <ul className="space-y-1 px-4 py-3 text-sm">
                {(criteria.communicate_info ?? []).map((s) => (
                  <li key={`c-${s}`}>
                    <Badge tone="green">say</Badge> <span className="font-mono text-xs">{s}</span>
                  </li>
                ))}
                {(criteria.nl_assertions ?? []).map((s) => (
                  <li key={`n-${s}`}>
                    <Badge>assert</Badge> {s}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      </div>

      <Card className="mt-4" data-testid="target-diff">
        <SectionTitle aside={base ? `gold writes executed on ${base.label}` : undefined}>Target state diff</SectionTitle>
        {baseError ? (
          <p className="p-4 text-sm text-red-700 dark:text-red-400" role="alert">
            {baseError}
          </p>
        ) : target ? (
          <div className="space-y-3 p-4">
            {target.writes.some((w) => w.error) ? (
              <ul className="space-y-1 text-sm text-red-700 dark:text-red-400" role="alert">
                {target.writes
                  .filter((w) => w.error)
                  .map((w, i) => (
                    <li key={i}>
                      <span className="font-mono">{w.name}</span>: {w.content}
                    </li>
                  ))}
              </ul>
            ) : null}
            {target.records.length === 0 ? (
              <EmptyState title="No change">The target state equals the initial state.</EmptyState>
            ) : (
              <Table minWidth={760} head={<><th className={th}>Record</th><th className={th}>Field</th><th className={th}>Before</th><th className={th}>After</th></>}>
                {target.records.flatMap((r) =>
                  (r.changes.length ? r.changes : [{ field: "(new record)", before: undefined, after: undefined }]).map((c, i) => {
                    const href = recordHref(r.kind, r.id);
                    return (
                      <tr key={`${r.kind}-${r.id}-${c.field}`} data-testid="diff-row">
                        <td className={td + " whitespace-nowrap"}>
                          {i === 0 ? (
                            <>
                              <span className="text-xs text-zinc-500">{r.kind.slice(0, -1)} </span>
                              {href ? (
                                <Link className={linkClass + " font-mono text-xs"} href={href}>
                                  {r.id}
                                </Link>
                              ) : (
                                <span className="font-mono text-xs">{r.id}</span>
                              )}
                              {r.added ? (
                                <span className="ml-1">
                                  <Badge tone="green">new</Badge>
                                </span>
                              ) : null}
                            </>
                          ) : null}
                        </td>
                        <td className={td + " font-mono text-xs"}>{c.field}</td>
                        <td className={td}>
                          <DiffValue value={c.before} tone="before" />
                        </td>
                        <td className={td}>
                          <DiffValue value={c.after} tone="after" />
                        </td>
                      </tr>
                    );
                  }),
                )}
              </Table>
            )}
            <details>
              <summary className="cursor-pointer text-xs font-medium text-zinc-600 dark:text-zinc-400">Raw env.diff()</summary>
              <div className="mt-2">
                <JsonBlock value={target.diff} label="Raw state diff" />
              </div>
            </details>
          </div>
        ) : null}
      </Card>

      <Card className="mt-4">
        <details className="p-4">
          <summary className="cursor-pointer text-sm font-semibold">Task JSON (τ² format)</summary>
          <div className="mt-3">
            <JsonBlock value={task} label="Task JSON" />
          </div>
        </details>
      </Card>
    </>
  );
}

function DiffValue({ value, tone }: { value: unknown; tone: "before" | "after" }) {
  if (value === undefined) return <span className="text-xs text-zinc-400">—</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 1);
  return (
    <pre
      className={
        "max-h-48 max-w-md overflow-auto rounded px-2 py-1 font-mono text-[11px] leading-snug whitespace-pre-wrap " +
        (tone === "before"
          ? "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200"
          : "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200")
      }
    >
      {text}
    </pre>
  );
}
