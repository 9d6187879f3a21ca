/**
 * Run timeline bench (issue 15 §6: a 500-step run of 64 groups × 8 rollouts × 30 turns, 7.7M
 * turns: ≤ 1.5 s cold, ≤ 300 ms warm). Synthetic columnar data of that shape (lib/analysis
 * makeSyntheticColumnar), a step per group (64 groups per step) and a trainer advantage per turn,
 * then lib/analysis/timeline.ts:
 *  - cold: first timeline of the data in this process (workspace allocation, tiering, estimator, pass);
 *  - warm: tier values changed (the workbench's slider case), same estimator;
 *  - warm estimator: another estimator;
 *  - bucketed: 10 steps per point;
 *  - workbench step slice (issue 15 §6: ≤ 150 ms warm): lib/analysis analyze() on steps
 *    [STEPS/5, STEPS/5 + 49] (50 steps) as the analysis route runs it (on the slice's view,
 *    lib/analysis/slice-view.ts), first with a new slice (the view is built), then warm (a tier
 *    value changed, same slice), beside the whole run warm as the same-run baseline, and the
 *    slice masked over the whole run (the route's way before views) for comparison.
 * What it leaves out: loading the run from SQLite into the columnar store (bench/calibration.ts
 * times that load, which the timeline shares with the workbench) and the step / trainer-advantage
 * column reads (lib/calibration/training-columns.ts, one indexed scan).
 * Env: BENCH_STEPS (500), BENCH_GROUPS_PER_STEP (64), BENCH_SAMPLES (8), BENCH_TURNS (30),
 * BENCH_REPS (5). `--quick`: 50 steps. Prints one JSON object with medians (ms).
 */
import { analyze, makeSyntheticColumnar, sliceView } from "../lib/analysis";
import { computeTimeline } from "../lib/analysis/timeline";
import { fillStepColumn } from "../lib/analysis/timeline-steps";
import { makeRewardConfig, NAIVE_V5 } from "../lib/rewards";

const quick = process.argv.includes("--quick");
const STEPS = Number(process.env.BENCH_STEPS ?? (quick ? 50 : 500));
const GPS = Number(process.env.BENCH_GROUPS_PER_STEP ?? 64);
const N = Number(process.env.BENCH_SAMPLES ?? 8);
const K = Number(process.env.BENCH_TURNS ?? 30);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 5));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;
const time = (fn: () => unknown) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

const tBuild = performance.now();
const data = makeSyntheticColumnar({ groups: STEPS * GPS, groupSize: N, turns: K, seed: 11 });
const steps = fillStepColumn(data, (ids) => new Map(ids.map((id) => [id, Math.floor(Number(/^g(\d+)-/.exec(id)![1]) / GPS)])));
const trainer = new Float64Array(data.nTurns);
for (let t = 0; t < data.nTurns; t++) trainer[t] = ((t * 2654435761) % 1000) / 500 - 1;
const buildMs = performance.now() - tBuild;

const base = { data, steps, trainerTurnAdvantage: trainer };
const cold = time(() => computeTimeline({ ...base, config: NAIVE_V5 }));
const warm: number[] = [];
const warmEstimator: number[] = [];
const bucketed: number[] = [];
for (let r = 0; r < REPS; r++) {
  // A slider move: one tier value changes, nothing else.
  const config = makeRewardConfig({ ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: 0.1 + 0.01 * (r + 1) } });
  warm.push(time(() => computeTimeline({ ...base, config })));
  warmEstimator.push(time(() => computeTimeline({ ...base, config, estimator: r % 2 ? "hybrid" : "gtpo" })));
  bucketed.push(time(() => computeTimeline({ ...base, config, bucket: 10 })));
}
// The workbench on a step slice (the step-range control): 50 steps from a fifth of the run.
const sliceFrom = Math.floor(STEPS / 5);
const slice = { steps: [sliceFrom, Math.min(STEPS - 1, sliceFrom + 49)] as [number, number] };
// What lib/calibration/analysis.ts does per request: look the view up (built on the first), analyse it.
const viewed = (config: typeof NAIVE_V5) => {
  const target = sliceView(data, slice);
  return analyze(target.data, config, { slice: target.slice });
};
const sliceCold = time(() => viewed(NAIVE_V5));
const sliceWarm: number[] = [];
const wholeWarm: number[] = [];
const maskedWarm: number[] = [];
for (let r = 0; r < REPS; r++) {
  const config = makeRewardConfig({ ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, soft: 0.2 + 0.01 * (r + 1) } });
  sliceWarm.push(time(() => viewed(config)));
  wholeWarm.push(time(() => analyze(data, config)));
  maskedWarm.push(time(() => analyze(data, config, { slice })));
}
const out = {
  bench: "timeline",
  steps: STEPS,
  groups: STEPS * GPS,
  rollouts: data.nRollouts,
  turns: data.nTurns,
  build_ms: round(buildMs),
  cold_ms: round(cold),
  warm_ms: round(median(warm)),
  warm_estimator_ms: round(median(warmEstimator)),
  bucketed_10_ms: round(median(bucketed)),
  workbench_slice: { steps: slice.steps, first_ms: round(sliceCold), warm_ms: round(median(sliceWarm)), whole_run_warm_ms: round(median(wholeWarm)), masked_warm_ms: round(median(maskedWarm)) },
  targets: { cold_ms: 1500, warm_ms: 300, workbench_slice_warm_ms: 150 },
  rss_mb: Math.round(process.memoryUsage().rss / 1048576),
};
process.stdout.write(JSON.stringify(out) + "\n");
