/**
 * Observables in one canonical spelling, so that the same address, name or hash written two ways
 * correlates: IPv4 without leading zeros, IPv6 in RFC 5952 form, domains lower-case ASCII (IDNA)
 * without the trailing dot, URLs in WHATWG canonical form without fragment, e-mail lower-case,
 * hashes lower-case hex with their algorithm told by length.
 *
 * Used both when indexing stored objects and when parsing a lookup, so both sides agree.
 */
import { domainToASCII } from 'node:url';
import { isIPv4, isIPv6 } from 'node:net';

export const OBSERVABLE_KINDS = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type ObservableKind = (typeof OBSERVABLE_KINDS)[number];
export type Observable = { kind: ObservableKind; value: string };

const HASH_BY_LENGTH: Record<number, ObservableKind> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const HEX_RE = /^[0-9a-f]+$/i;
const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** IPv4 dotted quad without leading zeros; null when not one (also refuses octets > 255). */
export function normalizeIPv4(s: string): string | null {
  const v = s.trim().replace(/\/32$/, '');
  const parts = v.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const n = parts.map(Number);
  if (n.some((x) => x > 255)) return null;
  return n.join('.');
}

/** Sixteen-bit groups of an IPv6 address (embedded IPv4 expanded); null when not one. */
export function ipv6Groups(s: string): number[] | null {
  let v = s.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\/128$/, '');
  const zone = v.indexOf('%');
  if (zone >= 0) v = v.slice(0, zone);
  if (!isIPv6(v)) return null;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (tail) {
    const q = tail[1]!.split('.').map(Number);
    v = v.slice(0, -tail[1]!.length) + `${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const [head, rest] = v.includes('::') ? v.split('::') as [string, string] : [v, undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const fill = rest !== undefined ? 8 - h.length - r.length : 0;
  const groups = [...h, ...Array(fill).fill('0'), ...r].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function normalizeIPv6(s: string): string | null {
  const g = ipv6Groups(s);
  if (!g) return null;
  // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address for correlation purposes.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return null;
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address, if it is one. */
function mappedIPv4(s: string): string | null {
  const g = ipv6Groups(s);
  if (!g || !g.slice(0, 5).every((x) => x === 0) || g[5] !== 0xffff) return null;
  return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
}

export function normalizeDomain(s: string): string | null {
  let v = s.trim().toLowerCase().replace(/\.$/, '');
  if (!v || v.includes('/') || v.includes('@') || v.includes(':')) return null;
  if (/[^\x00-\x7f]/.test(v)) v = domainToASCII(v);
  return v && DOMAIN_RE.test(v) && v.includes('.') ? v : null;
}

export function normalizeUrl(s: string): string | null {
  const v = s.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return null;
  let u: URL;
  try { u = new URL(v); } catch { return null; }
  if (!u.hostname) return null;
  u.hash = '';
  return u.toString();
}

export function normalizeEmail(s: string): string | null {
  const v = s.trim().replace(/^mailto:/i, '');
  if (!EMAIL_RE.test(v)) return null;
  const at = v.lastIndexOf('@');
  const domain = normalizeDomain(v.slice(at + 1));
  return domain ? `${v.slice(0, at).toLowerCase()}@${domain}` : null;
}

export function normalizeHash(s: string): Observable | null {
  const v = s.trim().toLowerCase();
  const kind = HASH_BY_LENGTH[v.length];
  return kind && HEX_RE.test(v) ? { kind, value: v } : null;
}

/** Normalise a value of a known kind (hash kinds also check the length matches). */
export function normalizeAs(kind: ObservableKind, raw: string): Observable | null {
  switch (kind) {
    case 'ipv4': { const v = normalizeIPv4(raw); return v ? { kind, value: v } : null; }
    case 'ipv6': {
      const m = mappedIPv4(raw);
      if (m) return { kind: 'ipv4', value: m };
      const v = normalizeIPv6(raw);
      return v ? { kind, value: v } : null;
    }
    case 'domain': { const v = normalizeDomain(raw); return v ? { kind, value: v } : null; }
    case 'url': { const v = normalizeUrl(raw); return v ? { kind, value: v } : null; }
    case 'email': { const v = normalizeEmail(raw); return v ? { kind, value: v } : null; }
    default: { const h = normalizeHash(raw); return h && h.kind === kind ? h : null; }
  }
}

/** Tell what a free-form value is (lookups): IP, URL, e-mail, hash, then domain; null if none. */
export function detectObservable(raw: string): Observable | null {
  const v = raw.trim();
  if (!v || v.length > 2048) return null;
  const v4 = normalizeIPv4(v);
  if (v4) return { kind: 'ipv4', value: v4 };
  if (v.includes(':') && !v.includes('/') && !v.includes('@')) {
    const as6 = normalizeAs('ipv6', v);
    if (as6) return as6;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return normalizeAs('url', v);
  if (v.includes('@')) return normalizeAs('email', v);
  const h = normalizeHash(v);
  if (h) return h;
  return normalizeAs('domain', v);
}

/** STIX cyber-observable property paths (in patterns and on SCOs) and what they hold. */
const PATTERN_PATHS: Record<string, ObservableKind | 'hash'> = {
  'ipv4-addr:value': 'ipv4',
  'ipv6-addr:value': 'ipv6',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
  'email-message:from_ref.value': 'email',
  'email-message:sender_ref.value': 'email',
};
const HASH_NAMES: Record<string, ObservableKind> = { md5: 'md5', 'sha-1': 'sha1', sha1: 'sha1', 'sha-256': 'sha256', sha256: 'sha256', 'sha-512': 'sha512', sha512: 'sha512' };

/** `[type:path = 'value']` comparisons with `=` (or IN lists) inside a STIX pattern. */
const COMPARISON_RE = /([a-z0-9-]+):([A-Za-z0-9_.'\-]+)\s*(=|IN)\s*(\(([^)]*)\)|'((?:[^'\\]|\\.)*)')/g;
const STRING_RE = /'((?:[^'\\]|\\.)*)'/g;
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

function fromPath(objectType: string, path: string, value: string, out: Observable[]): void {
  const hashMatch = /^hashes\.'?([^']+)'?$/i.exec(path);
  if (hashMatch && (objectType === 'file' || objectType === 'artifact' || objectType === 'x509-certificate')) {
    const kind = HASH_NAMES[hashMatch[1]!.toLowerCase()];
    const h = kind ? normalizeAs(kind, value) : null;
    if (h) out.push(h);
    return;
  }
  const kind = PATTERN_PATHS[`${objectType}:${path}`];
  if (!kind || kind === 'hash') return;
  const o = normalizeAs(kind, value);
  if (o) out.push(o);
}

export function observablesOfPattern(pattern: string): Observable[] {
  const out: Observable[] = [];
  for (const m of pattern.matchAll(COMPARISON_RE)) {
    const [, type, path, op, , list, single] = m;
    const values = op === 'IN' ? [...(list ?? '').matchAll(STRING_RE)].map((x) => unescape(x[1]!)) : [unescape(single ?? '')];
    for (const v of values) fromPath(type!, path!, v, out);
  }
  return out;
}

/** Every observable an object carries: SCO values and hashes, and `=` comparisons in indicator patterns. */
export function observablesOf(o: Record<string, unknown>): Observable[] {
  const out: Observable[] = [];
  const type = o.type;
  if (type === 'indicator' && typeof o.pattern === 'string' && (o.pattern_type ?? 'stix') === 'stix') {
    out.push(...observablesOfPattern(o.pattern));
  } else if (typeof type === 'string' && typeof o.value === 'string') {
    fromPath(type, 'value', o.value, out);
  }
  if (o.hashes && typeof o.hashes === 'object' && typeof type === 'string') {
    for (const [alg, v] of Object.entries(o.hashes as Record<string, unknown>)) {
      if (typeof v === 'string') fromPath(type, `hashes.${alg}`, v, out);
    }
  }
  const seen = new Set<string>();
  return out.filter((x) => !seen.has(`${x.kind} ${x.value}`) && !!seen.add(`${x.kind} ${x.value}`));
}
