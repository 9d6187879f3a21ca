/**
 * Analysis engine benchmark: a full recompute after a tier-value change (re-tier cached,
 * rewards, advantages, tier statistics, all diagnostics) over synthetic columnar data,
 * against a straightforward object-per-turn implementation of the same computation.
 * Prints one JSON object. Run: npx tsx bench/analysis.ts [--quick]
 */
import { loadavg } from "node:os";
import { analyze, makeSyntheticColumnar, type ColumnarRollouts } from "../lib/analysis";
import { makeRewardConfig, TIER_NAMES, type RewardConfig, type TierName } from "../lib/rewards";

const quick = process.argv.includes("--quick");
let peakRss = 0;
let peakHeap = 0;
function sampleMemory(): void {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
}
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const round = (x: number) => Math.round(x * 100) / 100;

/** Configs that differ only in tier values, so every timed call is a "tier values changed" recompute. */
function configs(n: number): RewardConfig[] {
  return Array.from({ length: n }, (_, i) =>
    makeRewardConfig({ estimator: "hybrid", tiers: { read: 0.3 - 0.05 * (i % 7), state: 0.1 - 0.04 * (i % 5) } }),
  );
}

/** Times `runs` calls (wall and CPU milliseconds, memory sampled after each); `result` is the last call's, or `first` when runs is 0. */
function timeRuns<R>(runs: number, first: R, call: (r: number) => R): { times: number[]; cpu: number[]; result: R } {
  const times: number[] = [];
  const cpu: number[] = [];
  let result = first;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = call(r);
    times.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    sampleMemory();
  }
  return { times, cpu, result };
}

function timeColumnar(data: ColumnarRollouts, runs: number) {
  const cfgs = configs(runs + 2);
  analyze(data, cfgs[0]); // warm: allocates the workspace, tiers once, JIT
  analyze(data, cfgs[1]);
  const { times, cpu, result } = timeRuns(runs, analyze(data, cfgs[1]), (r) => analyze(data, cfgs[r + 2]));
  return { median_ms: round(median(times)), cpu_ms: round(median(cpu)), min_ms: round(Math.min(...times)), runs_ms: times.map(round), result };
}

// ---------------------------------------------------------------------------------------------
// Baseline: the same computation written the obvious way, one object per turn, nested arrays,
// Maps keyed by strings. Not used anywhere but here.
interface BTurn {
  mask: number;
  soft: number;
  tokens: number;
  action: string;
  tier: TierName;
  reward: number;
  ai: number;
  adv: number;
}
interface BRollout {
  id: string;
  group: string;
  outcome: number;
  turns: BTurn[];
}

function toObjects(data: ColumnarRollouts): BRollout[] {
  const out: BRollout[] = [];
  for (let i = 0; i < data.nRollouts; i++) {
    const turns: BTurn[] = [];
    for (let t = data.turnOffsets[i]; t < data.turnOffsets[i + 1]; t++) {
      turns.push({ mask: data.turnMask[t], soft: data.turnSoft[t], tokens: data.turnTokens[t], action: data.actionKeys[data.turnAction[t]], tier: "message", reward: 0, ai: 0, adv: 0 });
    }
    out.push({ id: data.rolloutIds[i], group: data.groupIds[data.rolloutGroup[i]], outcome: data.outcome[i], turns });
  }
  return out;
}

function gnList(values: number[], ddof: number, eps: number): number[] {
  if (values.length < 2 || values.every((v) => v === values[0]) || values.length - ddof <= 0) return values.map(() => 0);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.map((v) => (v - mean) ** 2).reduce((a, b) => a + b, 0) / (values.length - ddof));
  return values.map((v) => (v - mean) / (sd + eps));
}

function pearsonList(x: number[], y: number[]): number | null {
  if (x.length < 2) return null;
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i] - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

