/**
 * The exact JSON shapes of the experiments / groups / rollouts / endpoints routes, for
 * the UI (import type only; no runtime code here). Field names are snake_case, like the
 * rollout JSON of docs/cli-and-formats.md. Errors from every route are
 * `{"error": {"code", "message", "field"?}}` with a 4xx/5xx status (ApiErrorBody).
 *
 * Secrets: no response ever carries an API key. Driver configs come back as stored
 * (endpoint_id or base_url + model, never a key); endpoints say only `has_api_key`.
 */
import type { AgentKnobs } from "../agents/simulated/presets";
import type { Message, Termination } from "../types/messages";
import type { CreateExperimentRequestInput } from "./schemas";

export type { Message, Termination };

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export type ExperimentStatus = "draft" | "queued" | "running" | "completed" | "failed" | "cancelled";
/** "training": streamed in through POST /api/v1/ingest (lib/ingest). */
export type ExperimentSource = "run" | "import" | "training";
export type SimulatedPreset = "expert" | "average" | "sloppy";

/**
 * Probabilities 0..1 overriding a simulated preset's skill knobs; derived from the simulated
 * driver's own schema (lib/agents/simulated/presets.ts) so it stays in step with it.
 */
export type SimulatedKnobs = Partial<AgentKnobs>;

/** Settings shared by OpenAI-compatible drivers. `temperature` defaults to the experiment's. */
export interface OpenAIDriverOptions {
  temperature?: number;
  max_tokens?: number;
  timeout_ms?: number;
  max_retries?: number;
  /** Requests in flight on this endpoint across the worker process. */
  concurrency?: number;
}

/**
 * An OpenAI-compatible driver: either a stored endpoint (its key stays in model_endpoints)
 * or a base_url + model, which gets the server's OPENAI_API_KEY only when its host is in
 * WRIT_OPENAI_ENV_KEY_HOSTS (else no key). Exactly one of the two.
 */
export type OpenAIDriverInput = OpenAIDriverOptions & { kind: "openai" } & (
    | { endpoint_id: number; base_url?: undefined; model?: undefined }
    | { endpoint_id?: undefined; base_url: string; model: string }
  );

export interface SimulatedAgentInput {
  kind: "simulated";
  /** Default "expert". */
  preset?: SimulatedPreset;
  knobs?: SimulatedKnobs;
  /**
   * When set, sample i of every group uses presets_by_sample[i % length] (the rollout's
   * metadata.preset records which). Used by the mixed-preset demo experiment.
   */
  presets_by_sample?: SimulatedPreset[];
}

export type AgentDriverInput = SimulatedAgentInput | OpenAIDriverInput;
export type UserDriverInput = { kind: "simulated" } | OpenAIDriverInput;

/**
 * POST /api/experiments body, inferred from the route's schema: group_size = samples per task (G),
 * 1..64; max_turns 1..500 (default 30); max_errors = tool errors + failed agent turns that end an
 * episode, 1..100 (default 10); temperature = default of OpenAI drivers (0); seed of the simulated
 * drivers (0); concurrency = conversations in flight inside the worker, 1..256 (default 8);
 * task_ids = optionally only these task ids of the set. AgentDriverInput / UserDriverInput above
 * are the precise shapes of `agent` / `user` (one of endpoint_id or base_url + model).
 */
export type CreateExperimentRequest = CreateExperimentRequestInput;

export interface TokenCounts {
  prompt: number;
  completion: number;
  total: number;
}

