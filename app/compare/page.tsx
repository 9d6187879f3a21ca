import type { Metadata } from "next";
import { CompareView } from "@/components/compare/compare-view";
import { decodeCompareState } from "@/components/compare/compare-url";

export const metadata: Metadata = { title: "Compare runs" };

/** Two experiments or two step ranges side by side; the whole view state is in the URL (components/compare/compare-url). */
export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <CompareView initial={decodeCompareState(await searchParams)} />;
}
