/**
 * Observable extraction from free text (advisories, e-mails, reports), defanged forms included:
 * hxxp/hxxps/fxp, [.] (.) {.} [dot] (dot), [@] (at) [at], [:]// [://]. Values are normalised:
 * domains and e-mail addresses lower case and IDN to ASCII, URLs with lower-case scheme and host,
 * IPv6 in canonical compressed form, hashes lower case, CVE ids upper case, ASNs as "AS64500".
 * Pure functions, no database: the routing (constituency lookup) is in observables.command.ts.
 */
import net from 'node:net';
import { domainToASCII } from 'node:url';
import { groupsToIpv6, ipv6ToGroups } from '../directory/normalize.ts';

export const OBSERVABLE_KINDS = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'cve', 'asn'] as const;
export type ObservableKind = (typeof OBSERVABLE_KINDS)[number];
export type Observable = { kind: ObservableKind; value: string };

/** Undo the usual defanging. */
export function refang(text: string): string {
  return text
    .replace(/\bhxxp(s?)\b/gi, (_m, s: string) => `http${s.toLowerCase()}`)
    .replace(/\bh\[tt\]p(s?)\b/gi, (_m, s: string) => `http${s.toLowerCase()}`)
    .replace(/\bfxp\b/gi, 'ftp')
    .replace(/\[:\/\/\]|\[:\]\/\/|\(:\/\/\)/g, '://')
    .replace(/\s?[[({]\s*(?:\.|dot)\s*[\])}]\s?/gi, '.')
    .replace(/\s?[[({]\s*(?:@|at)\s*[\])}]\s?/gi, '@')
    .replace(/\[\/\]/g, '/');
}

/** File extensions that look like top-level domains in prose ("invoice.pdf", "loader.exe"). */
const FILE_EXTENSIONS = new Set([
  'exe', 'dll', 'pdf', 'doc', 'docx', 'docm', 'xls', 'xlsx', 'xlsm', 'ppt', 'pptx', 'zip', 'rar', '7z', 'gz', 'tar', 'txt', 'js',
  'vbs', 'ps1', 'bat', 'cmd', 'php', 'html', 'htm', 'jpg', 'jpeg', 'png', 'gif', 'lnk', 'iso', 'img', 'msi', 'jar', 'hta',
  'json', 'xml', 'log', 'cfg', 'ini', 'dat', 'bin', 'tmp', 'elf', 'scr', 'cpl', 'sys', 'yml', 'yaml', 'csv', 'eml',
]);

