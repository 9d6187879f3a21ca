/**
 * The calibration routes called directly over a temp db holding simulated rollouts: analysis
 * (every section, 400s naming the field, cache hits), drill-down, iterations (seeded, immutable,
 * diff, evaluate on another experiment), short links, RL export, and no API key anywhere.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { buildColumnar, computeTurnValues } from "../lib/analysis";
import { CALIBRATED, NAIVE_V5, TIER_NAMES } from "../lib/rewards";
import type { AnalysisResponse, DrillTurnsResponse, IterationDiffResponse, ListIterationsResponse, RewardConfigIteration } from "../lib/calibration/api-types";
import * as analysisRoute from "../app/api/experiments/[id]/analysis/route";
import * as turnsRoute from "../app/api/experiments/[id]/analysis/turns/route";
import * as configsRoute from "../app/api/reward-configs/route";
import * as configRoute from "../app/api/reward-configs/[id]/route";
import * as diffRoute from "../app/api/reward-configs/diff/route";
import * as evaluateRoute from "../app/api/reward-configs/[id]/evaluate/route";
import * as viewsRoute from "../app/api/views/route";
import * as viewRoute from "../app/api/views/[id]/route";
import * as overviewRoute from "../app/api/overview/route";
import * as exportRoute from "../app/api/experiments/[id]/export/route";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";
import { rewardConfigs } from "../db/schema";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));
const redirects: string[] = [];
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    redirects.push(to);
    throw new Error("NEXT_REDIRECT");
  },
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
}));

const SECRET = "sk-test-CALIB-SECRET-0123456789";
let expA: number;
let expB: number;
const seen: string[] = [];
const appDb = appTempDb("writ-calib-api-", { caches: [clearCalibrationStore], env: { OPENAI_API_KEY: SECRET } });

async function call(res: Response | Promise<Response>) {
  const r = await res;
  const text = await r.text();
  seen.push(text);
  return { status: r.status, body: text && r.headers.get("content-type")?.includes("json") && !text.includes("\n{") ? JSON.parse(text) : text, text };
}
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const analysis = (id: number, body: unknown) =>
  call(analysisRoute.POST(new Request(`http://x/api/experiments/${id}/analysis`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) }), params(id)));

beforeAll(async () => {
  appDb.open();
  const a = await fixtureRollouts(3);
  const b = await fixtureRollouts(11);
  expA = insertExperiment(getDb(), "A", a.tasks, a.rollouts);
  expB = insertExperiment(getDb(), "B", b.tasks, b.rollouts);
});

afterAll(() => appDb.close());

describe("POST /api/experiments/:id/analysis", () => {
  it("returns the analysis with every section", async () => {
    const r = await analysis(expA, { config: NAIVE_V5, include: ["turns", "estimators", "cells", "flips", "heatmap", "distribution"] });
    expect(r.status).toBe(200);
    const body = r.body as AnalysisResponse;
    const { rollouts } = await fixtureRollouts(3);
    expect(body.analysis.n_rollouts).toBe(rollouts.length);
    expect(Object.keys(body.analysis.tiers).sort()).toEqual([...TIER_NAMES].sort());
    expect(body.analysis.turns!.length).toBe(body.analysis.n_turns);
    expect(Object.keys(body.estimators!).sort()).toEqual(["grpo", "gtpo", "hybrid", "mt_grpo"]);
    expect(body.estimators!.mt_grpo.mismatches).toBe(body.analysis.mismatches);
    expect(body.cells!.length).toBe(3);
    expect(body.cells!.reduce((s, c) => s + c.n_rollouts, 0)).toBe(rollouts.length);
    expect(body.heatmap!.n.flat().reduce((s, x) => s + x, 0)).toBe(body.analysis.n_turns);
    const d = body.distribution!;
    expect(d.bins.reduce((s, x) => s + x.pass + x.fail, 0)).toBe(body.analysis.n_turns);
    expect(body.flips!.map((f) => f.toggle)).toEqual(["sort_lists", "coerce_numeric_strings", "drop_empty"]);
    expect(body.suggestion_rules.gold.rule).toMatch(/rho|n\/a/);
    for (const t of TIER_NAMES) expect(body.suggestion_rules[t].value).toBe(body.analysis.suggestion[t]);
    expect(body.stop_rule.text).toMatch(/mismatches/);
    expect(r.text).not.toMatch(/NaN|Infinity/);
  });

  it("matches the engine run in-process on the same rollouts", async () => {
    const { rollouts, tasks } = await fixtureRollouts(3);
    const gold = new Map(tasks.map((t) => [t.id, (t.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments }))]));
    const data = buildColumnar(rollouts, NAIVE_V5, (r) => gold.get(r.task_id));
    const mine = (await analysis(expA, { config: NAIVE_V5 })).body as AnalysisResponse;
    const { analyze } = await import("../lib/analysis");
    const ref = analyze(data, NAIVE_V5);
    expect(mine.analysis.n_turns).toBe(ref.n_turns);
    expect(mine.analysis.mismatches).toBe(ref.mismatches);
    for (const t of TIER_NAMES) expect(mine.analysis.tiers[t].n_turns).toBe(ref.tiers[t].n_turns);
  });

  it("serves a cache hit with identical numbers", async () => {
    const body = { config: CALIBRATED, include: ["cells", "heatmap"], slice: { w: [1, 2] } };
    const first = (await analysis(expA, body)).body as AnalysisResponse;
    const second = (await analysis(expA, body)).body as AnalysisResponse;
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    const strip = (x: AnalysisResponse) => ({ ...x, cached: null, computed_ms: null });
    expect(strip(second)).toEqual(strip(first));
  });

  it.each([
    [{ config: { tiers: { bogus: 1 } } }, "config.tiers.bogus", /unknown tier/],
    [{ config: { ddof: -1 } }, "config.ddof", />= 0/],
    [{ config: { gamma: 1.5 } }, "config.gamma", /\[0, 1\]/],
    [{ config: { gamma: -0.1 } }, "config.gamma", /\[0, 1\]/],
    [{ config: "{not json" }, "config", /malformed JSON/],
    [{ config: { precedence: ["gold", "nope"] } }, "config.precedence.1", /must be one of/],
  ])("400 naming the field for %j", async (body, field, message) => {
    const r = await analysis(expA, body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
    expect(r.body.error.message).toMatch(message);
  });

  it("400 for a malformed body and 404 for an unknown experiment", async () => {
    const bad = await analysis(expA, "{oops");
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("body");
    expect((await analysis(99999, { config: NAIVE_V5 })).status).toBe(404);
  });
});

describe("GET /api/experiments/:id/analysis/turns", () => {
  it("lists a tier's turns, misaligned first, paginated, with rollout browser links", async () => {
    const a = (await analysis(expA, { config: NAIVE_V5 })).body as AnalysisResponse;
    const tier = TIER_NAMES.find((t) => a.analysis.tiers[t].intended_sign !== null && a.analysis.tiers[t].n_turns > 3)!;
    const get = (q: string) => call(turnsRoute.GET(new Request(`http://x/api/experiments/${expA}/analysis/turns?${q}`), params(expA)));
    const r = await get(`tier=${tier}&config=${a.config_hash}&limit=3`);
    expect(r.status).toBe(200);
    const page = r.body as DrillTurnsResponse;
    expect(page.turns.length).toBe(Math.min(3, page.total));
    expect(page.turns.every((t) => t.tier === tier)).toBe(true);
    const flags = page.turns.map((t) => t.misaligned);
    expect([...flags].sort((x, y) => Number(y) - Number(x))).toEqual(flags);
    expect(page.turns[0].href).toMatch(new RegExp(`^/experiments/${expA}/groups/g-${expA}-\\d+\\?turn=\\d+&sibling=\\d$`));
    // The browser's row 0 is the opening user message: agent turn k sits on row k + 1.
    for (const t of page.turns) expect(t.href).toContain(`?turn=${t.k + 1}&sibling=${t.sample_index}`);
    // All pages together = total.
    let n = 0;
    for (let off = 0; off < page.total; off += 50) n += ((await get(`tier=${tier}&config=${a.config_hash}&offset=${off}`)).body as DrillTurnsResponse).turns.length;
    expect(n).toBe(page.total);
    expect(page.total).toBe(a.analysis.tiers[tier].n_turns);
    // Heatmap cell: position 0 of every tier = rollouts with ≥ 1 turn.
    const p0 = (await get(`position=0&config=${a.config_hash}&limit=500`)).body as DrillTurnsResponse;
    expect(p0.turns.every((t) => t.k === 0)).toBe(true);
    // Slice by several behaviours: the union of each one's turns, and the turns carry only those behaviours.
    const byBehavior = a.analysis.tiers[tier].n_turns;
    const names = (getDb().$client.prepare("SELECT DISTINCT behavior FROM rollouts WHERE experiment_id = ? AND behavior IS NOT NULL ORDER BY 1").all(expA) as { behavior: string }[]).map((r) => r.behavior);
    expect(names.length).toBeGreaterThanOrEqual(2);
    const only = async (bs: string[]) => ((await get(`tier=${tier}&config=${a.config_hash}&behavior=${bs.join(",")}&limit=1`)).body as DrillTurnsResponse).total;
    const each = await Promise.all(names.map((n) => only([n])));
    expect(each.reduce((x, y) => x + y, 0)).toBe(byBehavior);
    expect(await only(names.slice(0, 2))).toBe(each[0] + each[1]);
    expect((await get(`tier=${tier}&config=${a.config_hash}&behavior=terse,`)).body.error.field).toBe("behavior");
    expect((await get(`config=${a.config_hash}`)).status).toBe(400);
    expect((await get(`tier=gold&config=ffffffffffffffff`)).body.error.field).toBe("config");
  });
});

describe("reward-config iterations", () => {
  let it1: RewardConfigIteration;
  let it2: RewardConfigIteration;
  it("seeds iteration 1 = NAIVE_V5 with metrics on first use", async () => {
    const r = await call(configsRoute.GET(new Request(`http://x/api/reward-configs?experiment_id=${expA}`)));
    const list = r.body as ListIterationsResponse;
    expect(list.iterations.length).toBe(1);
    it1 = list.iterations[0];
    expect(it1.number).toBe(1);
    expect(it1.note).toBe("naive per-turn rewards (paper's V5)");
    expect(it1.config.tiers.read).toBe(0.3);
    expect(it1.metrics!.experiment_id).toBe(expA);
    expect(Object.keys(it1.metrics!.rho).sort()).toEqual([...TIER_NAMES].sort());
    expect(it1.metrics!.pass_rate).toBeGreaterThan(0);
    // Listing again does not seed twice.
    expect(((await call(configsRoute.GET(new Request(`http://x/api/reward-configs?experiment_id=${expA}`)))).body as ListIterationsResponse).iterations.length).toBe(1);
  });

  it("stores a new immutable version with server-side metrics; no update path exists", async () => {
    const r = await call(configsRoute.POST(new Request("http://x/api/reward-configs", { method: "POST", body: JSON.stringify({ experiment_id: expA, config: CALIBRATED, note: "read → 0, state → −0.1, hybrid" }) })));
    expect(r.status).toBe(201);
    it2 = r.body.iteration;
    expect(it2.parent_id).toBe(it1.id);
    expect(it2.number).toBe(2);
    const direct = (await analysis(expA, { config: CALIBRATED })).body as AnalysisResponse;
    expect(it2.metrics!.mismatches).toBe(direct.analysis.mismatches);
    expect(it2.metrics!.corr_mean_reward_outcome).toBe(direct.analysis.corr_mean_reward_outcome);
    expect(it2.hash).toBe(direct.config_hash);
    const routeModules = [configsRoute, configRoute] as Record<string, unknown>[];
    for (const m of routeModules) for (const verb of ["PUT", "PATCH", "DELETE"]) expect(m[verb]).toBeUndefined();
    const again = await call(configRoute.GET(new Request("http://x"), params(it1.id)));
    expect(again.body.iteration.config).toEqual(it1.config);
    expect(again.body.iteration.metrics).toEqual(it1.metrics);
    const bad = await call(configsRoute.POST(new Request("http://x/api/reward-configs", { method: "POST", body: JSON.stringify({ experiment_id: expA, config: { ddof: -2 } }) })));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("config.ddof");
    expect(getDb().select().from(rewardConfigs).all().filter((x) => x.experimentId === expA).length).toBe(2);
  });

  it("diffs two versions key by key with metric deltas", async () => {
    const r = await call(diffRoute.GET(new Request(`http://x/api/reward-configs/diff?a=${it1.id}&b=${it2.id}`)));
    const d = r.body as IterationDiffResponse;
    const keys = d.changes.map((c) => c.key).sort();
    expect(keys).toEqual(["estimator", "tiers.read", "tiers.state"]);
    expect(d.changes.find((c) => c.key === "tiers.read")).toEqual({ key: "tiers.read", a: 0.3, b: 0 });
    const mm = d.metric_deltas.find((m) => m.metric === "mismatches")!;
    expect(mm.delta).toBe(it2.metrics!.mismatches - it1.metrics!.mismatches);
    expect(d.same_experiment).toBe(true);
  });

  it("evaluates an iteration on another experiment", async () => {
    const r = await call(evaluateRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ experiment_id: expB }) }), params(it2.id)));
    expect(r.status).toBe(200);
    expect(r.body.metrics.experiment_id).toBe(expB);
    const direct = (await analysis(expB, { config: CALIBRATED })).body as AnalysisResponse;
    expect(r.body.metrics.mismatches).toBe(direct.analysis.mismatches);
    expect(r.body.metrics.n_rollouts).toBe(direct.analysis.n_rollouts);
    expect(r.body.baseline.experiment_id).toBe(expA);
    expect((await call(evaluateRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ experiment_id: 4242 }) }), params(it2.id)))).status).toBe(404);
  });

  it("shows iterations and mismatches on the overview", async () => {
    const r = await call(overviewRoute.GET());
    const a = r.body.experiments.find((e: { id: number }) => e.id === expA);
    expect(a.latest_iteration.number).toBe(2);
    expect(a.mismatches).toBe(it2.metrics!.mismatches);
    expect(r.body.recent_iterations[0].id).toBe(it2.id);
  });
});

describe("short links", () => {
  it("round-trips path + state through /v/<id>", async () => {
    const r = await call(viewsRoute.POST(new Request("http://x/api/views", { method: "POST", body: JSON.stringify({ path: `/experiments/${expA}/calibration`, state: { tier: "read", w: [1, 2], iteration: 2 } }) })));
    expect(r.status).toBe(201);
    expect(r.body.url).toBe(`/v/${r.body.id}`);
    expect(r.body.id).toMatch(/^[A-Za-z0-9]{8}$/);
    const v = await call(viewRoute.GET(new Request("http://x"), params(r.body.id)));
    expect(v.body.target).toBe(`/experiments/${expA}/calibration?tier=read&w=1&w=2&iteration=2`);
    const page = (await import("../app/(saved-views)/v/[id]/page")).default;
    await expect(page({ params: Promise.resolve({ id: r.body.id }) })).rejects.toThrow("NEXT_REDIRECT");
    expect(redirects.at(-1)).toBe(v.body.target);
    await expect(page({ params: Promise.resolve({ id: "nope1234" }) })).rejects.toThrow("NEXT_NOT_FOUND");
    expect((await call(viewRoute.GET(new Request("http://x"), params("nope1234")))).status).toBe(404);
    const bad = await call(viewsRoute.POST(new Request("http://x/api/views", { method: "POST", body: JSON.stringify({ path: "https://evil.example/", state: {} }) })));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("path");
  });
});

describe("RL export", () => {
  it("writes one parseable row per agent turn with advantages equal to computeTurnValues", async () => {
    const list = ((await call(configsRoute.GET(new Request(`http://x/api/reward-configs?experiment_id=${expA}`)))).body as ListIterationsResponse).iterations;
    const target = list[1];
    const res = await exportRoute.GET(new Request(`http://x/api/experiments/${expA}/export?format=rl&rl_layout=full&iteration=${target.id}`), params(expA));
    expect(res.status).toBe(200);
    const text = await res.text();
    seen.push(text);
    const rows = text.trim().split("\n").map((l) => JSON.parse(l));
    const { rollouts, tasks } = await fixtureRollouts(3);
    const gold = new Map(tasks.map((t) => [t.id, (t.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments }))]));
    const data = buildColumnar(rollouts, CALIBRATED, (r) => gold.get(r.task_id));
    const v = computeTurnValues(data, CALIBRATED);
    expect(rows.length).toBe(data.nTurns);
    // Same rollout (task position + sample) → same per-turn advantages.
    const pos = new Map(tasks.map((t, i) => [t.id, i]));
    const byKey = new Map<string, number[]>();
    for (let i = 0; i < data.nRollouts; i++) {
      const r = rollouts[i];
      const key = `r-${expA}-${pos.get(r.task_id)}-${r.sample_index}`;
      byKey.set(key, Array.from(v.adv.subarray(data.turnOffsets[i], data.turnOffsets[i + 1])));
    }
    for (const row of rows) {
      expect(row.advantage).toBeCloseTo(byKey.get(row.rollout_id)![row.turn], 12);
      expect(TIER_NAMES).toContain(row.tier);
      expect(row.config_id).toBe(`iteration-${target.id}`);
      expect(row.completion[0].role).toBe("assistant");
    }
    const bad = await call(exportRoute.GET(new Request(`http://x/api/experiments/${expA}/export?format=rl&config=${encodeURIComponent('{"gamma":2}')}`), params(expA)));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("config.gamma");
  });

  it("never shows the API key in any response", () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) expect(text).not.toContain(SECRET);
  });
});
