import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "../../tests/helpers";
import { jobs } from "../../db/schema";
import { enqueueJob } from "../jobs/store/enqueue";
import { seedDemo } from "./seed";
import { seedSteps } from "./steps";

let t: TempDb;
beforeEach(() => {
  t = createTempDb();
});
afterEach(() => t.cleanup());

describe("seedDemo", () => {
  it("applies each registered step once", () => {
    expect(seedDemo(t.db)).toEqual(seedSteps.map((s) => s.key));
    expect(seedSteps.map((s) => s.key)).toContain("demo-jobs-v1");
    const n = t.db.select().from(jobs).all().length;
    expect(n).toBeGreaterThan(0);
    expect(seedDemo(t.db)).toEqual([]);
    expect(t.db.select().from(jobs).all()).toHaveLength(n);
  });

  it("runs a step added later, and rolls back a failing one", () => {
    seedDemo(t.db);
    const added = { key: "later", description: "", run: (tx: Parameters<typeof enqueueJob>[0]) => void enqueueJob(tx, "demo.noop", {}) };
    const broken = {
      key: "broken",
      description: "",
      run: (tx: Parameters<typeof enqueueJob>[0]) => {
        enqueueJob(tx, "demo.noop", {});
        throw new Error("step failed");
      },
    };
    const before = t.db.select().from(jobs).all().length;
    expect(seedDemo(t.db, [added])).toEqual(["later"]);
    expect(() => seedDemo(t.db, [broken])).toThrow("step failed");
    expect(t.db.select().from(jobs).all()).toHaveLength(before + 1);
  });
});
