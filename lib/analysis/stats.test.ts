import { describe, expect, it } from "vitest";
import scipyFixture from "./__fixtures__/scipy-pearson.json";
import { mulberry32 } from "../random/prng";
import {
  correlate,
  fisherCi,
  logGamma,
  pearson,
  pearsonPValue,
  regularizedIncompleteBeta,
  studentTTwoSidedP,
} from "./stats";

/** Deterministic PRNG (mulberry32) so failures reproduce. */
const rng = mulberry32;

/** Reference Pearson: textbook double loop over pairs, Σ_i Σ_j (x_i − x_j)(y_i − y_j) form. */
function referencePearson(x: number[], y: number[]): number {
  const n = x.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[i] - x[j];
      const dy = y[i] - y[j];
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Reference two-sided t p-value for integer df: closed form of P(|T| < t) as a finite trig series
 * (θ = atan(t/√ν); odd ν: (2/π)(θ + sinθ Σ c_k cos^{2k−1}θ), even ν: sinθ Σ d_k cos^{2k}θ).
 */
function referenceTP(t: number, df: number): number {
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df));
  const s = Math.sin(theta);
  const c = Math.cos(theta);
  let a: number;
  if (df % 2 === 1) {
    let sum = 0;
    if (df > 1) {
      let term = c;
      sum = term;
      for (let k = 3; k <= df - 2; k += 2) {
        term *= ((k - 1) / k) * c * c;
        sum += term;
      }
    }
    a = (2 / Math.PI) * (theta + s * sum);
  } else {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) {
      term *= ((k - 1) / k) * c * c;
      sum += term;
    }
    a = s * sum;
  }
  return 1 - a;
}

