/**
 * The lookup screen's pure parts: splitting pasted text or a text/CSV file into values (one per
 * line, or separated by commas, semicolons, tabs or spaces; quotes stripped; duplicates dropped in
 * order), and the results as CSV (RFC 4180 quoting; cells that a spreadsheet would run as a formula
 * are prefixed with an apostrophe).
 */
import type { LookupResult } from '../../../../src/intel/lookup/lookup.query.ts';

export type { LookupResult };
export const MAX_VALUES = 10_000;

export function splitValues(text: string): { values: string[]; duplicates: number } {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const raw of text.split(/[\r\n,;\t ]+/)) {
    const v = raw.trim().replace(/^["'<(\[]+|["'>)\]]+$/g, '');
    if (!v) continue;
    if (seen.has(v)) duplicates++;
    else seen.add(v);
  }
  return { values: [...seen], duplicates };
}

const FORMULA = /^[=+\-@\t\r]/;
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = ['input', 'kind', 'normalised', 'warning_lists', 'warnings', 'match_count', 'matches'];

/** One row per value; matches as "id (type, TLP:X)" separated by " | ". */
export function resultsCsv(results: LookupResult[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of results) {
    lines.push([
      r.input, r.kind ?? 'unrecognised', r.value ?? '', r.warnings.map((w) => w.list).join(' | '), r.warnings.map((w) => w.reason).join(' | '),
      r.matchCount, r.matches.map((m) => `${m.id} (${m.type}, TLP:${m.tlp.toUpperCase()})`).join(' | '),
    ].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export type LookupCounts = { values: number; recognised: number; unrecognised: number; matched: number; matches: number; flagged: number };

export function countResults(results: LookupResult[]): LookupCounts {
  const c: LookupCounts = { values: results.length, recognised: 0, unrecognised: 0, matched: 0, matches: 0, flagged: 0 };
  for (const r of results) {
    if (r.kind) c.recognised++;
    else c.unrecognised++;
    if (r.matchCount > 0) c.matched++;
    c.matches += r.matchCount;
    if (r.warnings.length) c.flagged++;
  }
  return c;
}
