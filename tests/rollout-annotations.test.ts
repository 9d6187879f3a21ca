/**
 * The rollout browser's annotation API over a temp db of simulated rollouts: per-turn tier,
 * reward and advantage equal the RL export's records for the same group and iteration; the
 * reasons name the evidence; a second config yields the turns whose tier, reward or
 * advantage sign change; bad input is a 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { CALIBRATED, NAIVE_V5 } from "../lib/rewards";
import type { GroupAnnotationsResponse } from "../lib/calibration/annotations";
import type { RewardConfigIteration } from "../lib/calibration/api-types";
import * as groupAnnotationsRoute from "../app/api/groups/[id]/annotations/route";
import * as rolloutAnnotationsRoute from "../app/api/rollouts/[id]/annotations/route";
import * as exportRoute from "../app/api/experiments/[id]/export/route";
import * as changesRoute from "../app/api/experiments/[id]/annotation-changes/route";
import type { ChangedGroupsResponse } from "../lib/calibration/annotations";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";
import { listIterationsOf, saveIteration } from "./fixtures/reward-configs";

vi.mock("next/server", () => ({ connection: async () => {} }));

let exp: number;
let naive: RewardConfigIteration;
let calibrated: RewardConfigIteration;
const appDb = appTempDb("writ-annotations-", { caches: [clearCalibrationStore] });

const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });

async function annotations(groupId: string, query = ""): Promise<{ status: number; body: GroupAnnotationsResponse & { error?: { field?: string; message: string } } }> {
  const res = await groupAnnotationsRoute.GET(new Request(`http://x/api/groups/${groupId}/annotations${query ? `?${query}` : ""}`), params(groupId));
  return { status: res.status, body: await res.json() };
}

interface RlRow {
  rollout_id: string;
  group_id: string;
  turn: number;
  tier: string;
  reward: number;
  advantage: number;
}
async function rlRows(query: string): Promise<RlRow[]> {
  const res = await exportRoute.GET(new Request(`http://x/api/experiments/${exp}/export?format=rl&rl_layout=full${query}`), params(exp));
  expect(res.status).toBe(200);
  return (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as RlRow);
}

const groupsOf = (rows: RlRow[]) => [...new Set(rows.map((r) => r.group_id))];

beforeAll(async () => {
  appDb.open();
  exp = await insertFixtureExperiment(getDb(), "A");
  naive = (await listIterationsOf(exp))[0];
  calibrated = await saveIteration({ experiment_id: exp, parent_id: naive.id, config: CALIBRATED, note: "calibrated" });
});

afterAll(() => appDb.close());

function expectEqualToExport(body: GroupAnnotationsResponse, rows: RlRow[]) {
  const mine = rows.filter((r) => r.group_id === body.group_id);
  const annotated = body.rollouts.flatMap((r) => r.turns.map((t) => ({ rollout_id: r.rollout_id, ...t })));
  expect(annotated.length).toBe(mine.length);
  expect(mine.length).toBeGreaterThan(0);
  const byKey = new Map(annotated.map((t) => [`${t.rollout_id}#${t.turn}`, t]));
  for (const row of mine) {
    const t = byKey.get(`${row.rollout_id}#${row.turn}`);
    expect(t, `${row.rollout_id} turn ${row.turn}`).toBeDefined();
    expect(t!.tier).toBe(row.tier);
    expect(t!.reward).toBe(row.reward);
    expect(t!.advantage).toBe(row.advantage);
  }
}

describe("GET /api/groups/:id/annotations", () => {
  it("equals the RL export's per-turn records for the same group and iteration", async () => {
    const rows = await rlRows(`&iteration=${naive.id}`);
    for (const g of groupsOf(rows).slice(0, 4)) {
      const r = await annotations(g, `iteration=${naive.id}`);
      expect(r.status).toBe(200);
      expect(r.body.config.iteration_id).toBe(naive.id);
      expect(r.body.config.estimator).toBe(NAIVE_V5.estimator);
      expectEqualToExport(r.body, rows);
    }
  });

  it("uses the latest saved iteration without a config in the URL, as the export does", async () => {
    const rows = await rlRows("");
    const g = groupsOf(rows)[0];
    const r = await annotations(g);
    expect(r.body.config.source).toBe("latest");
    expect(r.body.config.iteration_id).toBe(calibrated.id);
    expectEqualToExport(r.body, rows);
  });

  it("applies the workbench's unsaved diff (c=…) relative to the named iteration, like an inline export config", async () => {
    const edited = { ...CALIBRATED, tiers: { ...CALIBRATED.tiers, read: 0.25 }, estimator: "mt_grpo" as const };
    const rows = await rlRows(`&config=${encodeURIComponent(JSON.stringify(edited))}`);
    const g = groupsOf(rows)[1];
    const r = await annotations(g, `iteration=${calibrated.id}&c=read:0.25,est:mt_grpo`);
    expect(r.body.config.label).toMatch(/unsaved/);
    expect(r.body.config.estimator).toBe("mt_grpo");
    expectEqualToExport(r.body, rows);
    // The estimator picked in the browser overrides the config's, as an export with that config would.
    const hybridRows = await rlRows(`&config=${encodeURIComponent(JSON.stringify({ ...edited, estimator: "hybrid" }))}`);
    expectEqualToExport((await annotations(g, `iteration=${calibrated.id}&c=read:0.25,est:mt_grpo&estimator=hybrid`)).body, hybridRows);
  });

  it("gives each rollout its return (Σ turn rewards) and group-normalised outcome advantage", async () => {
    const rows = await rlRows(`&iteration=${naive.id}`);
    const r = await annotations(groupsOf(rows)[0], `iteration=${naive.id}`);
    const scored = r.body.rollouts.filter((x) => x.scored);
    for (const x of scored) expect(x.return).toBeCloseTo(x.turns.reduce((s, t) => s + t.reward, 0), 12);
    const outcomes = new Set(scored.map((x) => x.outcome));
    const ao = scored.map((x) => x.outcome_advantage!);
    // AO is GN(outcome) within the group: all zero when every sibling has the same outcome, else passers above failers.
    if (outcomes.size === 1) expect(ao.every((a) => a === 0)).toBe(true);
    else {
      const pass = scored.filter((x) => x.outcome === 1).map((x) => x.outcome_advantage!);
      const fail = scored.filter((x) => x.outcome === 0).map((x) => x.outcome_advantage!);
      expect(Math.min(...pass)).toBeGreaterThan(Math.max(...fail));
    }
  });

  it("explains every tier present with its evidence", async () => {
    const rows = await rlRows(`&iteration=${naive.id}`);
    const seen = new Set<string>();
    for (const g of groupsOf(rows)) {
      const { body } = await annotations(g, `iteration=${naive.id}`);
      for (const r of body.rollouts)
        for (const t of r.turns) {
          seen.add(t.tier);
          expect(t.reason.tier).toBe(t.tier);
          if (t.tier === "gold") {
            expect(t.reason.text).toMatch(/equals gold action #\d+/);
            expect(t.reason.call?.startsWith(t.reason.gold!.name + "(")).toBe(true);
            expect(t.reason.options.length).toBeGreaterThan(0);
          } else if (t.tier === "soft") {
            expect(t.reason.text).toMatch(/Near miss of gold action #\d+ .*arguments match\. Differs: /);
            expect(t.reason.differs.length).toBeGreaterThan(0);
            expect(t.reason.soft_fraction).toBeGreaterThan(0);
          } else if (t.tier === "duplicate") {
            expect(t.reason.earlier_turn).not.toBeNull();
            expect(t.reason.earlier_turn!).toBeLessThan(t.turn);
            expect(t.reason.text).toContain(`turn ${t.reason.earlier_turn! + 1}`);
          } else if (t.tier === "error") {
            expect(t.reason.error).toBeTruthy();
          }
        }
    }
    // The fixture's simulated agents hit gold, near misses and reads.
    for (const tier of ["gold", "soft", "read"]) expect(seen).toContain(tier);
  });

  it("marks the turns whose tier, reward or advantage sign change under a second config, with counts", async () => {
    const a = await rlRows(`&iteration=${naive.id}`);
    const b = await rlRows(`&iteration=${calibrated.id}`);
    const g = groupsOf(a)[0];
    const { body } = await annotations(g, `iteration=${naive.id}&compare=${calibrated.id}`);
    expect(body.compare).not.toBeNull();
    const cmp = body.compare!;
    expect(cmp.config.iteration_id).toBe(calibrated.id);
    // Expected from the two exports directly.
    const bByKey = new Map(b.filter((r) => r.group_id === g).map((r) => [`${r.rollout_id}#${r.turn}`, r]));
    const expected = new Map<string, string[]>();
    for (const x of a.filter((r) => r.group_id === g)) {
      const y = bByKey.get(`${x.rollout_id}#${x.turn}`)!;
      const kinds: string[] = [];
      if (x.tier !== y.tier) kinds.push("tier");
      if (x.reward !== y.reward) kinds.push("reward");
      if (Math.sign(x.advantage) !== Math.sign(y.advantage)) kinds.push("sign");
      if (kinds.length) expected.set(`${x.rollout_id}#${x.turn}`, kinds);
    }
    expect(expected.size).toBeGreaterThan(0); // read 0.3 → 0 changes every read turn's reward
    expect(new Map(cmp.changes.map((c) => [`${c.rollout_id}#${c.turn}`, c.kinds]))).toEqual(expected);
    expect(cmp.summary.changed).toBe(expected.size);
    for (const kind of ["tier", "reward", "sign"] as const)
      expect(cmp.summary.by_kind[kind]).toBe([...expected.values()].filter((k) => k.includes(kind)).length);
    expect(cmp.summary.by_kind.reward).toBeGreaterThan(0);
  });

  it("answers 400 naming the field for bad input, 404 for an unknown group", async () => {
    const g = (await rlRows(`&iteration=${naive.id}`))[0].group_id;
    const bad = await annotations(g, "estimator=ppo");
    expect(bad.status).toBe(400);
    expect(bad.body.error?.field).toBe("estimator");
    const badIt = await annotations(g, "iteration=abc");
    expect(badIt.status).toBe(400);
    expect(badIt.body.error?.field).toBe("iteration");
    expect((await annotations(g, "iteration=999999")).status).toBe(404);
    expect((await annotations("g-nope-1")).status).toBe(404);
    expect((await annotations("../etc")).status).toBe(400);
  });
});

describe("GET /api/rollouts/:id/annotations", () => {
  it("narrows the group's annotations to one rollout", async () => {
    const rows = await rlRows(`&iteration=${naive.id}`);
    const rid = rows[0].rollout_id;
    const res = await rolloutAnnotationsRoute.GET(new Request(`http://x/api/rollouts/${rid}/annotations?iteration=${naive.id}&compare=${calibrated.id}`), params(rid));
    expect(res.status).toBe(200);
    const body = (await res.json()) as GroupAnnotationsResponse;
    expect(body.rollouts.map((r) => r.rollout_id)).toEqual([rid]);
    expect(body.rollouts[0].turns.length).toBe(rows.filter((r) => r.rollout_id === rid).length);
    expect(body.compare!.changes.every((c) => c.rollout_id === rid)).toBe(true);
  });
});

describe("GET /api/experiments/:id/annotation-changes", () => {
  it("lists the groups whose turns change, with the counts the group view shows", async () => {
    const res = await changesRoute.GET(new Request(`http://x/api/experiments/${exp}/annotation-changes?iteration=${naive.id}&compare=${calibrated.id}`), params(exp));
    expect(res.status).toBe(200);
    const body = (await res.json()) as ChangedGroupsResponse;
    expect(body.groups.length).toBeGreaterThan(0);
    expect(body.groups.reduce((s, g) => s + g.changed, 0)).toBe(body.changed);
    for (const g of body.groups) {
      const { body: one } = await annotations(g.group_id, `iteration=${naive.id}&compare=${calibrated.id}`);
      expect(one.compare!.summary.changed).toBe(g.changed);
      expect(one.compare!.summary.by_kind).toEqual(g.by_kind);
    }
    for (let i = 1; i < body.groups.length; i++) expect(body.groups[i - 1].changed).toBeGreaterThanOrEqual(body.groups[i].changed);
    const missing = await changesRoute.GET(new Request(`http://x/api/experiments/${exp}/annotation-changes?iteration=${naive.id}`), params(exp));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { field: string } }).error.field).toBe("compare");
  });
});