const TRAILING = /[.,;:!?)\]}'">]+$/;
const LEADING = /^[('"<[{]+/;

export function normalizeDomain(raw: string): string | null {
  const d = raw.toLowerCase().replace(/\.$/, '');
  if (d.length > 253 || !d.includes('.')) return null;
  const ascii = domainToASCII(d);
  if (!ascii) return null;
  const labels = ascii.split('.');
  if (labels.some((l) => !/^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(l))) return null;
  const tld = labels[labels.length - 1]!;
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/.test(tld)) return null;
  return ascii;
}

function normalizeUrl(raw: string): string | null {
  try {
    const u = new URL(raw);
    if (!['http:', 'https:', 'ftp:'].includes(u.protocol) || !u.hostname) return null;
    return u.toString();
  } catch {
    return null;
  }
}

function normalizeIpv4(raw: string): string | null {
  return net.isIPv4(raw) ? raw : null; // Node refuses leading zeros ("010.0.0.1"), which is what we want
}

const ASN_RE = /\bAS(?:N)?[\s-]?(\d{1,10})\b/gi;
const CVE_RE = /\bCVE-(\d{4})-(\d{4,7})\b/gi;
const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi;
const EMAIL_RE = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,63}\b/gi;
const IPV4_RE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)/g;
const IPV6_RE = /(?<![0-9a-f:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![0-9a-f:])/gi;
const HASH_RE = /(?<![0-9a-z])[0-9a-f]{32,64}(?![0-9a-z])/gi;
const DOMAIN_RE = /(?<![a-z0-9@.-])(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff][a-z0-9\u00a1-\uffff-]{1,62}(?![a-z0-9@-])/gi;

/**
 * Every observable found in `text`, in order of first appearance, without duplicates. URL hosts and
 * e-mail domains are also reported as domains (or IPs) — that is what constituency routing needs.
 */
export function extractObservables(text: string): Observable[] {
  const input = refang(text);
  const found = new Map<string, Observable & { at: number }>();
  const add = (kind: ObservableKind, value: string | null, at: number) => {
    if (!value) return;
    const k = `${kind}:${value}`;
    if (!found.has(k)) found.set(k, { kind, value, at });
  };
  // Blank out what was consumed so that its parts are not found again as something else.
  let rest = input;
  const consume = (start: number, len: number) => { rest = rest.slice(0, start) + ' '.repeat(len) + rest.slice(start + len); };

  for (const m of input.matchAll(URL_RE)) {
    const raw = m[0].replace(TRAILING, '');
    const url = normalizeUrl(raw);
    if (!url) continue;
    add('url', url, m.index);
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (net.isIPv4(host)) add('ipv4', host, m.index);
    else if (net.isIPv6(host)) add('ipv6', canonicalIpv6(host), m.index);
    else add('domain', normalizeDomain(host), m.index);
    consume(m.index, raw.length);
  }
  for (const m of rest.matchAll(EMAIL_RE)) {
    const [local, domain] = m[0].split('@') as [string, string];
    const d = normalizeDomain(domain);
    if (!d || local.startsWith('.') || local.endsWith('.')) continue;
    add('email', `${local.toLowerCase()}@${d}`, m.index);
    add('domain', d, m.index);
    consume(m.index, m[0].length);
  }
  for (const m of rest.matchAll(CVE_RE)) { add('cve', `CVE-${m[1]}-${m[2]}`, m.index); consume(m.index, m[0].length); }
  for (const m of rest.matchAll(HASH_RE)) {
    const v = m[0].toLowerCase();
    const kind = v.length === 32 ? 'md5' : v.length === 40 ? 'sha1' : v.length === 64 ? 'sha256' : null;
    if (kind) add(kind, v, m.index);
    consume(m.index, m[0].length);
  }
  for (const m of rest.matchAll(IPV4_RE)) { add('ipv4', normalizeIpv4(m[0]), m.index); consume(m.index, m[0].length); }
  for (const m of rest.matchAll(IPV6_RE)) {
    const v = m[0].replace(/^:(?!:)|(?<!:):$/g, '');
    if (!v.includes('::') && v.split(':').length < 8) continue; // times (10:30:00) and the like
    if (net.isIPv6(v)) { add('ipv6', canonicalIpv6(v), m.index); consume(m.index, m[0].length); }
  }
  for (const m of rest.matchAll(ASN_RE)) {
    const n = Number(m[1]);
    if (n > 0 && n < 4294967296) add('asn', `AS${n}`, m.index);
    consume(m.index, m[0].length);
  }
  for (const m of rest.matchAll(DOMAIN_RE)) {
    const raw = m[0].replace(LEADING, '').replace(TRAILING, '');
    const tld = raw.split('.').pop()!.toLowerCase();
    if (FILE_EXTENSIONS.has(tld) && !wasDefanged(text, raw)) continue;
    add('domain', normalizeDomain(raw), m.index);
  }
  return [...found.values()].sort((a, b) => a.at - b.at).map(({ kind, value }) => ({ kind, value }));
}

function canonicalIpv6(v: string): string {
  const g = ipv6ToGroups(v);
  return g ? groupsToIpv6(g) : v.toLowerCase();
}

/** Was this domain written defanged in the original text (then it was meant as a domain even if it ends like a file)? */
function wasDefanged(original: string, domain: string): boolean {
  const pattern = domain.split('.').map((l) => l.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('\\s?[[({]\\s*(?:\\.|dot)\\s*[\\])}]\\s?');
  return new RegExp(pattern, 'i').test(original);
}

/** The value used for a constituency lookup (URL → host; hashes and CVEs are not routable). */
export function routingKey(o: Observable): string | null {
  switch (o.kind) {
    case 'ipv4': case 'ipv6': case 'domain': case 'email': case 'asn':
      return o.value;
    case 'url':
      return new URL(o.value).hostname.replace(/^\[|\]$/g, '');
    default:
      return null;
  }
}
