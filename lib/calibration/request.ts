/** Request helpers shared by the calibration routes. */
import type { Db } from "../../db/client";
import { AppError, ValidationError } from "../errors/app-error";
import { readJsonBody } from "../http/respond";
import type { RewardConfig } from "../rewards";
import { configByHash, parseConfigInput } from "./config-input";
import { latestIteration } from "./iterations";
import { findIterationRowByHash } from "./store/iterations";

/** The body as JSON; malformed JSON is a 400 naming the body. */
export async function readBody(req: Request): Promise<unknown> {
  try {
    return await readJsonBody(req);
  } catch (err) {
    if (err instanceof AppError) throw err; // e.g. 413 body over the limit
    throw new ValidationError(`malformed JSON body: ${(err as Error).message}`, "body", err);
  }
}

/**
 * A config given inline (object / JSON text), by hash (seen by this server or stored as a
 * reward_configs version), or — when absent — the experiment's latest iteration.
 */
export function resolveConfig(db: Db, experimentId: number, value: unknown, field = "config"): RewardConfig {
  if (value === undefined || value === null || value === "") return latestIteration(db, experimentId).config;
  if (typeof value === "string" && /^[0-9a-f]{16}$/.test(value)) {
    const known = configByHash(value);
    if (known) return known;
    const row = findIterationRowByHash(db, value);
    if (row) return parseConfigInput(row.config, field);
    throw new ValidationError(`unknown config hash "${value}"`, field);
  }
  return parseConfigInput(value, field);
}
