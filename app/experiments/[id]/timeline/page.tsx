import type { Metadata } from "next";
import { RunTimeline } from "@/components/timeline/run-timeline";
import { decodeTimelineState } from "@/lib/analysis/timeline-url";
import { parseExperimentId } from "../parse-id";

export const metadata: Metadata = { title: "Run timeline" };

/** A training run over its steps; the view state (estimator, bucket, tier) is in the URL. */
export default async function TimelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = parseExperimentId((await params).id);
  return <RunTimeline experimentId={id} initial={decodeTimelineState(await searchParams)} />;
}
