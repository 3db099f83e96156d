/**
 * TAXII 2.1 media types and content negotiation (sections 1.6.8 and 3.4): every response is
 * `application/taxii+json;version=2.1`; requests must accept it (406 otherwise) and POST bodies
 * must be sent as it (415 otherwise).
 */
import { DomainError } from '../../core/errors.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

type MediaRange = { type: string; subtype: string; params: Record<string, string>; q: number };

function parseMediaRange(s: string): MediaRange | null {
  const [full, ...rawParams] = s.split(';').map((x) => x.trim());
  const m = /^([a-z0-9!#$&^_.+*-]+)\/([a-z0-9!#$&^_.+*-]+)$/i.exec(full ?? '');
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  const q = params.q !== undefined ? Number(params.q) : 1;
  delete params.q;
  return { type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
}

/** True when the media type is TAXII JSON of version 2.1 (or unversioned, which means the newest). */
export function isTaxiiMediaType(value: string): boolean {
  const r = parseMediaRange(value);
  return !!r && r.type === 'application' && r.subtype === 'taxii+json' && (r.params.version === undefined || r.params.version === '2.1');
}

/** 406 unless the Accept header admits TAXII 2.1 JSON (a missing header accepts anything). */
export function assertAcceptable(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  const ok = accept.split(',').some((part) => {
    const r = parseMediaRange(part.trim());
    if (!r || r.q <= 0) return false;
    if (r.type === '*' && r.subtype === '*') return true;
    if (r.type === 'application' && r.subtype === '*') return true;
    return r.type === 'application' && r.subtype === 'taxii+json' && (r.params.version === undefined || r.params.version === '2.1');
  });
  if (!ok) throw new DomainError('not_acceptable', `This server answers only ${TAXII_MEDIA_TYPE}`, { accept: [TAXII_MEDIA_TYPE] });
}

/** 415 unless the body is sent as TAXII 2.1 JSON. */
export function assertTaxiiContentType(contentType: string | undefined): void {
  if (!contentType || !isTaxiiMediaType(contentType)) {
    throw new DomainError('unsupported_media_type', `Send the envelope as ${TAXII_MEDIA_TYPE}`, { contentType: [TAXII_MEDIA_TYPE] });
  }
}
