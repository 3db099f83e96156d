/**
 * Normalising constituency values and lookup inputs: IPv4/IPv6 addresses and prefixes (host bits
 * cleared, canonical text), ASNs ("AS64500" or "64500"), domains (IDN to ASCII with
 * url.domainToASCII, lower case, no trailing dot) and e-mail addresses (their domain).
 */
import net from 'node:net';
import { domainToASCII } from 'node:url';

export type Prefix4 = { kind: 'ipv4'; net: number; len: number; text: string };
export type Prefix6 = { kind: 'ipv6'; groups: number[]; len: number; text: string };
export type Prefix = Prefix4 | Prefix6;

export function ipv4ToInt(s: string): number | null {
  if (!net.isIPv4(s)) return null;
  const p = s.split('.').map(Number);
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}
export const intToIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Eight 16-bit groups, or null. (Numbers, not BigInt: V8 hashes BigInt Map keys badly.) */
export function ipv6ToGroups(s: string): number[] | null {
  if (!net.isIPv6(s)) return null;
  let addr = s.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    if (n === null) return null;
    addr = addr.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return null;
  return groups.map((g) => parseInt(g, 16));
}

export function groupsToIpv6(g: number[]): string {
  const hex = g.map((x) => x.toString(16));
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The groups with every bit past `len` cleared. */
export function maskGroups(g: number[], len: number): number[] {
  return g.map((x, i) => {
    const bits = Math.max(0, Math.min(16, len - i * 16));
    return bits === 0 ? 0 : bits === 16 ? x : x & ((0xffff << (16 - bits)) & 0xffff);
  });
}

/** Map key of an IPv6 network of length `len` (only the groups the prefix covers). */
export function v6Key(g: number[], len: number): string {
  let key = '';
  const full = len >> 4;
  for (let i = 0; i < full; i++) key += `${g[i]!.toString(16)}:`;
  const rem = len & 15;
  if (rem) key += (g[full]! & ((0xffff << (16 - rem)) & 0xffff)).toString(16);
  return key;
}

export const v4Mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

/** "192.0.2.0/24", "2001:db8::/32", or a bare address (a host prefix). Host bits are cleared. */
export function parsePrefix(input: string): Prefix | null {
  const s = input.trim();
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const lenText = slash < 0 ? null : s.slice(slash + 1);
  if (lenText !== null && !/^\d{1,3}$/.test(lenText)) return null;
  const n4 = ipv4ToInt(addr);
  if (n4 !== null) {
    const len = lenText === null ? 32 : Number(lenText);
    if (len > 32) return null;
    const netv = (n4 & v4Mask(len)) >>> 0;
    return { kind: 'ipv4', net: netv, len, text: `${intToIpv4(netv)}/${len}` };
  }
  const g6 = ipv6ToGroups(addr);
  if (g6 !== null) {
    const len = lenText === null ? 128 : Number(lenText);
    if (len > 128) return null;
    const groups = maskGroups(g6, len);
    return { kind: 'ipv6', groups, len, text: `${groupsToIpv6(groups)}/${len}` };
  }
  return null;
}

export function parseAsn(input: string): number | null {
  const m = /^(?:AS)?\s*(\d{1,10})$/i.exec(input.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 4294967295 ? n : null;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A domain in ASCII (punycode) form, or null. Accepts IDN, a leading "*." or "." and a trailing dot. */
export function normalizeDomain(input: string): string | null {
  let s = input.trim().toLowerCase().replace(/^\*?\./, '').replace(/\.$/, '');
  if (!s || s.length > 253 || /[\s/@:]/.test(s)) return null;
  s = domainToASCII(s);
  if (!s) return null;
  const labels = s.split('.');
  if (!labels.every((l) => LABEL.test(l))) return null;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null; // looks like an IPv4 fragment
  return s;
}

export function emailDomain(input: string): string | null {
  const s = input.trim();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return null;
  return normalizeDomain(s.slice(at + 1));
}

export type Classified =
  | { kind: 'ipv4' | 'ipv6' | 'prefix'; prefix: Prefix }
  | { kind: 'asn'; asn: number }
  | { kind: 'domain' | 'email'; domain: string }
  | { kind: 'invalid' };

/** What a lookup input is. */
export function classify(input: string): Classified {
  const s = input.trim();
  if (!s) return { kind: 'invalid' };
  if (s.includes('@')) {
    const d = emailDomain(s);
    return d ? { kind: 'email', domain: d } : { kind: 'invalid' };
  }
  const asn = /^AS/i.test(s) || /^\d+$/.test(s) ? parseAsn(s) : null;
  if (asn !== null) return { kind: 'asn', asn };
  const p = parsePrefix(s);
  if (p) return { kind: s.includes('/') ? 'prefix' : p.kind, prefix: p };
  if (s.includes('/') || s.includes(':')) return { kind: 'invalid' };
  const d = normalizeDomain(s);
  return d ? { kind: 'domain', domain: d } : { kind: 'invalid' };
}
