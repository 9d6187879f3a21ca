/**
 * Per-turn annotations of a group's rollouts for the rollout browser: tier, reward and
 * advantage under a reward config, why the turn has its tier, and (optionally) what changes
 * under a second config.
 *
 * The numbers come from the RL export's functions, not a copy of them: the stored classification
 * (class blobs) → columnarFromClasses → computeTurnValues, run over the group's own finished
 * rollouts instead of the experiment's whole data. Every number of a turn depends on its group
 * only (tiers and rewards on the turn itself; AO and the GN of the estimators are taken within
 * the group), and the group's rollouts are put in the order the experiment's data holds them
 * (finished order), so every sum runs in the same order and the values are those of the RL
 * export bit for bit — while opening a group reads a handful of rows instead of loading (cold:
 * seconds at 100k rollouts) and re-scoring (warm: tens of ms) the whole experiment. Only the
 * reasons are derived here (turn-reasons.ts), from the tier those numbers carry. What changes
 * across the experiment (changedGroups) does need the whole data and reads it through
 * getExperimentData.
 */
import type { Db } from "../../db/client";
import { computeTurnValues } from "../analysis";
import { NotFoundError } from "../errors/app-error";
import { classificationKey, extractTurns, NAIVE_V5, TIER_NAMES, type ClassifyOptions, type EstimatorName, type GoldAction, type RewardConfig, type TierName } from "../rewards";
import type { Message } from "../types/messages";
import { rememberConfig } from "./config-input";
import { getIteration, latestIteration } from "./iterations";
import { classBlobOf, columnarFromClasses, DEFAULT_CLASS_KEY, type ClassRowTuple } from "./class-store";
import { isCurrentBlob } from "./class-store-blob";
import { classifyOptionsOf, getExperimentData } from "./experiment-data";
import { findRolloutGroupId, readGroupClassRows, readGroupRollouts, readTaskGold } from "./store/annotations";
import { explainTurns, type TurnReason } from "./turn-reasons";
import { applyConfigDiff, decodeConfigDiff } from "./url-state";

/** Which config the browser shows, as the URL names it (the workbench's `it` + `c` encoding). */
export interface ConfigSelector {
  /** A saved iteration (reward_configs id). */
  iteration?: number;
  /** The workbench's compact diff (`c=read:0,est:hybrid`), relative to `iteration` or, without one, to NAIVE_V5 as in the workbench. */
  diff?: string;
  /** Overrides the config's estimator. */
  estimator?: EstimatorName;
}

export interface ResolvedConfig {
  source: "iteration" | "latest" | "link";
  iteration_id: number | null;
  /** Position of the iteration in its experiment's timeline (1-based), null for an unsaved config. */
  iteration_number: number | null;
  /** The unsaved part, as encoded in the URL ("" when none). */
  diff: string;
  /** Config entries of the diff the schema rejected (dropped). */
  rejected: string[];
  estimator: EstimatorName;
  config_hash: string;
  label: string;
  config: RewardConfig;
}

export function resolveBrowserConfig(db: Db, experimentId: number, sel: ConfigSelector): ResolvedConfig {
  const diffText = sel.diff ?? "";
  let base: RewardConfig;
  let source: ResolvedConfig["source"];
  let iterationId: number | null = null;
  let number: number | null = null;
  if (sel.iteration !== undefined) {
    const it = getIteration(db, sel.iteration);
    base = it.config;
    source = "iteration";
    iterationId = it.id;
    number = it.number;
  } else if (diffText) {
    base = NAIVE_V5;
    source = "link";
  } else {
    const it = latestIteration(db, experimentId);
    base = it.config;
    source = "latest";
    iterationId = it.id;
    number = it.number;
  }
  const { config: edited, rejected } = diffText ? applyConfigDiff(base, decodeConfigDiff(diffText)) : { config: base, rejected: [] };
  const config = sel.estimator ? { ...edited, estimator: sel.estimator } : edited;
  const unsaved = diffText !== "" && rejected.length < Object.keys(decodeConfigDiff(diffText)).length;
  const label =
    (number !== null ? `iteration #${number}` : "NAIVE_V5 preset") + (unsaved ? " + unsaved edits" : "") + (source === "latest" ? " (latest)" : "");
  return {
    source: unsaved && source !== "iteration" ? "link" : source,
    iteration_id: iterationId,
    iteration_number: number,
    diff: diffText,
    rejected,
    estimator: config.estimator,
    config_hash: rememberConfig(config),
    label,
    config,
  };
}

