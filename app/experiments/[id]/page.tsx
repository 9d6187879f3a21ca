import type { Metadata } from "next";
import { ExperimentView } from "@/components/experiments/experiment-view";
import { parseExperimentId } from "./parse-id";

export const metadata: Metadata = { title: "Experiment" };

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = parseExperimentId((await params).id);
  return <ExperimentView id={id} />;
}
