import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { dataRoots } from "@/lib/environment-sources/data-roots";
import { createEnvironment, listEnvironments, publicEnvironment } from "@/lib/environment-sources/rows";
import { getEnv } from "@/lib/settings";
import { handleRoute, json, parseInput, readJsonBody } from "@/lib/http/respond";
import { ensureDefaultEnvironments } from "./open";
import { createEnvironmentSchema } from "./schema";

/** GET /api/environments — every environment (the default generated one always exists). */
export async function GET() {
  await connection();
  return handleRoute(async () => {
    await retryBusy(() => ensureDefaultEnvironments());
    return json({ environments: listEnvironments(getDb()).map(publicEnvironment) });
  });
}

/** POST /api/environments {source_kind: "generated", seed} | {source_kind: "tau2", domain_dir} (under TAU2_DATA_DIR or WRIT_DATA_ROOTS) */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(createEnvironmentSchema, await readJsonBody(req));
    const row = await retryBusy(() =>
      createEnvironment(
        getDb(),
        {
          name: body.name,
          source: body.source_kind === "generated" ? { kind: "generated", seed: body.seed } : { kind: "tau2", domainDir: body.domain_dir },
        },
        { allowedRoots: dataRoots(getEnv()) },
      ),
    );
    return json({ environment: publicEnvironment(row) }, 201);
  });
}
