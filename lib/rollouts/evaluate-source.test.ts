import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATE_SEED, getGeneratedState } from "../airline/generate";
import { resolveTaskSource } from "./evaluate-source";
import { makeTempDir } from "../../tests/temp-dir";

describe("resolveTaskSource", () => {
  const dir = makeTempDir("writ-src-");
  const file = join(dir, "tasks.json");
  writeFileSync(
    file,
    JSON.stringify([
      { id: "a", user_scenario: { instructions: "x" }, writ: { writes: 0, evidence: [], read_plan: [], behavior: "b", seed: 1, state_seed: 7 } },
      { id: "b", user_scenario: { instructions: "x" } },
    ]),
  );

  it("uses each task's writ.state_seed, then --state-seed, then the default seed", () => {
    const src = resolveTaskSource({ tasksFile: file, env: {} });
    expect(src.baseFor(src.tasks[0])).toBe(getGeneratedState(7));
    expect(src.baseFor(src.tasks[1])).toBe(getGeneratedState(DEFAULT_STATE_SEED));
    const seeded = resolveTaskSource({ tasksFile: file, stateSeed: 9, env: {} });
    expect(seeded.baseFor(seeded.tasks[1])).toBe(getGeneratedState(9));
  });

  it("needs --tasks without a domain directory, and reads TAU2_DATA_DIR as the default domain", () => {
    expect(() => resolveTaskSource({ env: {} })).toThrow(/--tasks is required/);
    expect(() => resolveTaskSource({ env: { TAU2_DATA_DIR: join(dir, "missing") } })).toThrow(/domain directory not found/);
  });
});
