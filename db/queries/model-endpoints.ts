/**
 * Model endpoints. The api_key never leaves the server: every route and CLI command
 * returns rows through `publicEndpoint`, which replaces it with a boolean.
 */
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { modelEndpoints, type ModelEndpointRow, type NewModelEndpointRow } from "../schema";

export interface PublicEndpoint {
  id: number;
  name: string;
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
  createdAt: number;
  updatedAt: number;
}

export function publicEndpoint(row: ModelEndpointRow): PublicEndpoint {
  // Built field by field (not by spreading and deleting) so a future secret column is not leaked.
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    model: row.model,
    hasApiKey: Boolean(row.apiKey),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function listEndpoints(db: DbOrTx): ModelEndpointRow[] {
  return db.select().from(modelEndpoints).orderBy(asc(modelEndpoints.name)).all();
}

export function getEndpoint(db: DbOrTx, id: number): ModelEndpointRow | undefined {
  return db.select().from(modelEndpoints).where(eq(modelEndpoints.id, id)).get();
}

export function createEndpoint(db: DbOrTx, values: NewModelEndpointRow): ModelEndpointRow {
  return db.insert(modelEndpoints).values(values).returning().get();
}
