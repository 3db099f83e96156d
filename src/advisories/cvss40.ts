/**
 * CVSS v4.0 vectors: parsed and validated against the FIRST v4.0 specification (every base,
 * threat, environmental and supplemental metric with its allowed values, base metrics mandatory,
 * in the specification's order, none repeated).
 *
 * NOT computed here: the v4.0 score. v4.0 has no closed formula; its score comes from a 270-entry
 * macro-vector lookup table plus severity-distance interpolation. Until that table is implemented
 * and tested against FIRST's calculator, an advisory may carry the score the CNA published
 * (`cvssV4Score`), checked only for range; the v3.1 base score is always computed.
 */
import { invalid } from '../core/errors.ts';

const METRICS: [string, readonly string[], boolean][] = [
  ['AV', ['N', 'A', 'L', 'P'], true], ['AC', ['L', 'H'], true], ['AT', ['N', 'P'], true],
  ['PR', ['N', 'L', 'H'], true], ['UI', ['N', 'P', 'A'], true],
  ['VC', ['H', 'L', 'N'], true], ['VI', ['H', 'L', 'N'], true], ['VA', ['H', 'L', 'N'], true],
  ['SC', ['H', 'L', 'N'], true], ['SI', ['H', 'L', 'N'], true], ['SA', ['H', 'L', 'N'], true],
  ['E', ['X', 'A', 'P', 'U'], false],
  ['CR', ['X', 'H', 'M', 'L'], false], ['IR', ['X', 'H', 'M', 'L'], false], ['AR', ['X', 'H', 'M', 'L'], false],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], false], ['MAC', ['X', 'L', 'H'], false], ['MAT', ['X', 'N', 'P'], false],
  ['MPR', ['X', 'N', 'L', 'H'], false], ['MUI', ['X', 'N', 'P', 'A'], false],
  ['MVC', ['X', 'H', 'L', 'N'], false], ['MVI', ['X', 'H', 'L', 'N'], false], ['MVA', ['X', 'H', 'L', 'N'], false],
  ['MSC', ['X', 'H', 'L', 'N'], false], ['MSI', ['X', 'S', 'H', 'L', 'N'], false], ['MSA', ['X', 'S', 'H', 'L', 'N'], false],
  ['S', ['X', 'N', 'P'], false], ['AU', ['X', 'N', 'Y'], false], ['R', ['X', 'A', 'U', 'I'], false],
  ['V', ['X', 'D', 'C'], false], ['RE', ['X', 'L', 'M', 'H'], false], ['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], false],
];
const ORDER = new Map(METRICS.map(([k], i) => [k, i]));

export type Cvss40 = { version: '4.0'; vectorString: string; metrics: Record<string, string> };

export function parseCvss40(vector: string): { ok: true; value: Cvss40 } | { ok: false; error: string } {
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:4.0') return { ok: false, error: 'must start with CVSS:4.0/' };
  const metrics: Record<string, string> = {};
  let last = -1;
  for (const p of parts.slice(1)) {
    const [k, v, extra] = p.split(':');
    if (!k || !v || extra !== undefined) return { ok: false, error: `malformed metric "${p}"` };
    const idx = ORDER.get(k);
    if (idx === undefined) return { ok: false, error: `unknown metric ${k}` };
    if (k in metrics) return { ok: false, error: `metric ${k} given twice` };
    if (idx < last) return { ok: false, error: `metric ${k} out of the specification's order` };
    last = idx;
    if (!METRICS[idx]![1].includes(v)) return { ok: false, error: `invalid value ${v} for ${k}` };
    metrics[k] = v;
  }
  for (const [k, , required] of METRICS) if (required && !(k in metrics)) return { ok: false, error: `missing base metric ${k}` };
  return { ok: true, value: { version: '4.0', vectorString: vector.trim(), metrics } };
}

export function requireCvss40(vector: string, path: string): Cvss40 {
  const r = parseCvss40(vector);
  if (!r.ok) throw invalid('Invalid CVSS v4.0 vector', [{ path, message: r.error }]);
  return r.value;
}
