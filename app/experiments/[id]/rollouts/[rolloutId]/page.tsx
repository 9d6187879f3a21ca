import type { Metadata } from "next";
import { RolloutView } from "@/components/rollouts/rollout-view";
import { readConfigParams } from "@/components/rollouts/annotation-params";
import { decodeParam, intParam, parseExperimentId } from "../../parse-id";

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; rolloutId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id, rolloutId } = await params;
  const sp = await searchParams;
  return <RolloutView experimentId={parseExperimentId(id)} rolloutId={decodeParam(rolloutId)} initialTurn={intParam(sp.turn)} config={readConfigParams(sp)} />;
}