/** Second reference: Simpson integration of the t density on [|t|, ∞) via u = 1/(1+s), s ≥ |t|. */
function integratedTP(t: number, df: number): number {
  const logC = logGammaRef((df + 1) / 2) - logGammaRef(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (x: number) => Math.exp(logC - ((df + 1) / 2) * Math.log1p((x * x) / df));
  const t0 = Math.abs(t);
  // x = t0 + v/(1−v), v ∈ [0, 1): dx = dv/(1−v)².
  const f = (v: number) => (v >= 1 ? 0 : density(t0 + v / (1 - v)) / ((1 - v) * (1 - v)));
  const N = 200000;
  const h = 1 / N;
  let sum = f(0) + f(1);
  for (let i = 1; i < N; i++) sum += f(i * h) * (i % 2 ? 4 : 2);
  return 2 * (sum * h) / 3;
}

/** Independent log-gamma for the reference: Lanczos-free, via lgamma(x) = lgamma(x+1) − ln x and integer/half-integer closed forms. */
function logGammaRef(x: number): number {
  // Only used at integer and half-integer arguments.
  if (Number.isInteger(x)) {
    let s = 0;
    for (let k = 2; k < x; k++) s += Math.log(k);
    return s;
  }
  let s = 0.5 * Math.log(Math.PI);
  for (let k = 0.5; k < x; k += 1) s += Math.log(k);
  return s;
}

describe("log-gamma and incomplete beta", () => {
  it("matches closed forms of Γ at integers and half-integers", () => {
    for (const x of [0.5, 1, 1.5, 2, 3.5, 7, 10, 10.5, 25, 100.5, 1000]) {
      expect(Math.abs(logGamma(x) - logGammaRef(x))).toBeLessThan(1e-13 * Math.max(1, Math.abs(logGammaRef(x))));
    }
  });
  it("I_x(1, b) = 1 − (1−x)^b and I_x(a, 1) = x^a", () => {
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      for (const b of [0.5, 2, 7.5, 40]) {
        expect(Math.abs(regularizedIncompleteBeta(x, 1, b) - (1 - Math.pow(1 - x, b)))).toBeLessThan(1e-13);
        expect(Math.abs(regularizedIncompleteBeta(x, b, 1) - Math.pow(x, b))).toBeLessThan(1e-13);
      }
    }
  });
  it("handles the end points", () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe("Student t p-value", () => {
  it("agrees with the closed-form series for integer df to 1e-12", () => {
    const rand = rng(7);
    for (let trial = 0; trial < 400; trial++) {
      const df = 1 + Math.floor(rand() * 150);
      const t = (rand() - 0.5) * 12;
      expect(Math.abs(studentTTwoSidedP(t, df) - referenceTP(t, df))).toBeLessThan(1e-12);
    }
  });
  it("agrees with numerical integration of the t density to 1e-9", () => {
    for (const [t, df] of [[0.3, 3], [2.1, 8], [-1.7, 17], [4.2, 40], [0.05, 101]] as const) {
      expect(Math.abs(studentTTwoSidedP(t, df) - integratedTP(t, df))).toBeLessThan(1e-9);
    }
  });
  it("is 1 at t = 0 and 0 at infinite t", () => {
    expect(studentTTwoSidedP(0, 5)).toBeCloseTo(1, 14);
    expect(studentTTwoSidedP(Infinity, 5)).toBe(0);
  });
});

describe("Pearson, CI and p against an independent reference", () => {
  it("matches the double-loop Pearson and series p to 1e-9 on random binary and continuous data", () => {
    const rand = rng(42);
    for (let trial = 0; trial < 300; trial++) {
      const n = 4 + Math.floor(rand() * 200);
      const binaryX = trial % 2 === 0;
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const yi = rand() < 0.5 ? 1 : 0;
        y.push(yi);
        x.push(binaryX ? (rand() < 0.3 + 0.4 * yi ? 1 : 0) : rand() + yi * rand());
      }
      y[0] = 0;
      y[1] = 1;
      x[0] = 0;
      x[1] = 1;
      const r = pearson(x, y);
      const ref = referencePearson(x, y);
      expect(r).not.toBeNull();
      expect(Math.abs((r as number) - ref)).toBeLessThan(1e-9);
      const p = pearsonPValue(r, n) as number;
      const tRef = (ref * Math.sqrt(n - 2)) / Math.sqrt(1 - ref * ref);
      expect(Math.abs(p - referenceTP(tRef, n - 2))).toBeLessThan(1e-9);
      const ci = fisherCi(r, n) as [number, number];
      if (Math.abs(ref) > 1 - 1e-15) {
        expect(ci).toEqual([r, r]);
        continue;
      }
      const z = 0.5 * Math.log((1 + ref) / (1 - ref));
      const se = 1 / Math.sqrt(n - 3);
      const lo = (Math.exp(2 * (z - 1.96 * se)) - 1) / (Math.exp(2 * (z - 1.96 * se)) + 1);
      const hi = (Math.exp(2 * (z + 1.96 * se)) - 1) / (Math.exp(2 * (z + 1.96 * se)) + 1);
      expect(Math.abs(ci[0] - lo)).toBeLessThan(1e-9);
      expect(Math.abs(ci[1] - hi)).toBeLessThan(1e-9);
    }
  });

  it("matches scipy.stats.pearsonr and pointbiserialr (fixture) to 1e-9", () => {
    const cases = (scipyFixture as { cases: { x: number[]; y: number[]; r: number; p: number; r_pb: number; p_pb: number }[] }).cases;
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const s = correlate(c.x, c.y);
      expect(Math.abs((s.r as number) - c.r)).toBeLessThan(1e-9);
      expect(Math.abs((s.p as number) - c.p)).toBeLessThan(1e-9);
      expect(Math.abs((s.r as number) - c.r_pb)).toBeLessThan(1e-9);
      expect(Math.abs((s.p as number) - c.p_pb)).toBeLessThan(1e-9);
    }
  });

  it("is n/a (null, never NaN) when either side is constant or n < 2", () => {
    expect(pearson([1, 1, 1, 1], [0, 1, 0, 1])).toBeNull();
    expect(pearson([0, 1, 0, 1], [1, 1, 1, 1])).toBeNull();
    expect(pearson([1], [1])).toBeNull();
    const s = correlate([0.2, 0.2, 0.2], [0, 1, 1]);
    expect(s).toEqual({ r: null, ci: null, p: null, n: 3 });
  });

  it("handles perfect correlation without infinities", () => {
    const s = correlate([0, 1, 0, 1, 1], [0, 1, 0, 1, 1]);
    expect(s.r).toBe(1);
    expect(s.p).toBe(0);
    expect(s.ci).toEqual([1, 1]);
  });

  it("leaves the CI out for n ≤ 3 and the p-value for n < 3", () => {
    expect(fisherCi(0.5, 3)).toBeNull();
    expect(pearsonPValue(0.5, 2)).toBeNull();
  });

  it("respects a mask", () => {
    const x = [0, 1, 5, 0, 1];
    const y = [0, 1, -9, 0, 1];
    expect(pearson(x, y, 5, [1, 1, 0, 1, 1])).toBeCloseTo(1, 12);
  });
});

describe("phi from 2×2 counts", () => {
  it("equals the Pearson loop on random binary data", async () => {
    const { phiFromCounts } = await import("./discriminativeness");
    const rand = rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(rand() * 300);
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        x.push(rand() < 0.4 ? 1 : 0);
        y.push(rand() < 0.5 ? 1 : 0);
      }
      const both = x.reduce((s, xi, i) => s + xi * y[i], 0);
      const phi = phiFromCounts(n, x.reduce((s, v) => s + v, 0), both, y.reduce((s, v) => s + v, 0));
      const loop = correlate(x, y);
      if (loop.r === null) expect(phi.r).toBeNull();
      else {
        expect(Math.abs((phi.r as number) - loop.r)).toBeLessThan(1e-12);
        expect(Math.abs((phi.p ?? 0) - (loop.p ?? 0))).toBeLessThan(1e-10);
      }
    }
  });
});
