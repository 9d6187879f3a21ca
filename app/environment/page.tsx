import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata: Metadata = { title: "Environment" };

export default function EnvironmentPage() {
  return <ComingSoon title="Environment" description="Airline states (seeded generator or a τ² domain directory), tools and policy." />;
}