function baselineAnalyze(rollouts: BRollout[], config: RewardConfig) {
  const { ddof, eps, gamma, lambda, delta } = config;
  // Tier and reward per turn.
  for (const r of rollouts) {
    for (const t of r.turns) {
      const classes = TIER_NAMES.filter((_, c) => t.mask & (1 << c));
      t.tier = config.precedence.find((p) => classes.includes(p)) ?? "message";
      const v = config.tiers[t.tier];
      t.reward = t.tier === "soft" && v === "formula" ? Math.min(0.99, 0.5 + 0.5 * t.soft) : (v as number);
    }
  }
  // Groups.
  const groups = new Map<string, BRollout[]>();
  for (const r of rollouts) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const ao = new Map<BRollout, number>();
  for (const members of groups.values()) {
    const z = gnList(members.map((m) => m.outcome), ddof, eps);
    members.forEach((m, j) => ao.set(m, z[j]));
    const returns = members.map((m) => {
      const g: number[] = new Array(m.turns.length);
      let next = m.outcome;
      for (let k = m.turns.length - 1; k >= 0; k--) next = g[k] = m.turns[k].reward + gamma * next;
      return g;
    });
    const maxK = Math.max(0, ...members.map((m) => m.turns.length));
    for (let l = 0; l < maxK; l++) {
      const who = members.map((m, j) => j).filter((j) => members[j].turns.length > l);
      const z2 = gnList(who.map((j) => returns[j][l]), ddof, eps);
      who.forEach((j, q) => {
        const t = members[j].turns[l];
        t.ai = z2[q];
        t.adv = z2[q] + lambda * (ao.get(members[j]) as number);
      });
    }
  }
  // Tier statistics over rollouts.
  const y = rollouts.map((r) => r.outcome);
  const rho: Record<string, number | null> = {};
  for (const tier of TIER_NAMES) rho[tier] = pearsonList(rollouts.map((r) => (r.turns.some((t) => t.tier === tier) ? 1 : 0)), y);
  // Turn diagnostics.
  const all = rollouts.flatMap((r) => r.turns.map((t) => ({ t, r })));
  const meanAdv: Record<string, number | null> = {};
  let mismatches = 0;
  for (const tier of TIER_NAMES) {
    const inTier = all.filter((x) => x.t.tier === tier);
    meanAdv[tier] = inTier.length ? inTier.reduce((s, x) => s + x.t.adv, 0) / inTier.length : null;
    const rc = rho[tier];
    if (rc !== null && Math.abs(rc) > delta) {
      const m = meanAdv[tier] ?? 0;
      if (Math.sign(m) !== Math.sign(rc) || Math.abs(m) < 1e-9) mismatches++;
    }
  }
  const live = all.filter((x) => Math.abs(x.t.adv) >= 1e-9);
  const dead = all.length - live.length;
  const total = live.reduce((s, x) => s + Math.abs(x.t.adv) * (x.t.tokens > 0 ? x.t.tokens : 1), 0);
  const share: Record<string, number> = {};
  for (const tier of TIER_NAMES) share[tier] = live.filter((x) => x.t.tier === tier).reduce((s, x) => s + Math.abs(x.t.adv) * (x.t.tokens > 0 ? x.t.tokens : 1), 0) / total;
  const corr = pearsonList(all.map((x) => x.t.adv), all.map((x) => x.r.outcome));
  const buckets = new Map<string, { sum: number; abs: number; n: number }>();
  for (const x of all) {
    const key = `${x.r.group}|${x.r.turns.indexOf(x.t)}|${x.t.action}`;
    const b = buckets.get(key) ?? { sum: 0, abs: 0, n: 0 };
    b.sum += x.t.adv;
    b.abs += Math.abs(x.t.adv);
    b.n++;
    buckets.set(key, b);
  }
  let cancelled = 0;
  for (const b of buckets.values()) if (Math.abs(b.sum) <= 1e-9 * Math.max(1, b.abs)) cancelled += b.n;
  const meanReward = rollouts.filter((r) => r.turns.length).map((r) => r.turns.reduce((s, t) => s + t.reward, 0) / r.turns.length);
  const corrMean = pearsonList(meanReward, rollouts.filter((r) => r.turns.length).map((r) => r.outcome));
  return { rho, meanAdv, mismatches, dead_pct: (100 * dead) / all.length, cancel_pct: (100 * cancelled) / all.length, share, corr, corrMean };
}

