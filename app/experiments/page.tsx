import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata: Metadata = { title: "Experiments" };

export default function ExperimentsPage() {
  return <ComingSoon title="Experiments" description="Rollout experiments, pass^k and per-turn reward calibration." />;
}
