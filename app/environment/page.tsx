import type { Metadata } from "next";
import { connection } from "next/server";
import { EnvHeader, parseTab } from "@/components/environment/env-header";
import { FlightsPanel, PolicyPanel, ReservationsPanel, ToolsPanel, UsersPanel } from "@/components/environment/panels";
import { EnvError } from "@/components/environment/env-error";
import { getDb } from "@/db/server";
import { loadPageEnvironment } from "@/lib/environment-sources/store/page-environment";
import { getEnv } from "@/lib/settings";
import { firstParam } from "@/components/environment/ui";
import { PageHeader } from "@/components/ui/page-header";
import { countState } from "@/lib/environment-sources/search";

export const metadata: Metadata = { title: "Environment" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EnvironmentPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, firstParam(v)]));
  const tab = parseTab(params.tab);
  const loaded = loadPageEnvironment(getDb(), params.env, { tau2DataDir: getEnv().TAU2_DATA_DIR });
  return (
    <>
      <PageHeader
        title="Environment"
        description="The airline state agents act on: users, reservations and flights, the tool catalogue and the policy."
      />
      {!loaded.ok ? (
        <EnvError message={loaded.message} environments={loaded.environments} />
      ) : (
        <>
          <EnvHeader environments={loaded.environments} current={loaded.row} label={loaded.env.label} counts={countState(loaded.env.state)} tab={tab} />
          {tab === "users" ? <UsersPanel state={loaded.env.state} envId={loaded.row.id} params={params} /> : null}
          {tab === "reservations" ? <ReservationsPanel state={loaded.env.state} envId={loaded.row.id} params={params} /> : null}
          {tab === "flights" ? <FlightsPanel state={loaded.env.state} envId={loaded.row.id} params={params} /> : null}
          {tab === "tools" ? <ToolsPanel /> : null}
          {tab === "policy" ? <PolicyPanel policy={loaded.env.policy} /> : null}
        </>
      )}
    </>
  );
}
