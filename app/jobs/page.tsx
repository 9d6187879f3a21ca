import type { Metadata } from "next";
import { JobsPanel } from "@/components/jobs/jobs-panel";
import { WorkersPanel } from "@/components/jobs/workers-panel";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Jobs" };

export default function JobsPage() {
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background work run by the worker processes: rollouts, synthesis, imports and demos."
      />
      <div className="space-y-4">
        <WorkersPanel />
        <JobsPanel />
      </div>
    </>
  );
}
