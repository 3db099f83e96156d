/**
 * Warning lists: values that are very likely false positives when they show up as indicators
 * (private and special-purpose address ranges, documentation ranges, well-known benign domains).
 * A hit does not hide a match; it is shown next to it so the analyst can judge.
 */
import { ipv6Groups, type Observable } from './normalize.ts';

export type Warning = { list: string; reason: string };

type V4Range = { cidr: string; list: string; reason: string };
const V4_RANGES: V4Range[] = [
  { cidr: '0.0.0.0/8', list: 'special-ipv4', reason: '"this network" (RFC 1122)' },
  { cidr: '10.0.0.0/8', list: 'private-ipv4', reason: 'private address (RFC 1918)' },
  { cidr: '100.64.0.0/10', list: 'private-ipv4', reason: 'shared carrier-grade NAT space (RFC 6598)' },
  { cidr: '127.0.0.0/8', list: 'special-ipv4', reason: 'loopback (RFC 1122)' },
  { cidr: '169.254.0.0/16', list: 'special-ipv4', reason: 'link-local (RFC 3927)' },
  { cidr: '172.16.0.0/12', list: 'private-ipv4', reason: 'private address (RFC 1918)' },
  { cidr: '192.0.0.0/24', list: 'special-ipv4', reason: 'IETF protocol assignments (RFC 6890)' },
  { cidr: '192.0.2.0/24', list: 'documentation-ipv4', reason: 'documentation range TEST-NET-1 (RFC 5737)' },
  { cidr: '192.168.0.0/16', list: 'private-ipv4', reason: 'private address (RFC 1918)' },
  { cidr: '198.18.0.0/15', list: 'special-ipv4', reason: 'benchmarking (RFC 2544)' },
  { cidr: '198.51.100.0/24', list: 'documentation-ipv4', reason: 'documentation range TEST-NET-2 (RFC 5737)' },
  { cidr: '203.0.113.0/24', list: 'documentation-ipv4', reason: 'documentation range TEST-NET-3 (RFC 5737)' },
  { cidr: '224.0.0.0/4', list: 'special-ipv4', reason: 'multicast (RFC 5771)' },
  { cidr: '240.0.0.0/4', list: 'special-ipv4', reason: 'reserved (RFC 1112), incl. broadcast' },
];
const WELL_KNOWN_V4: Record<string, string> = {
  '8.8.8.8': 'Google Public DNS', '8.8.4.4': 'Google Public DNS', '1.1.1.1': 'Cloudflare DNS', '1.0.0.1': 'Cloudflare DNS',
  '9.9.9.9': 'Quad9 DNS', '208.67.222.222': 'OpenDNS', '208.67.220.220': 'OpenDNS',
};

type V6Range = { prefix: number[]; bits: number; list: string; reason: string };
const V6_RANGES: V6Range[] = [
  { prefix: [0, 0, 0, 0, 0, 0, 0, 1], bits: 128, list: 'special-ipv6', reason: 'loopback (RFC 4291)' },
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0], bits: 128, list: 'special-ipv6', reason: 'unspecified address (RFC 4291)' },
  { prefix: [0x2001, 0x0db8], bits: 32, list: 'documentation-ipv6', reason: 'documentation range (RFC 3849)' },
  { prefix: [0x3fff], bits: 20, list: 'documentation-ipv6', reason: 'documentation range (RFC 9637)' },
  { prefix: [0xfc00], bits: 7, list: 'private-ipv6', reason: 'unique local address (RFC 4193)' },
  { prefix: [0xfe80], bits: 10, list: 'special-ipv6', reason: 'link-local (RFC 4291)' },
  { prefix: [0xff00], bits: 8, list: 'special-ipv6', reason: 'multicast (RFC 4291)' },
  { prefix: [0x0064, 0xff9b], bits: 96, list: 'special-ipv6', reason: 'NAT64 well-known prefix (RFC 6052)' },
];

/** Reserved names (RFC 2606, RFC 6761) and widely used benign domains (with their subdomains). */
const RESERVED_SUFFIXES = ['example', 'test', 'invalid', 'localhost', 'local', 'example.com', 'example.net', 'example.org'];
const BENIGN_DOMAINS = [
  'google.com', 'www.google.com', 'googleapis.com', 'gstatic.com', 'youtube.com', 'microsoft.com', 'windowsupdate.com',
  'windows.com', 'office.com', 'office365.com', 'live.com', 'outlook.com', 'apple.com', 'icloud.com', 'amazon.com',
  'amazonaws.com', 'cloudflare.com', 'akamai.net', 'akamaiedge.net', 'facebook.com', 'wikipedia.org', 'github.com',
  'mozilla.org', 'ubuntu.com', 'debian.org', 'digicert.com', 'letsencrypt.org', 'verisign.com',
];

const v4ToInt = (ip: string) => ip.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
const V4 = V4_RANGES.map((r) => {
  const [base, bits] = r.cidr.split('/') as [string, string];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return { ...r, base: (v4ToInt(base) & mask) >>> 0, mask };
});

function inV6(groups: number[], r: V6Range): boolean {
  let bits = r.bits;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const want = r.prefix[i] ?? 0;
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((groups[i]! & mask) !== (want & mask)) return false;
  }
  return true;
}

function domainWarnings(d: string): Warning[] {
  const out: Warning[] = [];
  const under = (s: string) => d === s || d.endsWith(`.${s}`);
  const reserved = RESERVED_SUFFIXES.find(under);
  if (reserved) out.push({ list: 'reserved-domains', reason: `reserved name under "${reserved}" (RFC 2606/6761)` });
  const benign = BENIGN_DOMAINS.find(under);
  if (benign) out.push({ list: 'benign-domains', reason: `well-known benign domain (${benign})` });
  return out;
}

/** Warnings for a normalised observable; empty when none applies. */
export function warningsFor(o: Observable): Warning[] {
  switch (o.kind) {
    case 'ipv4': {
      const n = v4ToInt(o.value);
      const out: Warning[] = V4.filter((r) => ((n & r.mask) >>> 0) === r.base).map((r) => ({ list: r.list, reason: r.reason }));
      const known = WELL_KNOWN_V4[o.value];
      if (known) out.push({ list: 'benign-ipv4', reason: `well-known public service (${known})` });
      return out;
    }
    case 'ipv6': {
      const g = ipv6Groups(o.value);
      return g ? V6_RANGES.filter((r) => inV6(g, r)).map((r) => ({ list: r.list, reason: r.reason })) : [];
    }
    case 'domain':
      return domainWarnings(o.value);
    case 'email':
      return domainWarnings(o.value.slice(o.value.lastIndexOf('@') + 1));
    case 'url': {
      const host = new URL(o.value).hostname.replace(/^\[|\]$/g, '');
      if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return warningsFor({ kind: 'ipv4', value: host });
      if (host.includes(':')) return warningsFor({ kind: 'ipv6', value: host });
      return domainWarnings(host);
    }
    default: {
      // Hashes of empty input are common noise.
      const EMPTY: Record<string, string> = {
        d41d8cd98f00b204e9800998ecf8427e: 'md5', da39a3ee5e6b4b0d3255bfef95601890afd80709: 'sha1',
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: 'sha256',
      };
      return EMPTY[o.value] ? [{ list: 'empty-hash', reason: `hash of empty content (${EMPTY[o.value]})` }] : [];
    }
  }
}
