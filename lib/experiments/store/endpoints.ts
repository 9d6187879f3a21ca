/**
 * Model endpoint rows for the experiments API (db/queries/model-endpoints.ts holds the shared
 * queries, re-exported here). The api_key stays in the row: callers present rows through
 * present.ts, which never returns it.
 */
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../db/client";
import { modelEndpoints } from "../../../db/schema";
import { ConflictError, NotFoundError } from "../../errors/app-error";
import { getEndpoint } from "../../../db/queries/model-endpoints";
import { listExperimentDrivers } from "./experiments";

export { createEndpoint, getEndpoint, listEndpoints } from "../../../db/queries/model-endpoints";

/** Endpoint names by id, read once (experiment lists label driver configs with them). */
export function endpointNameLookup(db: DbOrTx): (id: number) => string | undefined {
  const names = new Map(db.select({ id: modelEndpoints.id, name: modelEndpoints.name }).from(modelEndpoints).all().map((r) => [r.id, r.name]));
  return (id) => names.get(id);
}

export function endpointNameTaken(db: DbOrTx, name: string): boolean {
  return db.select({ id: modelEndpoints.id }).from(modelEndpoints).where(eq(modelEndpoints.name, name)).get() !== undefined;
}

function usesEndpoint(config: Record<string, unknown>, id: number): boolean {
  return config.kind === "openai" && config.endpoint_id === id;
}

/** Deletes endpoint `id` unless a queued or running experiment uses it (404 / 409 otherwise); one immediate transaction. */
export function deleteEndpointUnlessUsed(db: Db, id: number): void {
  db.transaction(
    (tx) => {
      const row = getEndpoint(tx, id);
      if (!row) throw new NotFoundError(`endpoint ${id} not found`);
      const active = listExperimentDrivers(tx).filter((e) => (e.status === "queued" || e.status === "running") && (usesEndpoint(e.agent, id) || usesEndpoint(e.user, id)));
      if (active.length) throw new ConflictError(`endpoint ${id} is used by running experiment ${active[0].id}`);
      tx.delete(modelEndpoints).where(eq(modelEndpoints.id, id)).run();
    },
    { behavior: "immediate" },
  );
}