export interface TurnAnnotation {
  /** Agent-turn index, 0-based, as in the RL export (`turn`). */
  turn: number;
  /** Index of the assistant message in the conversation. */
  message_index: number;
  tier: TierName;
  reward: number;
  advantage: number;
  reason: TurnReason;
}

export interface RolloutAnnotation {
  rollout_id: string;
  sample_index: number;
  outcome: 0 | 1 | null;
  /** Whether the rollout is in the analysed data (a running rollout is not yet). */
  scored: boolean;
  /** Sum of the turn rewards. */
  return: number | null;
  /** AO: the outcome normalised within the group (the estimators' outcome term). */
  outcome_advantage: number | null;
  turns: TurnAnnotation[];
}

export type ChangeKind = "tier" | "reward" | "sign";

export interface TurnChange {
  rollout_id: string;
  sample_index: number;
  turn: number;
  kinds: ChangeKind[];
  from: { tier: TierName; reward: number; advantage: number };
  to: { tier: TierName; reward: number; advantage: number };
}

export interface ChangeSummary {
  turns: number;
  changed: number;
  by_kind: Record<ChangeKind, number>;
  /** Per tier: turns that leave it (under the first config) and enter it (under the second). */
  by_tier: Record<TierName, { from: number; to: number }>;
  /** "soft→gold" → turns. */
  transitions: Record<string, number>;
}

type PublicConfig = Omit<ResolvedConfig, "config">;

export interface GroupAnnotationsResponse {
  group_id: string;
  experiment_id: number;
  config: PublicConfig;
  rollouts: RolloutAnnotation[];
  compare: null | {
    config: PublicConfig;
    rollouts: RolloutAnnotation[];
    changes: TurnChange[];
    summary: ChangeSummary;
  };
}

const clean = (x: number): number => (Number.isFinite(x) && x !== 0 ? x : 0);

interface GroupInput {
  experimentId: number;
  groupId: string;
  rows: { id: string; sampleIndex: number; outcome: number | null }[];
  messages: Map<string, Message[]>;
  gold: GoldAction[];
}

function loadGroup(db: Db, groupId: string): GroupInput {
  const group = readGroupRollouts(db, groupId);
  if (!group) throw new NotFoundError(`group ${groupId} not found`);
  return { experimentId: group.experimentId, groupId, rows: group.rows, messages: group.messages, gold: readTaskGold(db, group.experimentId, group.taskId) };
}

/** The calibration data load's finished order (lib/calibration/experiment-entry.ts loadFromClasses): finish time, then id. */
const finishedOrder = (a: ClassRowTuple, b: ClassRowTuple) => (a[8] ?? 0) - (b[8] ?? 0) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The group's finished rollouts as columnar data under `options`' classification, in finished
 * order: the stored class blobs for the default classification, and for any other one (or a
 * rollout without a current blob, which the experiment's load would classify the same way) a
 * classification of the messages already read for the group.
 */
function groupColumnar(db: Db, g: GroupInput, options: ClassifyOptions) {
  const rows = readGroupClassRows(db, g.groupId).sort(finishedOrder);
  const stored = classificationKey(options) === DEFAULT_CLASS_KEY;
  for (const r of rows) if (!stored || !isCurrentBlob(r[9])) r[9] = classBlobOf(g.messages.get(r[0]) ?? [], g.gold, options);
  return columnarFromClasses(rows).data;
}

/** Tier, reward, advantage and reason of every agent turn of the group's rollouts under `config`. */
function annotate(db: Db, g: GroupInput, config: RewardConfig): RolloutAnnotation[] {
  const data = groupColumnar(db, g, classifyOptionsOf(config));
  const v = computeTurnValues(data, config);
  const index = new Map<string, number>();
  for (let i = 0; i < data.nRollouts; i++) index.set(data.rolloutIds[i], i);
  return g.rows.map((r) => {
    const i = index.get(r.id);
    const outcome = r.outcome === null ? null : r.outcome === 1 ? 1 : 0;
    if (i === undefined) return { rollout_id: r.id, sample_index: r.sampleIndex, outcome, scored: false, return: null, outcome_advantage: null, turns: [] };
    const start = data.turnOffsets[i];
    const end = data.turnOffsets[i + 1];
    const tiers: TierName[] = [];
    for (let t = start; t < end; t++) tiers.push(TIER_NAMES[v.tier[t]]);
    const messages = g.messages.get(r.id) ?? [];
    const reasons = explainTurns(messages, g.gold, config, tiers);
    const assistantIdx = extractTurns(messages).map((t) => t.messageIndex);
    let ret = 0;
    const turns: TurnAnnotation[] = [];
    for (let t = start, k = 0; t < end; t++, k++) {
      const reward = clean(v.reward[t]);
      ret += reward;
      turns.push({ turn: k, message_index: assistantIdx[k] ?? -1, tier: tiers[k], reward, advantage: clean(v.adv[t]), reason: reasons[k] });
    }
    return { rollout_id: r.id, sample_index: r.sampleIndex, outcome, scored: true, return: clean(ret), outcome_advantage: clean(v.ao[i]), turns };
  });
}


const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);
const REWARD_EPS = 1e-12;

