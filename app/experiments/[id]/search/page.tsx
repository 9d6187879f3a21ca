import type { Metadata } from "next";
import Link from "next/link";
import { readSearchParams } from "@/lib/api-client/search-params";
import { SearchView } from "@/components/search/search-view";
import { PageHeader } from "@/components/ui/page-header";
import { parseExperimentId } from "../parse-id";

export const metadata: Metadata = { title: "Search rollouts" };

export default async function SearchPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = parseExperimentId((await params).id);
  const sp = readSearchParams(await searchParams);
  return (
    <>
      <PageHeader
        title="Search rollouts"
        description={
          <>
            <Link href={`/experiments/${id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              ← Experiment #{id}
            </Link>{" "}
            · Full text over what the agent, the user and the tools said and every tool call, combined with filters. Open a row to see its group at the
            matching turn.
          </>
        }
      />
      <SearchView experimentId={id} params={sp} />
    </>
  );
}
