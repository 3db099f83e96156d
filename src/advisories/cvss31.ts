/**
 * CVSS v3.1 vectors: parsing, validation and the base score, exactly as in the FIRST specification
 * (section 7.1 formulas, Appendix A "Roundup" with the integer arithmetic that avoids floating-point
 * surprises). Temporal/environmental metrics are accepted in a vector but only the base score is
 * computed (that is what advisories and CSAF `baseScore` carry).
 */
import { invalid } from '../core/errors.ts';

const BASE = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 1, L: 1, H: 1 }, // depends on scope, see below
  UI: { N: 0.85, R: 0.62 },
  S: { U: 1, C: 1 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;
const OPTIONAL: Record<string, readonly string[]> = {
  E: ['X', 'U', 'P', 'F', 'H'], RL: ['X', 'O', 'T', 'W', 'U'], RC: ['X', 'U', 'R', 'C'],
  CR: ['X', 'L', 'M', 'H'], IR: ['X', 'L', 'M', 'H'], AR: ['X', 'L', 'M', 'H'],
  MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'], MC: ['X', 'N', 'L', 'H'], MI: ['X', 'N', 'L', 'H'], MA: ['X', 'N', 'L', 'H'],
};
export const CVSS31_BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
type BaseMetric = (typeof CVSS31_BASE_METRICS)[number];

export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type Cvss31 = { version: '3.1'; vectorString: string; metrics: Record<string, string>; baseScore: number; baseSeverity: Severity };

/** Appendix A: the smallest number, to one decimal place, that is equal to or higher than its input. */
export function roundup(value: number): number {
  const int = Math.round(value * 100000);
  if (int % 10000 === 0) return int / 100000;
  return (Math.floor(int / 10000) + 1) / 10;
}

export function severityOf(score: number): Severity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** Parses a CVSS:3.1 vector; returns the problem instead of throwing. */
export function parseCvss31(vector: string): { ok: true; value: Cvss31 } | { ok: false; error: string } {
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:3.1') return { ok: false, error: 'must start with CVSS:3.1/' };
  const metrics: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const [k, v, extra] = p.split(':');
    if (!k || !v || extra !== undefined) return { ok: false, error: `malformed metric "${p}"` };
    if (k in metrics) return { ok: false, error: `metric ${k} given twice` };
    const allowed = k in BASE ? Object.keys(BASE[k as BaseMetric]) : OPTIONAL[k];
    if (!allowed) return { ok: false, error: `unknown metric ${k}` };
    if (!allowed.includes(v)) return { ok: false, error: `invalid value ${v} for ${k}` };
    metrics[k] = v;
  }
  for (const m of CVSS31_BASE_METRICS) if (!(m in metrics)) return { ok: false, error: `missing base metric ${m}` };
  const baseScore = baseScore31(metrics);
  return { ok: true, value: { version: '3.1', vectorString: vector.trim(), metrics, baseScore, baseSeverity: severityOf(baseScore) } };
}

export function baseScore31(m: Record<string, string>): number {
  const changed = m.S === 'C';
  const pr = m.PR === 'N' ? 0.85 : m.PR === 'L' ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const iss = 1 - (1 - BASE.C[m.C as 'H']) * (1 - BASE.I[m.I as 'H']) * (1 - BASE.A[m.A as 'H']);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * BASE.AV[m.AV as 'N'] * BASE.AC[m.AC as 'L'] * pr * BASE.UI[m.UI as 'N'];
  if (impact <= 0) return 0;
  return changed ? roundup(Math.min(1.08 * (impact + exploitability), 10)) : roundup(Math.min(impact + exploitability, 10));
}

/** Parses or throws a typed validation error naming the field. */
export function requireCvss31(vector: string, path: string): Cvss31 {
  const r = parseCvss31(vector);
  if (!r.ok) throw invalid('Invalid CVSS v3.1 vector', [{ path, message: r.error }]);
  return r.value;
}
