/**
 * Directory exports (JSON, CSV, vCard 4.0) built from the entries as presented to the actor, so an
 * export never holds a field the actor could not see on screen.
 */
import type { PresentedTeam } from './profile.query.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'vcard'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CSV_COLUMNS = [
  'name', 'shortName', 'type', 'countryCode', 'officialName', 'countries', 'established', 'website', 'roleEmail', 'phones',
  'emergencyPhone', 'businessHours', 'timeZone', 'sectors', 'asns', 'ipv4', 'ipv6', 'domains', 'keyFingerprints', 'lastVerifiedAt',
] as const;

function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(' ') : v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // no formula injection in spreadsheets
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(teams: PresentedTeam[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const t of teams) {
    const row: Record<string, unknown> = { ...t, keyFingerprints: t.keys?.map((k) => k.fingerprint) };
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

const vEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1');
/** Folds lines at 75 octets as RFC 6350 asks. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch) > 75) {
      out.push(cur);
      cur = ` ${ch}`;
    } else cur += ch;
  }
  out.push(cur);
  return out.join('\r\n');
}

export function toVcard(teams: PresentedTeam[]): string {
  const cards: string[] = [];
  for (const t of teams) {
    const l = ['BEGIN:VCARD', 'VERSION:4.0', 'KIND:org', `FN:${vEscape(t.officialName ?? t.name)}`, `ORG:${vEscape(t.name)}`, `UID:urn:uuid:${t.orgId}`];
    if (t.shortName) l.push(`NICKNAME:${vEscape(t.shortName)}`);
    if (t.roleEmail) l.push(`EMAIL;TYPE=work:${vEscape(t.roleEmail)}`);
    for (const p of t.phones ?? []) l.push(`TEL;TYPE=work,voice;VALUE=uri:tel:${p.replace(/[^\d+]/g, '')}`);
    if (t.emergencyPhone) l.push(`TEL;TYPE=work,voice,x-emergency;VALUE=uri:tel:${t.emergencyPhone.replace(/[^\d+]/g, '')}`);
    if (t.website) l.push(`URL:${t.website}`);
    if (t.countries?.length) l.push(`ADR;TYPE=work:;;;;;;${vEscape(t.countries[0]!)}`);
    if (t.timeZone) l.push(`TZ:${vEscape(t.timeZone)}`);
    for (const c of t.contacts ?? []) l.push(`RELATED;TYPE=contact;VALUE=text:${vEscape(`${c.name} (${c.function || c.kind}) <${c.email}>`)}`);
    for (const k of (t.keys ?? []).filter((k) => k.state === 'valid')) l.push(`KEY;VALUE=text:OPENPGP4FPR:${k.fingerprint}`);
    if (t.constituencyDescription) l.push(`NOTE:${vEscape(t.constituencyDescription)}`);
    l.push('END:VCARD');
    cards.push(l.map(fold).join('\r\n'));
  }
  return cards.join('\r\n') + (cards.length ? '\r\n' : '');
}

export function exportTeams(teams: PresentedTeam[], format: ExportFormat): { contentType: string; extension: string; body: string } {
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', extension: 'csv', body: toCsv(teams) };
  if (format === 'vcard') return { contentType: 'text/vcard; charset=utf-8', extension: 'vcf', body: toVcard(teams) };
  return { contentType: 'application/json; charset=utf-8', extension: 'json', body: JSON.stringify({ generatedAt: new Date().toISOString(), teams }, null, 2) };
}
