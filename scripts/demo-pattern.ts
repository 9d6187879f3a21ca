/** Prints the demo experiment's tier direction table under NAIVE_V5 (MT-GRPO), hybrid and CALIBRATED. */
import { analyze, compareEstimators } from "../lib/analysis";
import { buildDemoColumnar } from "../lib/demo/pipeline";
import { CALIBRATED, NAIVE_V5, TIER_NAMES, makeRewardConfig } from "../lib/rewards";

async function main() {
  const t0 = Date.now();
  const { rollouts, data } = await buildDemoColumnar();
  const passRate = rollouts.filter((r) => r.outcome === 1).length / rollouts.length;
  const show = (label: string, cfg: typeof NAIVE_V5) => {
    const a = analyze(data, cfg);
    return {
      label,
      mismatches: a.mismatches,
      corr_mean_reward_outcome: a.corr_mean_reward_outcome,
      dead: a.dead_turn_pct,
      tiers: Object.fromEntries(TIER_NAMES.map((t) => [t, { rho: a.tiers[t].rho?.toFixed(3), ai: a.tiers[t].mean_ai?.toFixed(3), adv: a.tiers[t].mean_adv?.toFixed(3), n: a.tiers[t].n_turns, aligned: a.tiers[t].aligned }])),
    };
  };
  const byPreset: Record<string, { n: number; pass: number }> = {};
  for (const r of rollouts) {
    const p = String((r.metadata as Record<string, unknown>)?.agent ?? "?");
    byPreset[p] ??= { n: 0, pass: 0 };
    byPreset[p].n++;
    byPreset[p].pass += r.outcome;
  }
  const est = compareEstimators(data, NAIVE_V5);
  console.log(JSON.stringify({
    ms: Date.now() - t0, rollouts: rollouts.length, turns: data.nTurns, pass_rate: passRate, byPreset,
    naive: show("NAIVE_V5 mt_grpo", NAIVE_V5),
    naive_hybrid: show("NAIVE_V5 hybrid", makeRewardConfig({ ...NAIVE_V5, estimator: "hybrid" })),
    calibrated: show("CALIBRATED", CALIBRATED),
    estimators: Object.fromEntries(Object.entries(est).map(([k, v]) => [k, v.mismatches])),
  }, null, 1));
}
main().catch((e) => { console.error(e); process.exit(1); });
