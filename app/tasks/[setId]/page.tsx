import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Pager, SectionTitle, Table, firstParam, inputClass, labelClass, linkClass, td, th, withParams } from "@/components/environment/ui";
import { WBHeatmap } from "@/components/charts/wb-heatmap";
import { topReasons, type HeatCell } from "@/components/charts/wb-task-grid";
import { SetWatcher } from "@/components/tasks/set-watcher";
import { TaskSetStatusBadge } from "@/components/tasks/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/server";
import { getEnvironment } from "@/lib/environment-sources/rows";
import { getTaskSet, getTaskSetSummary, listTasks, taskSetFacets } from "@/lib/synthesis-runs/store";
import type { SynthesisReport } from "@/lib/synthesis/synthesize";

type Props = { params: Promise<{ setId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function parseId(v: string): number | null {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
const intParam = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * The stored synthesis report (a JSON column typed as a plain record) when it has per-cell rows:
 * synthesized sets do, imported ones store null.
 */
function reportCells(report: Record<string, unknown> | null): Pick<SynthesisReport, "cells"> | null {
  const cells = report?.cells;
  return Array.isArray(cells) ? { cells: cells as SynthesisReport["cells"] } : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  const id = parseId((await params).setId);
  const set = id ? getTaskSet(getDb(), id) : undefined;
  return { title: set ? set.name : "Task set" };
}

export default async function TaskSetPage({ params, searchParams }: Props) {
  await connection();
  const id = parseId((await params).setId);
  if (!id) notFound();
  const db = getDb();
  if (!getTaskSet(db, id)) notFound();
  const { set, summary } = getTaskSetSummary(db, id);
  const sp = await searchParams;
  const filter = {
    w: intParam(firstParam(sp.w)),
    b: intParam(firstParam(sp.b)),
    bt: intParam(firstParam(sp.bt)),
    behavior: firstParam(sp.behavior) || undefined,
    decision: firstParam(sp.decision) || undefined,
  };
  const page = intParam(firstParam(sp.page)) ?? 1;
  const list = listTasks(db, id, {
    writes: filter.w,
    evidence: filter.b,
    evidenceTotal: filter.bt,
    behavior: filter.behavior,
    decisionType: filter.decision,
    page,
    pageSize: 50,
  });
  const facets = taskSetFacets(db, id);
  const env = set.environmentId !== null ? getEnvironment(db, set.environmentId) : undefined;
  const report = reportCells(set.report);
  const synthesized = report !== null;
  const cells: HeatCell[] = synthesized
    ? report.cells.map((c) => ({ writes: c.writes, evidence: c.evidence, built: c.built, requested: c.requested, rejections: c.rejections, note: c.note }))
    : facets.totals
        .filter((c) => c.writes !== null && c.evidenceTotal !== null)
        .map((c) => ({ writes: c.writes as number, evidence: c.evidenceTotal as number, built: c.count, requested: null }));
  const withRejections = synthesized ? report.cells.filter((c) => topReasons(c.rejections).length > 0 || c.built < c.requested) : [];
  const active = summary.status === "queued" || summary.status === "running";
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const pageHref = (p: number) => withParams(`/tasks/${id}`, { ...filter, page: p });

  return (
    <>
      <PageHeader
        title={set.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link className={linkClass} href="/tasks">
              Tasks
            </Link>
            <span>/</span>
            <TaskSetStatusBadge status={summary.status} />
            <span>
              {set.source} · {summary.task_count.toLocaleString("en-US")} tasks
              {summary.requested !== null ? ` of ${summary.requested.toLocaleString("en-US")} requested` : ""}
              {" · "}
              {env ? (
                <Link className={linkClass} href={withParams("/environment", { env: env.id })}>
                  {env.name}
                </Link>
              ) : (
                "generated state of each task's seed"
              )}
            </span>
          </span>
        }
        actions={
          summary.task_count > 0 ? (
            <a href={`/api/task-sets/${id}/export`} download>
              <Button>Export τ² tasks.json</Button>
            </a>
          ) : null
        }
      />
      <div className="space-y-4">
        {active && set.jobId !== null ? (
          <Card>
            <SectionTitle>Synthesizing…</SectionTitle>
            <SetWatcher jobId={set.jobId} />
          </Card>
        ) : null}
        {summary.status === "failed" || summary.status === "cancelled" ? (
          <Card className="p-4 text-sm text-red-700 dark:text-red-400" role="alert">
            Synthesis {summary.status}: {summary.error ?? "no reason recorded"}
          </Card>
        ) : null}

        {cells.length ? (
          <div className="grid gap-4 lg:grid-cols-5">
            <Card className="lg:col-span-2">
              <SectionTitle aside={synthesized ? "built / requested · hover for rejections" : "tasks per W × B-total"}>
                {synthesized ? "W × B grid" : "W × B-total"}
              </SectionTitle>
              <div className="p-4">
                <WBHeatmap variant="task-grid" cells={cells} setId={id} axis={synthesized ? "B" : "B-total"} />
                {synthesized ? (
                  <p className="mt-3 flex flex-wrap gap-3 text-xs text-zinc-500 dark:text-zinc-400">
                    <span className="flex items-center gap-1"><span className="h-3 w-3 rounded-sm bg-emerald-500" /> all built</span>
                    <span className="flex items-center gap-1"><span className="h-3 w-3 rounded-sm bg-amber-300" /> ≥ half</span>
                    <span className="flex items-center gap-1"><span className="h-3 w-3 rounded-sm bg-orange-400" /> some</span>
                    <span className="flex items-center gap-1"><span className="h-3 w-3 rounded-sm bg-red-500" /> none</span>
                  </p>
                ) : null}
              </div>
            </Card>
            <Card className="lg:col-span-3">
              <SectionTitle aside="rejected build attempts per cell">Rejection reasons</SectionTitle>
              {!synthesized ? (
                <EmptyState title="No synthesis report">Imported sets carry no build report.</EmptyState>
              ) : withRejections.length === 0 ? (
                <EmptyState title="No rejections">Every cell built on its first attempts.</EmptyState>
              ) : (
                <div className="max-h-[26rem] overflow-auto">
                  <Table minWidth={480} head={<><th className={th}>Cell</th><th className={th + " text-right"}>Built</th><th className={th}>Reasons</th></>}>
                    {withRejections.map((c) => (
                      <tr key={`${c.writes}x${c.evidence}`} data-testid="rejection-row">
                        <td className={td + " whitespace-nowrap tabular-nums"}>
                          W={c.writes}, B={c.evidence}
                        </td>
                        <td className={td + " text-right tabular-nums " + (c.built < c.requested ? "text-red-700 dark:text-red-400" : "")}>
                          {c.built}/{c.requested}
                        </td>
                        <td className={td}>
                          <div className="flex flex-wrap gap-1">
                            {topReasons(c.rejections, 6).map(([k, v]) => (
                              <span key={k} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                                {k} ×{v}
                              </span>
                            ))}
                          </div>
                          {c.note ? <div className="mt-1 text-xs text-zinc-500">{c.note}</div> : null}
                        </td>
                      </tr>
                    ))}
                  </Table>
                </div>
              )}
            </Card>
          </div>
        ) : null}

        <Card>
          <form action={`/tasks/${id}`} className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800" aria-label="Filter tasks">
            <label className={labelClass}>
              W
              <select className={inputClass + " w-20"} name="w" defaultValue={filter.w ?? ""}>
                <option value="">any</option>
                {facets.writes.map((w) => (
                  <option key={w}>{w}</option>
                ))}
              </select>
            </label>
            <label className={labelClass}>
              B (per decision)
              <select className={inputClass + " w-24"} name="b" defaultValue={filter.b ?? ""}>
                <option value="">any</option>
                {facets.evidence.map((b) => (
                  <option key={b}>{b}</option>
                ))}
              </select>
            </label>
            {filter.bt !== undefined ? <input type="hidden" name="bt" value={filter.bt} /> : null}
            <label className={labelClass}>
              Behaviour
              <select className={inputClass + " w-44"} name="behavior" defaultValue={filter.behavior ?? ""}>
                <option value="">any</option>
                {facets.behaviors.map((b) => (
                  <option key={b}>{b}</option>
                ))}
              </select>
            </label>
            <label className={labelClass}>
              Decision type
              <select className={inputClass + " w-48"} name="decision" defaultValue={filter.decision ?? ""}>
                <option value="">any</option>
                {facets.decisionTypes.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            </label>
            <Button type="submit" variant="primary">
              Filter
            </Button>
            {filtered ? (
              <Link className="text-sm text-zinc-600 hover:underline dark:text-zinc-400" href={`/tasks/${id}`}>
                Clear{filter.bt !== undefined ? ` (B-total=${filter.bt})` : ""}
              </Link>
            ) : null}
          </form>
          {list.total === 0 ? (
            <EmptyState title={filtered ? "No tasks match these filters" : active ? "Tasks appear when synthesis finishes" : "This set has no tasks"} />
          ) : (
            <>
              <Table
                minWidth={760}
                head={<><th className={th}>Task</th><th className={th + " text-right"}>W</th><th className={th + " text-right"}>B</th><th className={th + " text-right"}>B-total</th><th className={th}>Behaviour</th><th className={th}>Decision types</th></>}
              >
                {list.tasks.map((t) => (
                  <tr key={t.id} data-testid="task-row">
                    <td className={td + " font-mono text-xs"}>
                      <Link className={linkClass} href={`/tasks/${id}/${encodeURIComponent(t.task_id)}`}>
                        {t.task_id}
                      </Link>
                    </td>
                    <td className={td + " text-right tabular-nums"}>{t.writes ?? "—"}</td>
                    <td className={td + " text-right tabular-nums"}>{t.evidence ?? "—"}</td>
                    <td className={td + " text-right tabular-nums"}>{t.evidence_total ?? "—"}</td>
                    <td className={td}>{t.behavior ? <Badge tone="blue">{t.behavior}</Badge> : <span className="text-zinc-400">—</span>}</td>
                    <td className={td}>
                      <div className="flex flex-wrap gap-1">
                        {t.decision_types.map((d) => (
                          <Badge key={d}>{d}</Badge>
                        ))}
                      </div>
                    </td>
                  </tr>
                ))}
              </Table>
              <Pager page={list.page} pageCount={list.pageCount} total={list.total} href={pageHref} />
            </>
          )}
        </Card>
      </div>
    </>
  );
}
