"use client";

/** Per task: pass rate of A and B side by side with the delta (B − A), sortable by any column. */
import { useMemo } from "react";
import { Card } from "@/components/ui/card";
import { fmtShare } from "@/components/calibration/series";
import type { CompareResponse, CompareTaskRow } from "@/lib/compare/compare";
import type { TaskSort } from "./compare-url";
import { sortTaskRows } from "./series";
import { DeltaCell } from "./delta-cell";

const COLUMNS: { key: TaskSort; label: string; numeric: boolean }[] = [
  { key: "task", label: "task", numeric: false },
  { key: "a", label: "pass rate A", numeric: true },
  { key: "b", label: "pass rate B", numeric: true },
  { key: "delta", label: "Δ (B − A, pp)", numeric: true },
];

export function TaskTable({
  data,
  sort,
  dir,
  selected,
  onSort,
  onPick,
}: {
  data: CompareResponse;
  sort: TaskSort;
  dir: "asc" | "desc";
  selected: string | null;
  onSort: (sort: TaskSort, dir: "asc" | "desc") => void;
  onPick: (task: string) => void;
}) {
  const rows = useMemo(() => sortTaskRows(data.tasks, sort, dir), [data.tasks, sort, dir]);
  const click = (key: TaskSort) => onSort(key, key === sort ? (dir === "asc" ? "desc" : "asc") : key === "task" ? "asc" : "desc");
  return (
    <Card className="p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold">Pass rate per task</h2>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          {data.tasks.length} tasks
          {data.only_a || data.only_b ? ` · ${data.only_a} only in A, ${data.only_b} only in B (no delta)` : ""} · click a column to sort, a row to pair its groups below
        </span>
      </div>
      <div className="mt-3 max-h-[28rem] overflow-auto">
        <table className="w-full text-sm tabular-nums" data-testid="compare-tasks">
          <thead className="sticky top-0 bg-white text-xs text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              {COLUMNS.map((c) => (
                <th key={c.key} className={"py-1.5 font-medium " + (c.numeric ? "text-right" : "text-left")} aria-sort={sort === c.key ? (dir === "asc" ? "ascending" : "descending") : "none"}>
                  <button type="button" className="hover:text-zinc-900 dark:hover:text-zinc-100" onClick={() => click(c.key)} data-testid={`sort-${c.key}`}>
                    {c.label}
                    {sort === c.key ? (dir === "asc" ? " ▲" : " ▼") : ""}
                  </button>
                </th>
              ))}
              <th className="py-1.5 text-right font-medium">rollouts A / B</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {rows.map((r) => (
              <TaskRow key={r.task_id} row={r} selected={r.task_id === selected} onPick={onPick} />
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function TaskRow({ row, selected, onPick }: { row: CompareTaskRow; selected: boolean; onPick: (task: string) => void }) {
  return (
    <tr
      data-task={row.task_id}
      aria-selected={selected}
      className={"cursor-pointer border-b border-zinc-100 last:border-0 hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-800/50 " + (selected ? "bg-indigo-50 dark:bg-indigo-950/50" : "")}
      onClick={() => onPick(row.task_id)}
    >
      <td className="py-1 pr-3 text-left">
        <button type="button" className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => onPick(row.task_id)}>
          {row.task_id}
        </button>
      </td>
      <td className="text-right" data-col="a">{fmtShare(row.a.pass_rate, 0)}</td>
      <td className="text-right" data-col="b">{fmtShare(row.b.pass_rate, 0)}</td>
      <DeltaCell value={row.delta === null ? null : row.delta * 100} digits={0} />
      <td className="text-right text-zinc-500">
        {row.a.passed}/{row.a.rollouts} · {row.b.passed}/{row.b.rollouts}
      </td>
    </tr>
  );
}
