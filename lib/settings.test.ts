import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./settings";

describe("parseEnv", () => {
  it("applies defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ WRIT_DB: "data/writ.db", PORT: 3000, WORKERS: 1, WRIT_WORKER_CONCURRENCY: 4, WRIT_ANALYSIS_THREAD: "1" });
    expect(env).toMatchObject({ WRIT_ROLLOUT_THREAD: "1", WRIT_WORKER_WARMUP: 400 });
    expect(env.WRIT_ACCESS_TOKEN).toBeUndefined();
  });

  it("coerces numbers", () => {
    expect(parseEnv({ PORT: "8080", WORKERS: "0", WRIT_ANALYSIS_THREAD: "0" })).toMatchObject({ PORT: 8080, WORKERS: 0, WRIT_ANALYSIS_THREAD: "0" });
    expect(parseEnv({ WRIT_ROLLOUT_THREAD: " 0 ", WRIT_WORKER_WARMUP: "0" })).toMatchObject({ WRIT_ROLLOUT_THREAD: "0", WRIT_WORKER_WARMUP: 0 });
  });

  it("lists every bad variable at once", () => {
    try {
      parseEnv({ PORT: "http", WORKERS: "-1", WRIT_ACCESS_TOKEN: "short", WRIT_ANALYSIS_THREAD: "yes", WRIT_ROLLOUT_THREAD: "2", WRIT_WORKER_WARMUP: "-5" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const problems = (err as EnvError).problems.join("\n");
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/WORKERS/);
      expect(problems).toMatch(/WRIT_ACCESS_TOKEN/);
      expect(problems).toMatch(/WRIT_ANALYSIS_THREAD must be 0 or 1/);
      expect(problems).toMatch(/WRIT_ROLLOUT_THREAD must be 0 or 1/);
      expect(problems).toMatch(/WRIT_WORKER_WARMUP/);
    }
  });
});