function timeBaseline(data: ColumnarRollouts, runs: number) {
  const objects = toObjects(data);
  const cfgs = configs(runs + 1);
  baselineAnalyze(objects, cfgs[0]);
  const { times, cpu, result } = timeRuns(runs, baselineAnalyze(objects, cfgs[0]), (r) => baselineAnalyze(objects, cfgs[r + 1]));
  return { median_ms: round(median(times)), cpu_ms: round(median(cpu)), runs_ms: times.map(round), result, cfg: cfgs[runs] };
}

function agrees(data: ColumnarRollouts, base: ReturnType<typeof timeBaseline>): boolean {
  const ours = analyze(data, base.cfg);
  const b = base.result;
  const close = (x: number | null, y: number | null) => (x === null || y === null ? x === y : Math.abs(x - y) < 1e-9);
  return (
    ours.mismatches === b.mismatches &&
    close(ours.corr_adv_outcome, b.corr) &&
    close(ours.corr_mean_reward_outcome, b.corrMean) &&
    close(ours.dead_turn_pct, b.dead_pct) &&
    close(ours.dead_turn_pct_cancel, b.cancel_pct) &&
    TIER_NAMES.every((t) => close(ours.tiers[t].rho, b.rho[t]) && close(ours.tiers[t].mean_adv, b.meanAdv[t]) && close(ours.gradient_share[t] ?? 0, b.share[t] || 0))
  );
}

function main(): void {
  const sizes = quick
    ? [{ name: "24k_turns", groups: 100, runs: 7, baselineRuns: 3 }]
    : [
        { name: "240k_turns", groups: 1_000, runs: 15, baselineRuns: 5 },
        { name: "2.4M_turns", groups: 10_000, runs: 9, baselineRuns: 3 },
      ];
  const load = Math.round(loadavg()[0] * 100) / 100;
  const out: Record<string, unknown> = { node: process.version, estimator: "hybrid", group_size: 8, turns_per_rollout: 30, load_avg_1m_at_start: load };
  // Columnar first for every size (so its peak memory is not inflated by the baseline's objects), then baselines.
  const built = sizes.map((s) => {
    const t0 = performance.now();
    const data = makeSyntheticColumnar({ groups: s.groups, groupSize: 8, turns: 30, seed: 7 });
    return { s, data, buildMs: performance.now() - t0 };
  });
  sampleMemory();
  const columnar = built.map(({ data, s }) => timeColumnar(data, s.runs));
  const columnarPeakRss = peakRss;
  const columnarPeakHeap = peakHeap;
  built.forEach(({ s, data, buildMs }, n) => {
    const baseline = timeBaseline(data, s.baselineRuns);
    const c = columnar[n];
    out[s.name] = {
      turns: data.nTurns,
      build_synthetic_ms: round(buildMs),
      recompute_ms_median: c.median_ms,
      recompute_ms_min: c.min_ms,
      recompute_cpu_ms_median: c.cpu_ms,
      recompute_runs_ms: c.runs_ms,
      baseline_object_per_turn_ms_median: baseline.median_ms,
      baseline_cpu_ms_median: baseline.cpu_ms,
      baseline_runs_ms: baseline.runs_ms,
      speedup: round(baseline.median_ms / c.median_ms),
      baseline_agrees: agrees(data, baseline),
    };
  });
  out.peak_rss_mb_columnar = mb(columnarPeakRss);
  out.peak_heap_plus_buffers_mb_columnar = mb(columnarPeakHeap);
  out.peak_rss_mb_with_baseline = mb(peakRss);
  process.stdout.write(JSON.stringify(out) + "\n");
}

main();
