/**
 * The in-memory constituency index each node keeps: IPv4/IPv6 prefixes by length (longest prefix
 * wins), domains by name (longest suffix wins), ASNs. Entries carry the visibility level of their
 * field, and a match is only what the asking actor may see (a hidden more-specific prefix never
 * shadows, nor reveals, anything: the walk continues to the longest *visible* match).
 */
import type { Actor } from '../core/actor.ts';
import { levelVisible, type Level } from './field-visibility.ts';
import { classify, groupsToIpv6, intToIpv4, maskGroups, v4Mask, v6Key } from './normalize.ts';

export type IndexEntry = { orgId: string; level: Level };
export type LookupMatch = {
  input: string;
  kind: 'ipv4' | 'ipv6' | 'prefix' | 'asn' | 'domain' | 'email' | 'invalid';
  normalized: string | null;
  /** The prefix, domain or AS that matched, or null. */
  matched: string | null;
  orgIds: string[];
};

type LenMap<K> = { lens: number[]; byLen: Map<number, Map<K, IndexEntry[]>> };
const emptyLen = <K>(): LenMap<K> => ({ lens: [], byLen: new Map() });

function addLen<K>(m: LenMap<K>, len: number, key: K, e: IndexEntry) {
  let inner = m.byLen.get(len);
  if (!inner) {
    m.byLen.set(len, (inner = new Map()));
    m.lens.push(len);
    m.lens.sort((a, b) => b - a);
  }
  const list = inner.get(key);
  if (list) list.push(e);
  else inner.set(key, [e]);
}

export class LookupIndex {
  private v4 = emptyLen<number>();
  private v6 = emptyLen<string>();
  private domains = new Map<string, IndexEntry[]>();
  private asns = new Map<number, IndexEntry[]>();
  size = 0;

  addPrefix4(netv: number, len: number, e: IndexEntry) { addLen(this.v4, len, netv, e); this.size++; }
  addPrefix6(groups: number[], len: number, e: IndexEntry) { addLen(this.v6, len, v6Key(groups, len), e); this.size++; }
  addDomain(d: string, e: IndexEntry) { push(this.domains, d, e); this.size++; }
  addAsn(n: number, e: IndexEntry) { push(this.asns, n, e); this.size++; }

  /** Adds one stored entry (kind + normalised value as written by the constituency command). */
  addStored(kind: string, value: string, e: IndexEntry) {
    if (kind === 'asn') return this.addAsn(Number(value), e);
    if (kind === 'domain') return this.addDomain(value, e);
    const c = classify(value);
    if ((c.kind === 'prefix' || c.kind === 'ipv4' || c.kind === 'ipv6') && c.prefix.kind === kind) {
      if (c.prefix.kind === 'ipv4') this.addPrefix4(c.prefix.net, c.prefix.len, e);
      else this.addPrefix6(c.prefix.groups, c.prefix.len, e);
    }
  }

  lookup(actor: Actor, input: string, seen = visibilityMemo(actor)): LookupMatch {
    const c = classify(input);
    switch (c.kind) {
      case 'invalid':
        return { input, kind: 'invalid', normalized: null, matched: null, orgIds: [] };
      case 'asn': {
        const hit = visibleIds(this.asns.get(c.asn), seen);
        return { input, kind: 'asn', normalized: `AS${c.asn}`, matched: hit.length ? `AS${c.asn}` : null, orgIds: hit };
      }
      case 'domain':
      case 'email': {
        let d = c.domain;
        for (;;) {
          const hit = visibleIds(this.domains.get(d), seen);
          if (hit.length) return { input, kind: c.kind, normalized: c.domain, matched: d, orgIds: hit };
          const dot = d.indexOf('.');
          if (dot < 0) return { input, kind: c.kind, normalized: c.domain, matched: null, orgIds: [] };
          d = d.slice(dot + 1);
        }
      }
      default: {
        const p = c.prefix;
        if (p.kind === 'ipv4') {
          for (const len of this.v4.lens) {
            if (len > p.len) continue;
            const key = (p.net & v4Mask(len)) >>> 0;
            const hit = visibleIds(this.v4.byLen.get(len)!.get(key), seen);
            if (hit.length) return { input, kind: c.kind, normalized: p.text, matched: `${intToIpv4(key)}/${len}`, orgIds: hit };
          }
        } else {
          for (const len of this.v6.lens) {
            if (len > p.len) continue;
            const hit = visibleIds(this.v6.byLen.get(len)!.get(v6Key(p.groups, len)), seen);
            if (hit.length) return { input, kind: c.kind, normalized: p.text, matched: `${groupsToIpv6(maskGroups(p.groups, len))}/${len}`, orgIds: hit };
          }
        }
        return { input, kind: c.kind, normalized: p.text, matched: null, orgIds: [] };
      }
    }
  }
}

/** The distinct organisations of the entries the actor may see, in entry order. */
function visibleIds(list: IndexEntry[] | undefined, seen: (e: IndexEntry) => boolean): string[] {
  if (!list) return [];
  if (list.length === 1) return seen(list[0]!) ? [list[0]!.orgId] : [];
  const out: string[] = [];
  for (const e of list) if (seen(e) && !out.includes(e.orgId)) out.push(e.orgId);
  return out;
}

function push<K>(m: Map<K, IndexEntry[]>, k: K, e: IndexEntry) {
  const list = m.get(k);
  if (list) list.push(e);
  else m.set(k, [e]);
}
const LEVEL_BIT: Record<Level, number> = { public: 1, members: 2, hub: 4 };

/**
 * Per-request memo of "may this actor see this level of this team's entry" (levelVisible, the one
 * rule): per organisation, three "known" bits and three "visible" bits.
 */
export function visibilityMemo(actor: Actor): (e: IndexEntry) => boolean {
  const memo = new Map<string, number>();
  return (e) => {
    const bit = LEVEL_BIT[e.level];
    const m = memo.get(e.orgId) ?? 0;
    if (m & (bit << 3)) return (m & bit) !== 0;
    const v = levelVisible(actor, e.level, e.orgId);
    memo.set(e.orgId, m | (bit << 3) | (v ? bit : 0));
    return v;
  };
}
