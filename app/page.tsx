import Link from "next/link";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getOverview } from "@/db/queries/overview";
import { countJobsByStatus } from "@/db/queries/jobs";
import { getDb } from "@/db/server";
import { Badge } from "@/components/ui/badge";
import { getCalibrationOverview } from "@/lib/calibration/overview";

const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

export default async function HomePage() {
  // Read the db per request, never at build time.
  await connection();
  const db = getDb();
  const overview = getOverview(db);
  const jobCounts = await countJobsByStatus(db);
  const calib = getCalibrationOverview(db, { experiments: 12, iterations: 8, jobs: 8 });
  const cards = [
    { href: "/experiments", label: "Experiments", value: overview.experiments, hint: `${overview.rollouts.toLocaleString("en-US")} rollouts` },
    { href: "/tasks", label: "Task sets", value: overview.taskSets, hint: `${overview.tasks.toLocaleString("en-US")} tasks` },
    { href: "/environment", label: "Environments", value: overview.environments, hint: "airline states" },
    { href: "/jobs", label: "Jobs", value: overview.jobs, hint: `${jobCounts.queued + jobCounts.running} active · ${jobCounts.failed} failed` },
  ];
  return (
    <>
      <PageHeader
        title="WRIT Lab"
        description="Synthesize multi-turn tool-calling tasks, run rollouts and calibrate per-turn rewards for RL."
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {cards.map((c) => (
          <Link key={c.href} href={c.href} className="group">
            <Card className="p-5 transition-colors group-hover:border-indigo-400 dark:group-hover:border-indigo-500">
              <div className="text-sm font-medium text-zinc-500 dark:text-zinc-400">{c.label}</div>
              <div className="mt-2 text-3xl font-semibold tabular-nums" data-testid={`count-${c.label.toLowerCase().replace(/\s+/g, "-")}`}>
                {c.value.toLocaleString("en-US")}
              </div>
              <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{c.hint}</div>
            </Card>
          </Link>
        ))}
      </div>
      <div className="mt-8 grid gap-6 lg:grid-cols-3">
        <Card className="p-5 lg:col-span-2">
          <h2 className="text-sm font-semibold">Experiments</h2>
          {calib.experiments.length === 0 ? (
            <p className="mt-3 text-sm text-zinc-500">No experiments yet.</p>
          ) : (
            <table className="mt-3 w-full text-sm" data-testid="home-experiments">
              <thead className="text-left text-xs text-zinc-500">
                <tr>
                  <th className="py-1 font-medium">Name</th>
                  <th className="py-1 font-medium">Status</th>
                  <th className="py-1 text-right font-medium">Rollouts</th>
                  <th className="py-1 text-right font-medium">Pass rate</th>
                  <th className="py-1 text-right font-medium" title="Tiers whose mean advantage has the wrong sign under the latest iteration">
                    Mismatches
                  </th>
                </tr>
              </thead>
              <tbody>
                {calib.experiments.map((e) => (
                  <tr key={e.id} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-1.5">
                      <Link href={`/experiments/${e.id}`} className="hover:underline">
                        {e.name}
                      </Link>
                    </td>
                    <td className="py-1.5 text-xs text-zinc-500">{e.status}</td>
                    <td className="py-1.5 text-right tabular-nums">
                      {e.rollouts_done.toLocaleString("en-US")} / {e.rollouts_total.toLocaleString("en-US")}
                    </td>
                    <td className="py-1.5 text-right tabular-nums">{pct(e.pass_rate)}</td>
                    <td className="py-1.5 text-right tabular-nums">
                      {e.mismatches === null ? (
                        e.latest_iteration ? (
                          <span className="text-xs text-zinc-400" title={`iteration ${e.latest_iteration.number}: metrics are computed when the workbench first opens it`}>
                            not analysed
                          </span>
                        ) : (
                          <span className="text-zinc-400">–</span>
                        )
                      ) : (
                        <span title={e.latest_iteration ? `iteration ${e.latest_iteration.number} (${e.latest_iteration.estimator})` : undefined}>
                          <Badge tone={e.mismatches === 0 ? "green" : "red"}>{e.mismatches}</Badge>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <div className="grid gap-6">
          <Card className="p-5">
            <h2 className="text-sm font-semibold">Recent iterations</h2>
            {calib.recent_iterations.length === 0 ? (
              <p className="mt-3 text-sm text-zinc-500">No reward-config iterations yet.</p>
            ) : (
              <ul className="mt-3 space-y-2 text-sm" data-testid="home-iterations">
                {calib.recent_iterations.map((it) => (
                  <li key={it.id}>
                    <div className="flex items-center justify-between gap-2">
                      {it.experiment_id !== null ? (
                        <Link href={`/experiments/${it.experiment_id}/calibrate?it=${it.id}`} className="truncate hover:underline">
                          {it.experiment_name ?? "—"} · #{it.number}
                        </Link>
                      ) : (
                        <span className="truncate">
                          {it.experiment_name ?? "—"} · #{it.number}
                        </span>
                      )}
                      {it.mismatches !== null ? (
                        <Badge tone={it.mismatches === 0 ? "green" : "red"}>{it.mismatches} mismatch{it.mismatches === 1 ? "" : "es"}</Badge>
                      ) : (
                        <span className="shrink-0 text-xs text-zinc-500" title="Metrics are computed when the workbench first opens this iteration">
                          not analysed yet
                        </span>
                      )}
                    </div>
                    <div className="truncate text-xs text-zinc-500">
                      {it.note ?? "no note"} · {when(it.created_at)}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card className="p-5">
            <h2 className="text-sm font-semibold">Running jobs</h2>
            {calib.running_jobs.length === 0 ? (
              <p className="mt-3 text-sm text-zinc-500">Nothing running.</p>
            ) : (
              <ul className="mt-3 space-y-1.5 text-sm" data-testid="home-jobs">
                {calib.running_jobs.map((j) => (
                  <li key={j.id} className="flex items-center justify-between gap-2">
                    <Link href={j.experiment_id !== null ? `/experiments/${j.experiment_id}` : "/jobs"} className="truncate hover:underline">
                      {j.name} #{j.id}
                    </Link>
                    <span className="truncate text-xs text-zinc-500">{j.progress_message ?? j.status}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