/** One row of GET /api/experiments. */
export interface ExperimentSummary {
  id: number;
  name: string;
  status: ExperimentStatus;
  source: ExperimentSource;
  task_set_id: number | null;
  task_set_name: string | null;
  /** "simulated agent (expert)", "openai gpt-4.1 @ host", "simulated (mixed presets)" … */
  agent_label: string;
  user_label: string;
  group_size: number;
  groups: number;
  rollouts_total: number;
  rollouts_done: number;
  rollouts_passed: number;
  rollouts_errored: number;
  /** passed / done, null before the first rollout. */
  pass_rate: number | null;
  tokens: TokenCounts;
  job_id: number | null;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** GET /api/experiments → */
export interface ListExperimentsResponse {
  experiments: ExperimentSummary[];
  /** Pass as ?cursor= for the next (older) page; null at the end. */
  next_cursor: number | null;
}

/** The stored configuration, without secrets. */
export interface ExperimentConfig {
  agent: AgentDriverInput | { kind: "import"; label: string };
  user: UserDriverInput | { kind: "import"; label: string };
  group_size: number;
  max_turns: number;
  max_errors: number;
  temperature: number;
  seed: number;
  concurrency: number;
  task_ids: string[] | null;
}

export interface ExperimentProgress {
  done: number;
  total: number;
  passed: number;
  errored: number;
  /** Rollouts started but not finished (status running). */
  in_flight: number;
  pass_rate: number | null;
  tokens: TokenCounts;
  /** Finished rollouts per second since the run started (null before any). */
  rate_per_s: number | null;
  /** Milliseconds left at that rate; null when unknown or finished. */
  eta_ms: number | null;
  elapsed_ms: number | null;
}

export interface ExperimentJobInfo {
  id: number;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  attempts: number;
  max_attempts: number;
  cancel_requested: boolean;
  error: string | null;
  progress_message: string | null;
}

/** GET /api/experiments/[id] → ; POST /api/experiments → (201) the same shape. */
export interface ExperimentDetailResponse {
  experiment: ExperimentSummary & {
    config: ExperimentConfig;
    progress: ExperimentProgress;
    job: ExperimentJobInfo | null;
    metadata: Record<string, unknown> | null;
  };
}

/** POST /api/experiments/[id]/cancel → (409 when already finished). */
export type CancelExperimentResponse = ExperimentDetailResponse;

export interface HistogramBin {
  /** Inclusive lower, exclusive upper bound (the last bin includes its upper bound). */
  lo: number;
  hi: number;
  count: number;
}

export interface WBCell {
  writes: number | null;
  /** B of the grid cell (evidence per decision); null for tasks without WRIT metadata. */
  evidence: number | null;
  n: number;
  passed: number;
  pass_rate: number;
  mean_tokens: number;
  mean_turns: number;
}

/** GET /api/experiments/[id]/overview → (finished rollouts only). */
export interface ExperimentOverviewResponse {
  experiment_id: number;
  rollouts_done: number;
  pass_rate: number | null;
  /** k = 1..group_size: mean over tasks of C(c,k)/C(n,k) (tasks with n < k left out). */
  pass_hat_k: { k: number; value: number }[];
  cells: WBCell[];
  turns_histogram: HistogramBin[];
  tokens_histogram: HistogramBin[];
  terminations: Partial<Record<Termination, number>>;
  /** rule (lib/airline POLICY_RULES) → violations counted over all finished rollouts. */
  policy_violations: Record<string, number>;
  /** Rollouts with at least one violation. */
  rollouts_with_violations: number;
  behaviors: { behavior: string | null; n: number; passed: number; pass_rate: number }[];
  /** Per simulated preset (metadata.preset), when the experiment mixes presets. */
  presets: { preset: string; n: number; passed: number; pass_rate: number }[];
  computed_at: number;
}

/** Compact summary of one rollout (lists; never message bodies). */
export interface RolloutSummary {
  id: string;
  experiment_id: number;
  group_id: string;
  task_id: string;
  sample_index: number;
  status: "running" | "done" | "error";
  outcome: 0 | 1 | null;
  reward: number | null;
  termination: Termination | null;
  turns: number;
  prompt_tokens: number;
  completion_tokens: number;
  errors: number;
  writes: number | null;
  evidence_total: number | null;
  evidence_cell: number | null;
  behavior: string | null;
  violation_count: number | null;
  /** Simulated preset used for this sample, when any. */
  preset: string | null;
  agent_label: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface GroupSummary {
  id: string;
  experiment_id: number;
  task_id: string;
  /** Task order within the experiment (the keyset of the list). */
  position: number;
  writes: number | null;
  evidence_total: number | null;
  evidence_cell: number | null;
  behavior: string | null;
  size: number;
  done: number;
  passed: number;
  mean_reward: number | null;
  /** all_pass | all_fail | mixed once every sample finished, else "running". */
  outcome_class: "all_pass" | "all_fail" | "mixed" | "running";
}

/**
 * GET /api/experiments/[id]/groups?limit=&cursor=&task=&outcome=&w=&b=&b_total=&behavior=&termination=
 *  - outcome: all_pass | all_fail | mixed | pass | fail  (pass/fail: groups with ≥ 1 such rollout)
 *  - w, b (grid-cell B), b_total: integers; behavior: string; task: task id;
 *    termination: groups with ≥ 1 rollout ending so.
 *  - limit 1..200 (default 50); cursor: the previous page's next_cursor.
 */
export interface ListGroupsResponse {
  groups: (GroupSummary & { rollouts: RolloutSummary[] })[];
  next_cursor: string | null;
}

export interface PolicyViolationItem {
  rule: string;
  message: string;
  /** Agent turn (0 = first assistant message after the greeting). */
  turn: number;
  message_index: number;
}

export interface EvaluationDetails {
  reward: number;
  db_match: boolean;
  communicate_match: boolean;
  read_recall: number | null;
  write_recall: number | null;
  missing_communicate?: string[];
  error?: string;
}

export interface RolloutDetail extends RolloutSummary {
  messages: Message[];
  policy_violations: PolicyViolationItem[];
  evaluation: EvaluationDetails | null;
  gold_actions: { name: string; arguments: Record<string, unknown> }[];
  /** The rollout's metadata (agent/user labels, writ object, driver call stats …), secrets stripped. */
  metadata: Record<string, unknown>;
  /** Set when the episode ended with termination "error": the driver/env failure. */
  error: string | null;
}

/** GET /api/groups/[id] → the group's sibling rollouts with messages (side-by-side view). */
export interface GroupDetailResponse {
  group: GroupSummary;
  experiment: { id: number; name: string; status: ExperimentStatus };
  /** The τ² task JSON (user scenario, gold actions, writ object) when known. */
  task: Record<string, unknown> | null;
  rollouts: RolloutDetail[];
}

/** GET /api/rollouts/[id] → */
export interface RolloutDetailResponse {
  rollout: RolloutDetail;
}

/** Export formats of GET /api/experiments/[id]/export?format=…&require_read_coverage=1 (JSONL download; tau2 is one JSON document). */
export type ExportFormat = "jsonl" | "tau2" | "sft" | "tasks";

// ---- endpoints ---------------------------------------------------------------------

export interface EndpointResponseItem {
  id: number;
  name: string;
  base_url: string;
  model: string;
  has_api_key: boolean;
  created_at: number;
  updated_at: number;
}

/** GET /api/endpoints → */
export interface ListEndpointsResponse {
  endpoints: EndpointResponseItem[];
  /** Whether the server has OPENAI_API_KEY (sent only to default_key_hosts, for endpoints without a stored key). */
  default_key_available: boolean;
  /** host[:port] entries of WRIT_OPENAI_ENV_KEY_HOSTS: the only hosts the server's key is sent to. */
  default_key_hosts: string[];
}

/** POST /api/endpoints body → 201 {endpoint}. The key is stored server-side and never returned. */
export interface CreateEndpointRequest {
  name: string;
  base_url: string;
  model: string;
  api_key?: string;
}
export interface EndpointResponse {
  endpoint: EndpointResponseItem;
}

/** DELETE /api/endpoints/[id] → (409 while a queued/running experiment uses it). */
export interface DeleteEndpointResponse {
  deleted: true;
  id: number;
}

/** POST /api/endpoints/test body: a stored endpoint, or an unsaved base_url + model (+ api_key). */
export type TestEndpointRequest =
  | { endpoint_id: number }
  | { base_url: string; model: string; api_key?: string };

/** POST /api/endpoints/test → (always 200; `ok` says whether it worked). */
export interface TestEndpointResponse {
  ok: boolean;
  latency_ms: number;
  model: string;
  /** Which key was sent: the endpoint's own, the server's OPENAI_API_KEY (allow-listed host only), or none. */
  key_source: "endpoint" | "server_env" | "none";
  error?: string;
}
