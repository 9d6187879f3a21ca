import { describe, expect, it } from "vitest";
import { z } from "zod";
import { classifyError, computeBackoffMs, PayloadError, RetryableError } from "./errors";

describe("classifyError", () => {
  const retryable = (e: unknown) => classifyError(e).retryable;

  it("retries what a later attempt can get past", () => {
    expect(retryable(new RetryableError("flaky"))).toBe(true);
    expect(retryable(Object.assign(new Error("rate limited"), { status: 429 }))).toBe(true);
    expect(retryable(Object.assign(new Error("bad gateway"), { status: 502 }))).toBe(true);
    expect(retryable(Object.assign(new Error("timeout"), { status: 408 }))).toBe(true);
    expect(retryable(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(retryable(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(retryable(new DOMException("The operation timed out.", "TimeoutError"))).toBe(true);
    expect(retryable(new Error("fetch failed", { cause: Object.assign(new Error("x"), { code: "ETIMEDOUT" }) }))).toBe(true);
  });

  it("fails at once on everything else, keeping the reason", () => {
    expect(retryable(Object.assign(new Error("unauthorized"), { status: 401 }))).toBe(false);
    expect(retryable(Object.assign(new Error("bad request"), { status: 400 }))).toBe(false);
    expect(retryable(new PayloadError("payload.steps: too big", "payload.steps"))).toBe(false);
    const zerr = z.object({ a: z.number() }).safeParse({}).error;
    expect(retryable(zerr)).toBe(false);
    expect(classifyError(new TypeError("x is undefined"))).toEqual({ retryable: false, reason: "x is undefined" });
    expect(classifyError("plain string").reason).toBe("plain string");
  });
});

describe("computeBackoffMs", () => {
  it("doubles per attempt with jitter between half and the full delay", () => {
    expect(computeBackoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(computeBackoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(computeBackoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(computeBackoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
  });

  it("is capped", () => {
    expect(computeBackoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it("spreads a burst of retries", () => {
    const delays = new Set(Array.from({ length: 50 }, () => computeBackoffMs(2, 1000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(1000);
  });
});
