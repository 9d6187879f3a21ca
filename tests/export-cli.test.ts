/**
 * `writ export` writes through the same streaming code as an export job and the download
 * route (lib/exports/write-file.ts): the file equals the route's bytes, for the rollouts
 * and both RL layouts; a bad --rl-layout is a one-line error.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import * as exportRoute from "../app/api/experiments/[id]/export/route";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { ROOT, tsxArgs } from "./helpers";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

const appDb = appTempDb("writ-export-cli-", { caches: [clearCalibrationStore] });
let exp: number;

beforeAll(async () => {
  appDb.open();
  exp = await insertFixtureExperiment(getDb(), "cli");
});
afterAll(() => appDb.close());

function writ(args: string[]) {
  const [cmd, pre] = tsxArgs(join(ROOT, "bin", "writ.ts"));
  return spawnSync(cmd, [...pre, ...args], { cwd: ROOT, env: { ...process.env, WRIT_DB: process.env.WRIT_DB }, encoding: "utf8" });
}

describe("writ export", () => {
  it.each([
    ["jsonl", [], "format=jsonl"],
    ["rl", [], "format=rl"],
    ["rl", ["--rl-layout", "full"], "format=rl&rl_layout=full"],
  ])("--format %s %j writes the route's bytes", async (format, extra, query) => {
    const out = join(appDb.dir, `${format}-${extra.join("-") || "default"}.jsonl`);
    const run = writ(["export", "--experiment", String(exp), "--format", format, ...extra, "--out", out]);
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout.trim().split("\n").pop()!);
    const file = readFileSync(out, "utf8");
    expect(printed).toMatchObject({ experiment_id: exp, format, bytes: Buffer.byteLength(file), out });
    const res = await exportRoute.GET(new Request(`http://x/api/experiments/${exp}/export?${query}`), { params: Promise.resolve({ id: String(exp) }) });
    expect(file).toBe(await res.text());
  });

  it("rejects an unknown --rl-layout in one line", () => {
    const run = writ(["export", "--experiment", String(exp), "--format", "rl", "--rl-layout", "wide", "--out", join(appDb.dir, "x.jsonl")]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--rl-layout must be one of compact, full/);
  });
});
