/**
 * Columnar rollouts per experiment, loaded from SQLite once and kept current.
 *
 * - Load, default classification key (the usual case: only tier values / estimator knobs
 *   change): the finished rollouts' summary rows + one streamed scan of their stored class
 *   blobs (rollout_classes, written when each rollout was finalised), copied into preallocated
 *   columnar arrays. No message body is read. Rollouts without a current class row (older
 *   data, errored rollouts) are classified from their messages once and the row is written
 *   back (lazy backfill).
 * - Load, any other key (deep-equal toggles, gold matching or tool lists changed): one
 *   streamed pass over the assistant/tool message bodies (user messages are never read:
 *   classification does not need them), each rollout classified into a compact row.
 * - Either way rollouts are appended in finished order, identical across classifications.
 * - Live: every access polls `rollouts` for rows finished since the last seen time (with a
 *   slack window, deduplicated by id, so writers with slightly skewed clocks are not missed)
 *   and appends them to every loaded classification of the experiment.
 * - Classification cache keyed by classificationKey(config): tier values, precedence and
 *   estimator knobs reuse it; deep-equal toggles, gold matching or tool lists load another one.
 * - Process-wide LRU of experiments bounded by count and by total turns held; a small result
 *   cache per experiment keyed by (config hash, data version, slice, sections).
 *
 * An entry and how it is filled: ./experiment-entry.ts; the queries: ./store/analysis-load.ts
 * and ./store/class-rows.ts.
 */
import type { Db } from "../../db/client";
import { createColumnar, type ColumnarRollouts } from "../analysis";
import { createCache } from "../cache/lru";
import { classificationKey, type ClassifyOptions, type GoldAction, type RewardConfig } from "../rewards";
import type { Rollout } from "../types/rollout";
import { columnarFromClasses, DEFAULT_CLASS_KEY } from "./class-store";
import {
  appendSummaries,
  classBlobs,
  classifyInto,
  loadFromClasses,
  newEntry,
  newSummaries,
  recordSeen,
  reloadSummaries,
  tupleOf,
  type ExperimentEntry,
  type RolloutInfoLookup,
} from "./experiment-entry";
import { databaseKey, readGold, readRecentSummaries, streamMessages } from "./store/analysis-load";

export type { RolloutInfo, RolloutInfoLookup } from "./experiment-entry";

