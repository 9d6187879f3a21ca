/**
 * Rows → the JSON shapes of api-types.ts. Built field by field (never by spreading a row)
 * so a column added later — or a secret — cannot leak into a response by accident.
 */
import type { ExperimentListRow } from "../../db/queries/experiments";
import type { RolloutSummaryRow } from "../../db/queries/groups";
import type { GroupRow, JobRow, ModelEndpointRow, RolloutRow } from "../../db/schema";
import { stripSecrets } from "../interchange/redact";
import type { Message } from "../types/messages";
import type {
  EndpointResponseItem,
  EvaluationDetails,
  ExperimentConfig,
  ExperimentDetailResponse,
  ExperimentJobInfo,
  ExperimentProgress,
  ExperimentSummary,
  GroupSummary,
  PolicyViolationItem,
  RolloutDetail,
  RolloutSummary,
} from "./api-types";
import { describeDriver } from "../rollouts/store/drivers";
import { effectiveStatus } from "./status";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function presentExperimentSummary(r: ExperimentListRow, endpointName?: (id: number) => string | undefined): ExperimentSummary {
  const e = r.experiment;
  const { status, error } = effectiveStatus(e, r.job);
  return {
    id: e.id,
    name: e.name,
    status,
    source: e.source,
    task_set_id: e.taskSetId,
    task_set_name: r.taskSetName,
    agent_label: describeDriver(e.agentConfig, "agent", endpointName),
    user_label: describeDriver(e.userConfig, "user", endpointName),
    group_size: e.groupSize,
    groups: r.groupCount,
    rollouts_total: e.rolloutsTotal,
    rollouts_done: e.rolloutsDone,
    rollouts_passed: e.rolloutsPassed,
    rollouts_errored: e.rolloutsErrored,
    pass_rate: e.rolloutsDone > 0 ? e.rolloutsPassed / e.rolloutsDone : null,
    tokens: { prompt: e.promptTokens, completion: e.completionTokens, total: e.promptTokens + e.completionTokens },
    job_id: e.jobId,
    error,
    created_at: e.createdAt,
    started_at: e.startedAt,
    finished_at: e.finishedAt,
  };
}

function presentJob(job: JobRow | null): ExperimentJobInfo | null {
  if (!job) return null;
  return {
    id: job.id,
    status: job.status,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    cancel_requested: job.cancelRequested,
    error: job.error,
    progress_message: job.progressMessage,
  };
}

export function presentExperimentDetail(
  r: ExperimentListRow,
  inFlight: number,
  now = Date.now(),
  endpointName?: (id: number) => string | undefined,
): ExperimentDetailResponse {
  const summary = presentExperimentSummary(r, endpointName);
  const e = r.experiment;
  const finished = summary.status === "completed" || summary.status === "failed" || summary.status === "cancelled";
  const elapsed = e.startedAt ? (e.finishedAt ?? now) - e.startedAt : null;
  const rate = elapsed && elapsed > 0 && e.rolloutsDone > 0 ? e.rolloutsDone / (elapsed / 1000) : null;
  const left = Math.max(0, e.rolloutsTotal - e.rolloutsDone);
  const progress: ExperimentProgress = {
    done: e.rolloutsDone,
    total: e.rolloutsTotal,
    passed: e.rolloutsPassed,
    errored: e.rolloutsErrored,
    in_flight: inFlight,
    pass_rate: summary.pass_rate,
    tokens: summary.tokens,
    rate_per_s: rate,
    eta_ms: !finished && rate ? Math.round((left / rate) * 1000) : null,
    elapsed_ms: elapsed,
  };
  const config: ExperimentConfig = {
    agent: stripSecrets(e.agentConfig) as ExperimentConfig["agent"],
    user: stripSecrets(e.userConfig) as ExperimentConfig["user"],
    group_size: e.groupSize,
    max_turns: e.maxTurns,
    max_errors: e.maxErrors,
    temperature: e.temperature,
    seed: e.seed,
    concurrency: e.concurrency,
    task_ids: e.taskIds ?? null,
  };
  return {
    experiment: {
      ...summary,
      config,
      progress,
      job: presentJob(r.job),
      metadata: e.metadata ? stripSecrets(e.metadata) : null,
    },
  };
}

export function outcomeClass(g: GroupRow): GroupSummary["outcome_class"] {
  if (g.done < g.size) return "running";
  if (g.passed === g.done) return "all_pass";
  if (g.passed === 0) return "all_fail";
  return "mixed";
}

export function presentGroup(g: GroupRow): GroupSummary {
  return {
    id: g.id,
    experiment_id: g.experimentId,
    task_id: g.taskId,
    position: g.position,
    writes: g.writes,
    evidence_total: g.evidenceTotal,
    evidence_cell: g.evidenceCell,
    behavior: g.behavior,
    size: g.size,
    done: g.done,
    passed: g.passed,
    mean_reward: g.meanReward,
    outcome_class: outcomeClass(g),
  };
}

export function presentRolloutSummary(r: RolloutSummaryRow, agentLabel: string | null = null): RolloutSummary {
  return {
    id: r.id,
    experiment_id: r.experimentId,
    group_id: r.groupId,
    task_id: r.taskId,
    sample_index: r.sampleIndex,
    status: r.status,
    outcome: r.outcome === 0 || r.outcome === 1 ? r.outcome : null,
    reward: r.reward,
    termination: r.termination,
    turns: r.turns,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    errors: r.errorCount,
    writes: r.writes,
    evidence_total: r.evidenceTotal,
    evidence_cell: r.evidenceCell,
    behavior: r.behavior,
    violation_count: r.violationCount,
    preset: r.preset,
    agent_label: agentLabel,
    created_at: r.createdAt,
    finished_at: r.finishedAt,
  };
}

export function presentRolloutDetail(
  r: RolloutRow,
  messages: Message[],
  extra: { violations?: PolicyViolationItem[]; goldActions?: RolloutDetail["gold_actions"] } = {},
): RolloutDetail {
  const meta = isRecord(r.metadata) ? (stripSecrets(r.metadata) as Record<string, unknown>) : {};
  const ev = isRecord(meta.evaluation) ? meta.evaluation : null;
  const evaluation: EvaluationDetails | null =
    ev && r.reward !== null
      ? {
          reward: r.reward,
          db_match: ev.db_match === true,
          communicate_match: ev.communicate_match === true,
          read_recall: typeof ev.read_recall === "number" ? ev.read_recall : null,
          write_recall: typeof ev.write_recall === "number" ? ev.write_recall : null,
          ...(Array.isArray(ev.missing_communicate) ? { missing_communicate: ev.missing_communicate as string[] } : {}),
          ...(typeof ev.error === "string" ? { error: ev.error } : {}),
        }
      : null;
  const violations =
    extra.violations ??
    (r.violations ?? []).map((v) => ({ rule: v.rule, message: v.message, turn: v.turn, message_index: v.messageIndex }));
  return {
    ...presentRolloutSummary(r, typeof meta.agent === "string" ? meta.agent : null),
    messages,
    policy_violations: violations,
    evaluation,
    gold_actions: extra.goldActions ?? [],
    metadata: meta,
    error: typeof meta.error === "string" ? meta.error : null,
  };
}

export function presentEndpoint(row: ModelEndpointRow): EndpointResponseItem {
  return {
    id: row.id,
    name: row.name,
    base_url: row.baseUrl,
    model: row.model,
    has_api_key: Boolean(row.apiKey),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
