/**
 * Logistic regression with an L2 penalty (pure), fitted by Newton's method (iteratively reweighted least squares):
 * the Hessian is k × k for k features, solved by Cholesky, so the cost per iteration is n × k² and a scorecard's
 * few dozen WoE columns converge in a handful of iterations. The intercept is not penalised. Also Platt's 1-D fit
 * (calibration) as the same problem with one column.
 */
import { sigmoid } from '../scorecard.js';

export interface FitOptions {
  /** L2 penalty on the coefficients (default 1) */
  lambda?: number;
  maxIterations?: number;
  /** stop when the largest step is below this */
  tolerance?: number;
  /** weight of each fraud row (class balance); default 1 */
  fraudWeight?: number;
  onIteration?: (iteration: number, logLoss: number) => void;
}

export interface Fit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

/** Solves A x = b for a symmetric positive-definite A (row-major, size m), in place on copies. */
export function choleskySolve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * m + k] as number) * (l[j * m + k] as number);
      if (i === j) l[i * m + i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i * m + j] = s / (l[j * m + j] as number);
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * m + k] as number) * (y[k] as number);
    y[i] = s / (l[i * m + i] as number);
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] as number) * (x[k] as number);
    x[i] = s / (l[i * m + i] as number);
  }
  return x;
}

/**
 * Fits y ~ σ(β₀ + Σ βⱼ xⱼ). `x` is row-major n × k; `y` is 1 for fraud. Column 0 of the internal design is the
 * intercept.
 */
export function fitLogistic(x: Float64Array, y: Uint8Array, k: number, opts: FitOptions = {}): Fit {
  const n = y.length;
  const m = k + 1;
  const lambda = opts.lambda ?? 1;
  const wFraud = opts.fraudWeight ?? 1;
  const beta = new Float64Array(m);
  const maxIt = opts.maxIterations ?? 25;
  const tol = opts.tolerance ?? 1e-6;
  const row = new Float64Array(m);
  for (let it = 1; it <= maxIt; it++) {
    const h = new Float64Array(m * m);
    const g = new Float64Array(m);
    let loss = 0;
    for (let r = 0; r < n; r++) {
      row[0] = 1;
      for (let j = 0; j < k; j++) row[j + 1] = x[r * k + j] as number;
      let z = 0;
      for (let j = 0; j < m; j++) z += (beta[j] as number) * (row[j] as number);
      const p = sigmoid(z);
      const yi = y[r] as number;
      const w = yi === 1 ? wFraud : 1;
      loss -= w * (yi === 1 ? Math.log(Math.max(p, 1e-15)) : Math.log(Math.max(1 - p, 1e-15)));
      const resid = w * (yi - p);
      const curv = w * p * (1 - p);
      for (let i = 0; i < m; i++) {
        const ri = row[i] as number;
        if (ri === 0) continue;
        g[i] = (g[i] as number) + resid * ri;
        const ci = curv * ri;
        for (let j = 0; j <= i; j++) h[i * m + j] = (h[i * m + j] as number) + ci * (row[j] as number);
      }
    }
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) h[j * m + i] = h[i * m + j] as number;
    for (let i = 1; i < m; i++) {
      h[i * m + i] = (h[i * m + i] as number) + lambda;
      g[i] = (g[i] as number) - lambda * (beta[i] as number);
    }
    h[0] = (h[0] as number) + 1e-9;
    const step = choleskySolve(h, g, m);
    let largest = 0;
    for (let j = 0; j < m; j++) {
      beta[j] = (beta[j] as number) + (step[j] as number);
      largest = Math.max(largest, Math.abs(step[j] as number));
    }
    opts.onIteration?.(it, loss / Math.max(n, 1));
    if (largest < tol) return { intercept: beta[0] as number, coefficients: [...beta.subarray(1)], iterations: it, converged: true };
  }
  return { intercept: beta[0] as number, coefficients: [...beta.subarray(1)], iterations: maxIt, converged: false };
}

/** Platt scaling: p = σ(a · logit + b) fitted on held-out logits and outcomes (no penalty). */
export function fitPlatt(logits: readonly number[], y: Uint8Array): { a: number; b: number } {
  const fit = fitLogistic(Float64Array.from(logits), y, 1, { lambda: 0 });
  return { a: fit.coefficients[0] as number, b: fit.intercept };
}
