import type { Metadata } from "next";
import Link from "next/link";
import { EndpointsManager } from "@/components/experiments/endpoints-manager";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Model endpoints" };

export default function EndpointsPage() {
  return (
    <>
      <PageHeader
        title="Model endpoints"
        description={
          <>
            OpenAI-compatible servers that agent and user drivers can call. API keys are stored on the server and never shown again.{" "}
            <Link href="/experiments/new" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              New experiment →
            </Link>
          </>
        }
      />
      <EndpointsManager />
    </>
  );
}
