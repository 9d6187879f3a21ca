/** Messages between the web server and its analysis thread (./estimator-thread.ts, ./estimator-thread.worker.ts). */
import type { ColumnarSnapshot, EstimatorKind, EstimatorSummary, SliceSpec } from "../analysis";
import type { RewardConfig } from "../rewards";

export type EstimatorSummaries = Partial<Record<EstimatorKind, EstimatorSummary>>;

export type ThreadRequest =
  /** Hold this data (replacing any other); `warm` runs one summary so the first real run is fast. */
  | { type: "load"; key: string; snapshot: ColumnarSnapshot; warm: { config: RewardConfig; slice: SliceSpec | null; kinds: EstimatorKind[] } | null }
  | { type: "run"; id: number; key: string; config: RewardConfig; slice: SliceSpec | null; kinds: EstimatorKind[] };

export type ThreadReply =
  | { type: "loaded"; key: string }
  | { type: "result"; id: number; summaries: EstimatorSummaries }
  /** id null: the load of `key` failed. */
  | { type: "error"; id: number | null; key: string; message: string };
