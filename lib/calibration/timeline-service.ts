/**
 * GET /api/experiments/:id/timeline: an experiment's training steps through lib/analysis/timeline,
 * over the columnar store the workbench uses (same classification, same numbers) plus the step
 * and trainer-advantage columns (./training-columns). Cached per (config, estimator, bucket, data
 * version) in the experiment's result cache, so a poll while nothing arrived costs a lookup.
 */
import type { Db } from "../../db/client";
import { computeTimeline, type TimelineResult } from "../analysis/timeline";
import type { EstimatorKind } from "../analysis";
import { NotFoundError } from "../errors/app-error";
import type { RewardConfig } from "../rewards";
import { rememberConfig } from "./config-input";
import { attachStepColumn, attachTrainerColumns } from "./training-columns";
import { cacheGet, cacheSet, classifyOptionsOf, getExperimentData } from "./experiment-data";
import { findExperimentHeader } from "./store/experiments";

export interface TimelineResponse extends TimelineResult {
  experiment: { id: number; name: string; status: string; source: string };
  config_hash: string;
  data_version: number;
  cached: boolean;
  computed_ms: number;
}

export function runTimeline(
  db: Db,
  experimentId: number,
  input: { config: RewardConfig; estimator?: EstimatorKind; bucket?: number },
): TimelineResponse {
  const started = performance.now();
  const row = findExperimentHeader(db, experimentId);
  if (!row) throw new NotFoundError(`experiment ${experimentId} not found`);
  const hash = rememberConfig(input.config);
  const estimator = input.estimator ?? input.config.estimator;
  const exp = getExperimentData(db, experimentId, classifyOptionsOf(input.config));
  const key = `timeline|${hash}|${estimator}|${input.bucket ?? 0}|${exp.version}`;
  const hit = cacheGet<TimelineResponse>(exp.results, key);
  if (hit) return { ...hit, experiment: row, cached: true };
  const steps = attachStepColumn(db, experimentId, exp.data);
  const trainer = attachTrainerColumns(db, experimentId, exp.data);
  const result = computeTimeline({
    data: exp.data,
    config: input.config,
    steps,
    trainerTurnAdvantage: trainer.turnAdvantage,
    trainerReward: trainer.reward,
    estimator,
    bucket: input.bucket,
  });
  const response: TimelineResponse = {
    ...result,
    experiment: row,
    config_hash: hash,
    data_version: exp.version,
    cached: false,
    computed_ms: Math.round((performance.now() - started) * 10) / 10,
  };
  cacheSet(exp.results, key, response);
  return response;
}