/** A positive integer from the environment, else `fallback`. */
function envCount(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
const MAX_EXPERIMENTS = envCount(process.env.WRIT_CALIBRATION_CACHE_EXPERIMENTS, 8);
const MAX_TURNS_HELD = envCount(process.env.WRIT_CALIBRATION_CACHE_TURNS, 30_000_000);
const MAX_CLASSIFICATIONS_PER_EXPERIMENT = 3;
const MAX_RESULTS_PER_EXPERIMENT = 64;

/**
 * Experiments by db file + id (so tests with separate temp dbs never share entries), least
 * recently used first; also bounded by the total turns held (evict below).
 */
const experiments = createCache<ExperimentEntry>({
  name: "calibration.experiments",
  maxEntries: MAX_EXPERIMENTS,
  purpose: "columnar rollouts per experiment under each classification in use, kept current by polling (the workbench's data)",
});

function dbKey(db: Db, experimentId: number): string {
  return `${databaseKey(db)}#${experimentId}`;
}

export function clearCalibrationStore(): void {
  experiments.clear();
}

function turnsHeld(): number {
  let n = 0;
  // peek: counting must not change which experiment is least recently used.
  for (const key of experiments.keys()) {
    const e = experiments.peek(key);
    if (e) for (const c of e.classifications.values()) n += c.data.nTurns;
  }
  return n;
}

/** Drop least recently used experiments (never `keep`) while the turns held exceed the bound. */
function evict(keep: string): void {
  while (turnsHeld() > MAX_TURNS_HELD) {
    const oldest = experiments.keys().find((k) => k !== keep);
    if (oldest === undefined) break;
    experiments.delete(oldest);
  }
}

export interface ExperimentData {
  data: ColumnarRollouts;
  /** Per rollout id: group, task, sample index (for drill-down links). */
  info: RolloutInfoLookup;
  /** Bumps when rollouts are appended (the number of rollouts loaded). */
  version: number;
  /** Whether this call loaded or appended anything. */
  changed: boolean;
  /** Result cache of this experiment (cleared when the data changes). */
  results: Map<string, unknown>;
}

/**
 * The experiment's columnar data under `config`'s classification, current as of now.
 * Throws nothing for an unknown experiment: it simply has no rollouts (callers check existence).
 */
export function getExperimentData(db: Db, experimentId: number, config: ClassifyOptions): ExperimentData {
  const key = dbKey(db, experimentId);
  let entry = experiments.get(key);
  const now = Date.now();
  if (!entry) {
    entry = newEntry(experimentId);
    experiments.set(key, entry);
  }
  let changed = false;

  const classKey = classificationKey(config);
  if (entry.order.length === 0 && entry.classifications.size === 0 && classKey === DEFAULT_CLASS_KEY) {
    // Cold load of the usual classification: one joined query, no message body.
    const { data, actions } = loadFromClasses(db, entry);
    entry.classifications.set(classKey, { key: classKey, options: copyOptions(config), data, actions, lastUsed: now });
    entry.results.clear();
    evict(key);
    return { data, info: entry.info, version: entry.order.length, changed: true, results: entry.results };
  }

  // 1. New finished rollouts → every classification already held.
  const firstLoad = entry.order.length === 0;
  const fresh = newSummaries(db, entry);
  if (fresh.length) {
    appendSummaries(db, entry, fresh, [...entry.classifications.values()], firstLoad);
    recordSeen(entry, fresh);
    changed = true;
  }

  // 2. The requested classification, loaded from scratch when not held.
  let cls = entry.classifications.get(classKey);
  if (!cls) {
    cls = {
      key: classKey,
      options: copyOptions(config),
      data: createColumnar(classKey, 1024, 64),
      actions: null,
      lastUsed: now,
    };
    if (entry.order.length) {
      // On a first load the summaries just read are exactly entry.order.
      const summaries = firstLoad ? fresh : reloadSummaries(db, entry);
      if (classKey === DEFAULT_CLASS_KEY) {
        const blobs = classBlobs(db, entry, summaries, "experiment");
        const built = columnarFromClasses(summaries.map((s) => tupleOf(s, blobs.get(s.id))));
        cls.data = built.data;
        cls.actions = built.actions;
      }
      else classifyInto(db, entry, summaries, [cls], true);
    }
    entry.classifications.set(classKey, cls);
    while (entry.classifications.size > MAX_CLASSIFICATIONS_PER_EXPERIMENT) {
      const oldest = [...entry.classifications.values()].filter((c) => c !== cls).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      entry.classifications.delete(oldest.key);
    }
    changed = true;
  }
  cls.lastUsed = now;
  if (changed) {
    entry.results.clear();
    evict(key);
  }
  return { data: cls.data, info: entry.info, version: entry.order.length, changed, results: entry.results };
}

function copyOptions(config: ClassifyOptions): ClassifyOptions {
  return { deep_equal: { ...config.deep_equal }, gold_matching: config.gold_matching, read_tools: [...config.read_tools], write_tools: [...config.write_tools], generic_tools: [...config.generic_tools] };
}

/** Bounded result cache: insertion-ordered map used as an LRU. */
export function cacheGet<T>(results: Map<string, unknown>, key: string): T | undefined {
  const hit = results.get(key);
  if (hit === undefined) return undefined;
  results.delete(key);
  results.set(key, hit);
  return hit as T;
}

export function cacheSet(results: Map<string, unknown>, key: string, value: unknown): void {
  results.set(key, value);
  while (results.size > MAX_RESULTS_PER_EXPERIMENT) results.delete(results.keys().next().value as string);
}

/** Rollouts with messages, for the flip counts (most recent `limit` finished rollouts). */
export function loadRecentRollouts(db: Db, experimentId: number, limit: number): { rollouts: Rollout[]; gold: Map<string, GoldAction[]> } {
  const summaries = readRecentSummaries(db, experimentId, limit);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const rollouts: Rollout[] = [];
  streamMessages(db, experimentId, summaries.map((s) => s.id), false, (id, messages) => {
    const s = byId.get(id)!;
    rollouts.push({ rollout_id: s.id, task_id: s.task_id, group_id: s.group_id, sample_index: s.sample_index, outcome: s.outcome === 1 ? 1 : 0, reward: 0, termination: "user_stop", messages } as Rollout);
  });
  return { rollouts, gold: readGold(db, experimentId) };
}

/** Stable config subset used for classification (exported for tests). */
export function classifyOptionsOf(config: RewardConfig): ClassifyOptions {
  return { deep_equal: config.deep_equal, gold_matching: config.gold_matching, read_tools: config.read_tools, write_tools: config.write_tools, generic_tools: config.generic_tools };
}
