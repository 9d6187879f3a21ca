/**
 * Correlation statistics with no dependencies: Pearson r, Fisher-z CI, and the two-sided
 * Student-t p-value through a regularized incomplete beta written here (log-gamma by
 * Stirling's series with upward shifting, continued fraction by modified Lentz).
 * Undefined quantities are null, never NaN.
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** lgamma(x) − Stirling's approximation, for x ≥ 10 (series error < 1e-16 there). */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  // Bernoulli-number coefficients B_{2k} / (2k (2k−1)).
  return (
    (1 / 12 +
      x2 *
        (-1 / 360 +
          x2 * (1 / 1260 + x2 * (-1 / 1680 + x2 * (1 / 1188 + x2 * (-691 / 360360 + x2 * (1 / 156))))))) /
    x
  );
}

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  let y = x;
  // Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1)); shift into the range where Stirling's series is exact enough.
  let prod = 1;
  while (y < 10) {
    prod *= y;
    y += 1;
    shift++;
  }
  const stirling = (y - 0.5) * Math.log(y) - y + HALF_LOG_2PI + stirlingCorrection(y);
  return shift > 0 ? stirling - Math.log(prod) : stirling;
}

/** log B(a, b), avoiding the cancellation of lgamma differences when a or b is large. */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const s = p + q;
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(s);
    return -0.5 * Math.log(s) + HALF_LOG_2PI + corr + (p - 0.5) * Math.log(p / s) + (q - 0.5) * Math.log1p(-p / s);
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(s);
    return logGamma(p) + corr + p - p * Math.log(s) + (q - 0.5) * Math.log1p(-p / s);
  }
  return logGamma(p) + logGamma(q) - logGamma(s);
}

/** Continued fraction for I_x(a, b) (modified Lentz); converges fast when x < (a+1)/(a+b+2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b). Pass y = 1 − x when it is known more precisely
 * than 1 − x would be (e.g. x = 1 − r², y = r²).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** Two-sided p-value of Student's t with df degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  return regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
}

/**
 * Pearson r over [0, n) of x and y, optionally only where mask[i] is non-zero. Two-pass
 * (mean-centred) for accuracy. null when fewer than 2 points or either side is constant.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, n: number = x.length, mask?: ArrayLike<number>): number | null {
  let count = 0;
  let sx = 0;
  let sy = 0;
  let xConst = true;
  let yConst = true;
  let x0 = 0;
  let y0 = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const xi = x[i];
    const yi = y[i];
    if (count === 0) {
      x0 = xi;
      y0 = yi;
    } else {
      if (xi !== x0) xConst = false;
      if (yi !== y0) yConst = false;
    }
    sx += xi;
    sy += yi;
    count++;
  }
  // Constant input is detected exactly: its centred sums can be rounding noise instead of 0.
  if (count < 2 || xConst || yConst) return null;
  const mx = sx / count;
  const my = sy / count;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  if (!Number.isFinite(r)) return null;
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Pearson p-value (two-sided, t with n−2 df); null when r is null or n < 3. */
export function pearsonPValue(r: number | null, n: number): number | null {
  if (r === null || n < 3) return null;
  const r2 = r * r;
  if (r2 >= 1) return 0;
  // With t = r·sqrt(df/(1−r²)): df/(df+t²) = 1−r², so p = I_{1−r²}(df/2, 1/2) with no overflow at |r|→1.
  const p = regularizedIncompleteBeta(1 - r2, (n - 2) / 2, 0.5, r2);
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : null;
}

/** 95% CI by Fisher z (z = atanh r, se = 1/sqrt(n−3), ±1.96·se); null when r is null or n ≤ 3. */
export function fisherCi(r: number | null, n: number, zCrit = 1.96): [number, number] | null {
  if (r === null || n <= 3) return null;
  if (r >= 1 || r <= -1) return [r, r];
  const z = Math.atanh(r);
  const se = 1 / Math.sqrt(n - 3);
  return [Math.tanh(z - zCrit * se), Math.tanh(z + zCrit * se)];
}

export interface CorrelationSummary {
  r: number | null;
  ci: [number, number] | null;
  p: number | null;
  n: number;
}

export function correlate(x: ArrayLike<number>, y: ArrayLike<number>, n: number = x.length, mask?: ArrayLike<number>): CorrelationSummary {
  let count = n;
  if (mask) {
    count = 0;
    for (let i = 0; i < n; i++) if (mask[i]) count++;
  }
  const r = pearson(x, y, n, mask);
  return { r, ci: fisherCi(r, count), p: pearsonPValue(r, count), n: count };
}

/** Finite number or null: the single rule every output goes through. */
export function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