/** What changes for one turn between two configs (the one predicate of the browser's markers and the per-group counts). */
export function changeKinds(x: { tier: TierName; reward: number; advantage: number }, y: { tier: TierName; reward: number; advantage: number }): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (x.tier !== y.tier) kinds.push("tier");
  if (Math.abs(x.reward - y.reward) > REWARD_EPS) kinds.push("reward");
  if (sign(x.advantage) !== sign(y.advantage)) kinds.push("sign");
  return kinds;
}

/** Turns whose tier, reward or advantage sign differ between two annotations of the same rollouts (pure). */
export function diffAnnotations(a: readonly RolloutAnnotation[], b: readonly RolloutAnnotation[]): { changes: TurnChange[]; summary: ChangeSummary } {
  const byId = new Map(b.map((r) => [r.rollout_id, r]));
  const changes: TurnChange[] = [];
  const by_kind: Record<ChangeKind, number> = { tier: 0, reward: 0, sign: 0 };
  const by_tier = Object.fromEntries(TIER_NAMES.map((t) => [t, { from: 0, to: 0 }])) as Record<TierName, { from: number; to: number }>;
  const transitions: Record<string, number> = {};
  let turns = 0;
  for (const ra of a) {
    const rb = byId.get(ra.rollout_id);
    if (!rb) continue;
    const n = Math.min(ra.turns.length, rb.turns.length);
    for (let k = 0; k < n; k++) {
      turns++;
      const x = ra.turns[k];
      const y = rb.turns[k];
      const kinds = changeKinds(x, y);
      if (!kinds.length) continue;
      for (const kind of kinds) by_kind[kind]++;
      if (x.tier !== y.tier) {
        by_tier[x.tier].from++;
        by_tier[y.tier].to++;
        const key = `${x.tier}→${y.tier}`;
        transitions[key] = (transitions[key] ?? 0) + 1;
      }
      changes.push({
        rollout_id: ra.rollout_id,
        sample_index: ra.sample_index,
        turn: k,
        kinds,
        from: { tier: x.tier, reward: x.reward, advantage: x.advantage },
        to: { tier: y.tier, reward: y.reward, advantage: y.advantage },
      });
    }
  }
  return { changes, summary: { turns, changed: changes.length, by_kind, by_tier, transitions } };
}

const strip = ({ config: _config, ...rest }: ResolvedConfig): PublicConfig => rest;

export interface AnnotationRequest {
  config: ConfigSelector;
  compare?: ConfigSelector | null;
}

export function groupAnnotations(db: Db, groupId: string, req: AnnotationRequest): GroupAnnotationsResponse {
  const g = loadGroup(db, groupId);
  const primary = resolveBrowserConfig(db, g.experimentId, req.config);
  const rollouts = annotate(db, g, primary.config);
  let compare: GroupAnnotationsResponse["compare"] = null;
  if (req.compare) {
    const second = resolveBrowserConfig(db, g.experimentId, req.compare);
    const other = annotate(db, g, second.config);
    compare = { config: strip(second), rollouts: other, ...diffAnnotations(rollouts, other) };
  }
  return { group_id: groupId, experiment_id: g.experimentId, config: strip(primary), rollouts, compare };
}



