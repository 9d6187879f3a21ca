import type { Metadata } from "next";
import Link from "next/link";
import { GroupBrowser } from "@/components/experiments/group-browser";
import { parseGroupFilters } from "@/components/experiments/group-filters";
import { PageHeader } from "@/components/ui/page-header";
import { parseExperimentId } from "../parse-id";

export const metadata: Metadata = { title: "Rollout groups" };

export default async function GroupsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = parseExperimentId((await params).id);
  const { filters, cursor } = parseGroupFilters(await searchParams);
  return (
    <>
      <PageHeader
        title="Rollout groups"
        description={
          <>
            <Link href={`/experiments/${id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              ← Experiment #{id}
            </Link>{" "}
            · One row per task: its N samples as pass/fail squares. Open a group to compare the siblings turn by turn.
          </>
        }
      />
      <GroupBrowser experimentId={id} filters={filters} cursor={cursor} />
    </>
  );
}
