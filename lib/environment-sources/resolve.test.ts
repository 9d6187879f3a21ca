import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AIRLINE_POLICY, DEFAULT_STATE_SEED } from "../airline";
import { TAU2_DIR } from "../airline/testing/fixture";
import { createTempDb, type TempDb } from "../../tests/helpers";
import { clearEnvironmentCache, resolveEnvironment } from "./resolve";
import { DEFAULT_ENVIRONMENT_NAME, ensureEnvironments, listEnvironments } from "./rows";
import { EnvironmentLoadError, loadEnvironment } from "./load";

let t: TempDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

describe("resolveEnvironment", () => {
  it("memoises a generated environment per seed", () => {
    clearEnvironmentCache();
    const a = resolveEnvironment({ kind: "generated", seed: DEFAULT_STATE_SEED });
    const b = resolveEnvironment({ kind: "generated", seed: DEFAULT_STATE_SEED });
    expect(a).toBe(b);
    expect(a.policy).toBe(AIRLINE_POLICY);
    expect(a.stateSeed).toBe(DEFAULT_STATE_SEED);
    expect(a.tasks).toBeUndefined();
  });

  it.skipIf(!existsSync(TAU2_DIR))("loads a τ² directory once, with its tasks and policy", () => {
    const a = resolveEnvironment({ kind: "tau2", domainDir: TAU2_DIR });
    expect(Object.keys(a.state.users).length).toBe(500);
    expect(a.tasks?.length).toBe(50);
    expect(a.policy.length).toBeGreaterThan(1000);
    expect(a.stateSeed).toBeNull();
    expect(resolveEnvironment({ kind: "tau2", domainDir: TAU2_DIR + "/" })).toBe(a);
  });
});

describe("environment rows", () => {
  it("creates the default (and TAU2_DATA_DIR) environments once", () => {
    t = createTempDb();
    ensureEnvironments(t.db);
    ensureEnvironments(t.db);
    expect(listEnvironments(t.db).map((e) => e.name)).toEqual([DEFAULT_ENVIRONMENT_NAME]);
    ensureEnvironments(t.db, { tau2DataDir: "/some/dir" });
    ensureEnvironments(t.db, { tau2DataDir: "/some/dir" });
    expect(listEnvironments(t.db).map((e) => [e.sourceKind, e.domainDir])).toEqual([
      ["generated", null],
      ["tau2", "/some/dir"],
    ]);
  });

  it("turns a broken τ² directory into a typed error naming the file", () => {
    t = createTempDb();
    const dir = mkdtempSync(join(tmpdir(), "writ-bad-tau2-"));
    writeFileSync(join(dir, "db.json"), "{not json");
    try {
      ensureEnvironments(t.db, { tau2DataDir: dir });
      const id = listEnvironments(t.db).find((e) => e.sourceKind === "tau2")!.id;
      expect(() => loadEnvironment(t!.db, id)).toThrow(EnvironmentLoadError);
      expect(() => loadEnvironment(t!.db, id)).toThrow(/db\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
