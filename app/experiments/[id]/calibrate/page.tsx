import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Workbench } from "@/components/calibration/workbench";
import { decodeUrlState } from "@/lib/calibration/url-state";

export const metadata: Metadata = { title: "Calibrate" };

/**
 * The calibration workbench of one experiment. The URL state is decoded here from the request's
 * searchParams (so the first render already shows the linked view); from then on the client
 * keeps the address bar in step with history.replaceState.
 */
export default async function CalibratePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const experimentId = Number(id);
  if (!Number.isInteger(experimentId) || experimentId <= 0) notFound();
  const initial = decodeUrlState(await searchParams);
  return <Workbench experimentId={experimentId} initial={initial} />;
}
