import type { Metadata } from "next";
import { connection } from "next/server";
import { SectionTitle } from "@/components/environment/ui";
import { ImportForm } from "@/components/tasks/import-form";
import { SynthesisForm } from "@/components/tasks/synthesis-form";
import { TaskSetsList } from "@/components/tasks/task-sets-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/server";
import { DEFAULT_ENVIRONMENT_NAME, listEnvironments } from "@/lib/environment-sources/rows";
import { BEHAVIORS } from "@/lib/synthesis/behaviors";

export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage() {
  await connection();
  // Read-only: the default environments are created at server start (bin/start.ts), not on GET.
  const environments = listEnvironments(getDb()).map((e) => ({ id: e.id, name: e.name, kind: e.sourceKind }));
  const generated = environments.find((e) => e.name === DEFAULT_ENVIRONMENT_NAME) ?? environments[0];
  const tau2 = environments.find((e) => e.kind === "tau2");
  const names = Object.fromEntries(environments.map((e) => [e.id, e.name]));
  return (
    <>
      <PageHeader title="Tasks" description="Task sets synthesized along WRIT's W × B grid, or imported from τ²-bench." />
      <div className="space-y-4">
        <Card>
          <SectionTitle aside="runs as a background job; progress updates live">New synthesis</SectionTitle>
          <div className="p-4">
            <SynthesisForm environments={environments} behaviors={BEHAVIORS} defaultEnvironmentId={generated?.id ?? null} />
          </div>
        </Card>
        <Card>
          <SectionTitle>Task sets</SectionTitle>
          <TaskSetsList environmentNames={names} />
        </Card>
        <Card>
          <SectionTitle aside="validated task by task; errors name the index and field">Import τ² tasks.json</SectionTitle>
          <div className="p-4">
            <ImportForm environments={environments} defaultEnvironmentId={(tau2 ?? generated)?.id ?? null} />
          </div>
        </Card>
      </div>
    </>
  );
}
