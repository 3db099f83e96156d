/**
 * Fetching from remote feeds without trusting them: http(s) only; the address every connection is
 * made to is checked (in the socket's own DNS lookup, so a name cannot resolve to a public address
 * for the check and a private one for the connection) and private, loopback, link-local, CGNAT,
 * multicast and unspecified addresses are refused unless allow-listed (FEEDS_ALLOW_PRIVATE);
 * redirects are followed by hand up to a limit, each hop checked again; one deadline
 * (AbortController) covers connect, headers and body; the body is counted while it streams and
 * the request is cut at the size cap.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { DomainError } from '../../core/errors.ts';

export type FetchLimits = {
  maxBytes: number; timeoutMs: number; maxRedirects: number;
  /** Hosts, IPs or CIDRs allowed although private ('*' = any). */
  allowPrivate: string[];
};
export type FetchResult = { url: string; status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A remote feed failed (refused, unreachable, too large, malformed): a typed 400 on the `url` field. */
export const feedError = (message: string) =>
  new DomainError('validation_failed', message, { issues: [{ path: 'url', message, code: 'feed_unavailable' }] });

function ipToBigInt(ip: string): { v: bigint; bits: number } {
  if (net.isIPv4(ip)) return { v: ip.split('.').reduce((a, x) => (a << 8n) + BigInt(Number(x)), 0n), bits: 32 };
  let full = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(full);
  if (v4) {
    const n = ipToBigInt(v4[1]!).v;
    full = full.replace(v4[1]!, `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`);
  }
  const [head = '', tail = ''] = full.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const parts = full.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return { v: parts.reduce((a, x) => (a << 16n) + BigInt(parseInt(x || '0', 16)), 0n), bits: 128 };
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', lenS] = cidr.split('/');
  if (net.isIP(base) === 0 || net.isIP(base) !== net.isIP(ip)) return false;
  const a = ipToBigInt(ip);
  const b = ipToBigInt(base);
  const len = lenS === undefined ? a.bits : Number(lenS);
  const shift = BigInt(a.bits - len);
  return a.v >> shift === b.v >> shift;
}

const PRIVATE = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16',
  '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4', '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8', '::ffff:0:0/96',
];
export const isPrivateAddress = (ip: string): boolean => PRIVATE.some((c) => inCidr(ip, c));

function allowed(host: string, ip: string, allow: string[]): boolean {
  return allow.some((a) => a === '*' || a.toLowerCase() === host.toLowerCase() || (net.isIP(a.split('/')[0] ?? '') ? inCidr(ip, a) : false));
}

/** Refuse a URL that is not http(s) (before any connection). */
export function assertFeedUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new DomainError('validation_failed', 'Not a URL', { issues: [{ path: 'url', message: 'an absolute http(s) URL' }] });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new DomainError('validation_failed', 'Only http and https feeds are supported', { issues: [{ path: 'url', message: 'http(s) only' }] });
  }
  if (u.username || u.password) throw new DomainError('validation_failed', 'Put credentials in the authorization field, not the URL', { issues: [{ path: 'url', message: 'no credentials in the URL' }] });
  return u;
}

function guardedLookup(host: string, allow: string[]): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address) && !allowed(host, a.address, allow));
      if (bad || !list.length) return callback(Object.assign(new Error(`refused: ${hostname} resolves to a private address (${bad?.address ?? 'none'})`), { code: 'EPRIVATE' }), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

function once(u: URL, headers: Record<string, string>, limits: FetchLimits, signal: AbortSignal): Promise<FetchResult> {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && isPrivateAddress(host) && !allowed(host, host, limits.allowPrivate)) {
    return Promise.reject(feedError(`Refused: ${host} is a private or loopback address`));
  }
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method: 'GET', headers: { 'user-agent': 'Hemisphere-feeds/1', ...headers }, lookup: guardedLookup(host, limits.allowPrivate), signal });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError' || signal.aborted) reject(feedError(`Timed out after ${limits.timeoutMs} ms`));
      else if (err.code === 'EPRIVATE') reject(feedError(`Refused: ${err.message}`));
      else reject(feedError(`Connection failed: ${err.code ?? err.message}`));
    });
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        req.destroy();
        return reject(feedError(`Response too large: ${declared} bytes (limit ${limits.maxBytes})`));
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        total += c.length;
        if (total > limits.maxBytes) {
          req.destroy();
          reject(feedError(`Response too large: more than ${limits.maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('error', () => reject(signal.aborted ? feedError(`Timed out after ${limits.timeoutMs} ms`) : feedError('Connection lost while reading')));
      res.on('end', () => resolve({ url: u.toString(), status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.end();
  });
}

/** GET with every guard; redirects followed (same checks each hop); non-2xx is an error. */
export async function safeFetch(rawUrl: string, headers: Record<string, string>, limits: FetchLimits): Promise<FetchResult> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), limits.timeoutMs);
  try {
    let u = assertFeedUrl(rawUrl);
    const origin = u.origin;
    for (let hop = 0; ; hop++) {
      const res = await once(u, headers, limits, ctl.signal);
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        if (hop >= limits.maxRedirects) throw feedError(`Too many redirects (more than ${limits.maxRedirects})`);
        u = assertFeedUrl(new URL(res.headers.location, u).toString());
        // Credentials never follow a redirect to another origin.
        if (u.origin !== origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
        continue;
      }
      if (res.status < 200 || res.status >= 300) throw feedError(`HTTP ${res.status} from ${u.host}${u.pathname}`);
      return res;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Parse a fetched body as JSON, failing cleanly. */
export function jsonOf(res: FetchResult): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    throw feedError(`Malformed JSON from ${new URL(res.url).pathname}: ${(err as Error).message.slice(0, 120)}`);
  }
}
