import type { Metadata } from "next";
import { NewExperimentForm } from "@/components/experiments/new-experiment-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New experiment" };

export default function NewExperimentPage() {
  return (
    <>
      <PageHeader title="New experiment" description="Pick a task set, the agent and user drivers, and how many samples to run per task." />
      <NewExperimentForm />
    </>
  );
}
