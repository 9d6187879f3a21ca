import { describe, expect, it } from "vitest";
import { jobKinds } from "../lib/jobs/kinds";
import { jobHandlers } from "./job-handlers";

describe("job handlers", () => {
  it("has exactly one handler per job kind, paired with that kind", () => {
    expect([...jobHandlers.keys()].sort()).toEqual(jobKinds.map((k) => k.name).sort());
    for (const kind of jobKinds) expect(jobHandlers.get(kind.name)?.kind).toBe(kind);
  });
});
