import type { Metadata } from "next";
import Link from "next/link";
import { ExperimentsList } from "@/components/experiments/experiments-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Experiments" };

export default function ExperimentsPage() {
  return (
    <>
      <PageHeader
        title="Experiments"
        description="Rollout experiments: a task set run by an agent and a user simulator, N samples per task."
        actions={
          <>
            <Link href="/experiments/endpoints" className="inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700">
              Endpoints
            </Link>
            <Link href="/experiments/new" className="inline-flex h-9 items-center rounded-md bg-indigo-600 px-3.5 text-sm font-medium text-white hover:bg-indigo-500">
              New experiment
            </Link>
          </>
        }
      />
      <ExperimentsList />
    </>
  );
}