/** One rollout's annotations: its group's, narrowed (advantages are group-relative either way). */
export function rolloutAnnotations(db: Db, rolloutId: string, req: AnnotationRequest): GroupAnnotationsResponse {
  const groupId = findRolloutGroupId(db, rolloutId);
  if (groupId === undefined) throw new NotFoundError(`rollout ${rolloutId} not found`);
  const all = groupAnnotations(db, groupId, req);
  const mine = <T extends { rollout_id: string }>(xs: T[]) => xs.filter((x) => x.rollout_id === rolloutId);
  return {
    ...all,
    rollouts: mine(all.rollouts),
    compare: all.compare ? { ...all.compare, rollouts: mine(all.compare.rollouts), ...diffAnnotations(mine(all.rollouts), mine(all.compare.rollouts)) } : null,
  };
}

export interface ChangedGroup {
  group_id: string;
  task_id: string;
  changed: number;
  by_kind: Record<ChangeKind, number>;
}

export interface ChangedGroupsResponse {
  experiment_id: number;
  config: PublicConfig;
  compare: PublicConfig;
  turns: number;
  changed: number;
  by_kind: Record<ChangeKind, number>;
  /** Groups with at least one changed turn, most changes first. */
  groups: ChangedGroup[];
}

/** Per turn values of the experiment under a config, copied (the workspace is shared), keyed by rollout id. */
function experimentTurnValues(db: Db, experimentId: number, config: RewardConfig) {
  const { data } = getExperimentData(db, experimentId, classifyOptionsOf(config));
  const v = computeTurnValues(data, config);
  return {
    ids: data.rolloutIds.slice(0, data.nRollouts),
    groups: Array.from({ length: data.nRollouts }, (_, i) => data.groupIds[data.rolloutGroup[i]]),
    tasks: data.taskIds.slice(0, data.nRollouts),
    offsets: Int32Array.from(data.turnOffsets.subarray(0, data.nRollouts + 1)),
    tier: Uint8Array.from(v.tier),
    reward: Float64Array.from(v.reward),
    adv: Float64Array.from(v.adv),
  };
}

/** Which groups of the experiment have turns that change between two configs (for the iteration diff's link into the browser). */
export function changedGroups(db: Db, experimentId: number, req: { config: ConfigSelector; compare: ConfigSelector }, limit = 50): ChangedGroupsResponse {
  const a = resolveBrowserConfig(db, experimentId, req.config);
  const b = resolveBrowserConfig(db, experimentId, req.compare);
  const va = experimentTurnValues(db, experimentId, a.config);
  const vb = experimentTurnValues(db, experimentId, b.config);
  const indexB = new Map(vb.ids.map((id, i) => [id, i]));
  const perGroup = new Map<string, ChangedGroup>();
  const total: Record<ChangeKind, number> = { tier: 0, reward: 0, sign: 0 };
  let turns = 0;
  let changed = 0;
  const at = (v: typeof va, t: number) => ({ tier: TIER_NAMES[v.tier[t]], reward: clean(v.reward[t]), advantage: clean(v.adv[t]) });
  va.ids.forEach((id, i) => {
    const j = indexB.get(id);
    if (j === undefined) return;
    const n = Math.min(va.offsets[i + 1] - va.offsets[i], vb.offsets[j + 1] - vb.offsets[j]);
    for (let k = 0; k < n; k++) {
      turns++;
      const kinds = changeKinds(at(va, va.offsets[i] + k), at(vb, vb.offsets[j] + k));
      if (!kinds.length) continue;
      changed++;
      let g = perGroup.get(va.groups[i]);
      if (!g) perGroup.set(va.groups[i], (g = { group_id: va.groups[i], task_id: va.tasks[i], changed: 0, by_kind: { tier: 0, reward: 0, sign: 0 } }));
      g.changed++;
      for (const kind of kinds) {
        g.by_kind[kind]++;
        total[kind]++;
      }
    }
  });
  const groups = [...perGroup.values()].sort((x, y) => y.changed - x.changed || (x.group_id < y.group_id ? -1 : 1)).slice(0, limit);
  return { experiment_id: experimentId, config: strip(a), compare: strip(b), turns, changed, by_kind: total, groups };
}
