import { buildDemoColumnar } from "../lib/calibration/demo-pipeline";
import { computeTurnValues } from "../lib/analysis";
import { NAIVE_V5, CALIBRATED, makeRewardConfig, TIER_CODE } from "../lib/rewards";
(async () => {
  const { data, rollouts } = await buildDemoColumnar();
  const cfgs = { naive: NAIVE_V5, naive_hybrid: makeRewardConfig({ ...NAIVE_V5, estimator: "hybrid" }), calibrated: CALIBRATED, calib_mt: makeRewardConfig({ ...CALIBRATED, estimator: "mt_grpo" }) };
  for (const [name, cfg] of Object.entries(cfgs)) {
    const v = computeTurnValues(data, cfg);
    const agg: Record<string, { n: number; a: number; ai: number; ao: number; pos: number; rem: number }> = {};
    for (let i = 0; i < data.nRollouts; i++) {
      const K = data.turnOffsets[i + 1] - data.turnOffsets[i];
      for (let t = data.turnOffsets[i]; t < data.turnOffsets[i + 1]; t++) {
        if (v.tier[t] !== TIER_CODE.read) continue;
        const k = `${data.outcome[i] ? "P" : "F"}`;
        agg[k] ??= { n: 0, a: 0, ai: 0, ao: 0, pos: 0, rem: 0 };
        agg[k].n++; agg[k].a += v.adv[t]; agg[k].ai += v.ai[t]; agg[k].ao += v.ao[i]; agg[k].pos += data.turnPos[t]; agg[k].rem += K - data.turnPos[t];
      }
    }
    console.log(name, Object.fromEntries(Object.entries(agg).map(([k, x]) => [k, { n: x.n, A: (x.a / x.n).toFixed(2), AI: (x.ai / x.n).toFixed(2), AO: (x.ao / x.n).toFixed(2), pos: (x.pos / x.n).toFixed(1), rem: (x.rem / x.n).toFixed(1) }])));
  }
  // tier sequences of a few groups
  for (let g = 0; g < 3; g++) {
    for (let j = data.groupRolloutOffsets[g]; j < data.groupRolloutOffsets[g + 1]; j++) {
      const i = data.groupRollouts[j];
      const v = computeTurnValues(data, NAIVE_V5);
      const s = Array.from(v.tier.subarray(data.turnOffsets[i], data.turnOffsets[i + 1])).map((c) => "GSRTMED"[c]).join("");
      console.log(g, data.outcome[i], String(rollouts[i].metadata?.agent).slice(17, 23), rollouts[i].termination, s);
    }
  }
})();
