import Link from "next/link";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getOverview } from "@/db/queries/overview";
import { countJobsByStatus } from "@/db/queries/jobs";
import { getDb } from "@/db/server";

export default async function HomePage() {
  // Read the db per request, never at build time.
  await connection();
  const db = getDb();
  const overview = getOverview(db);
  const jobCounts = countJobsByStatus(db);
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
    </>
  );
}
