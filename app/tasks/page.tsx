import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata: Metadata = { title: "Tasks" };

export default function TasksPage() {
  return <ComingSoon title="Tasks" description="Task sets synthesized along the W × B grid or imported from τ²-bench." />;
}
