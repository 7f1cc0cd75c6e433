// Normal-distribution math in double precision, accurate in the tails (TPE's truncated kernels and GP's
// log expected improvement both live there): erfc, cdf, quantile, interval mass and log EI.
import type { Rng } from '../../../shared/rng';

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erfc(x) for x >= 0: a positive-term series below 3 (no cancellation), a continued fraction above. */
function erfcPos(x: number): number {
  if (x < 3) {
    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up.
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / SQRT_PI / f;
}

export function erfc(x: number): number {
  return x >= 0 ? erfcPos(x) : 2 - erfcPos(-x);
}

/** Standard normal cdf. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

export function normLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** Standard normal quantile: Acklam's rational approximation plus one Halley step (full precision). */
export function normQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + (x * u) / 2);
}

/** log(Phi(b) - Phi(a)) for a < b, computed on the side of the mean where it does not cancel. */
export function logNormMass(a: number, b: number): number {
  let m: number;
  if (a > 0) m = normCdf(-a) - normCdf(-b);
  else if (b < 0) m = normCdf(b) - normCdf(a);
  else m = 1 - normCdf(a) - normCdf(-b);
  if (m > 0) return Math.log(m);
  // Both ends far out in one tail: the density at the nearer end times the width is close enough.
  const near = a > 0 ? a : -b;
  return normLogPdf(near) + Math.log(Math.max(b - a, 1e-300));
}

/** A draw from N(0,1) truncated to [a, b], by inverting the cdf on the side that keeps precision. */
export function truncNormal(rng: Rng, a: number, b: number): number {
  const u = rng.next();
  if (a >= 0) {
    const qa = normCdf(-a);
    const qb = normCdf(-b);
    if (qa - qb > 0) return Math.min(b, Math.max(a, -normQuantile(qb + u * (qa - qb))));
  } else if (b <= 0) {
    const pa = normCdf(a);
    const pb = normCdf(b);
    if (pb - pa > 0) return Math.min(b, Math.max(a, normQuantile(pa + u * (pb - pa))));
  } else {
    const pa = normCdf(a);
    const pb = normCdf(b);
    return Math.min(b, Math.max(a, normQuantile(pa + u * (pb - pa))));
  }
  return a + u * (b - a); // vanishing mass: the truncated normal is flat enough there
}

/**
 * log h(z) with h(z) = phi(z) + z Phi(z), so that log EI = log sigma + log h((best - mu) / sigma), and its
 * derivative d log h / dz = Phi(z) / h(z). For z < -5 it uses Laplace's continued fraction for the Mills
 * ratio, which keeps EI's logarithm finite and smooth far from the incumbent.
 */
export function logH(z: number): { value: number; dz: number } {
  if (z > -5) {
    const cdf = normCdf(z);
    const pdf = Math.exp(normLogPdf(z));
    const h = pdf + z * cdf;
    return { value: Math.log(h), dz: cdf / h };
  }
  // Mills ratio R(t) = Phi(-t)/phi(t) = 1/(t + c), c = 1/(t + 2/(t + 3/(t + ...))); then h = phi(t) c/(t+c).
  const t = -z;
  let f = t;
  for (let k = 40; k >= 2; k--) f = t + k / f;
  const c = 1 / f;
  return { value: normLogPdf(t) + Math.log(c) - Math.log(t + c), dz: 1 / c };
}
