import type { Metadata } from "next";
import { GroupView } from "@/components/rollouts/group-view";
import { readConfigParams } from "@/components/rollouts/annotation-params";
import { decodeParam, intParam, parseExperimentId } from "../../parse-id";

export const metadata: Metadata = { title: "Group" };

export default async function GroupPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; groupId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id, groupId } = await params;
  const sp = await searchParams;
  return <GroupView experimentId={parseExperimentId(id)} groupId={decodeParam(groupId)} initial={{ turn: intParam(sp.turn), sibling: intParam(sp.sibling) }} config={readConfigParams(sp)} />;
}
