/**
 * CSAF 2.0 (OASIS, 2022): a published advisory revision as a `csaf_security_advisory` document,
 * and the section 5.1 filename rule. TLP in CSAF 2.0 is TLP 1.0: CLEAR is emitted as WHITE,
 * AMBER+STRICT as AMBER (CSAF 2.1 brings the TLP 2.0 labels).
 */
import type { Tlp } from '../core/tlp.ts';
import type { AffectedProduct, Reference, Vulnerability } from './tables.ts';

export type SnapshotText = { title: string; summary: string; body: string; remediation: string };
export type AdvisorySnapshot = {
  id: string; trackingId: string; revision: number; severity: string; sourceLang: string; audience: string;
  vulnerabilities: Vulnerability[]; affected: AffectedProduct[]; references: Reference[]; tlp: Tlp;
  initialReleaseDate: string; currentReleaseDate: string;
  revisionHistory: { number: number; date: string; summary: string }[];
  /** Source language plus every translation that was current at publication. */
  texts: Record<string, SnapshotText>;
};
export type Publisher = { name: string; namespace: string; contact: string };

/** Section 5.1: lowercase, every run outside [+\-a-z0-9] becomes one `_`, then `.json`. */
export const csafFilename = (trackingId: string): string => `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;

export const csafTlpLabel = (t: Tlp): 'WHITE' | 'GREEN' | 'AMBER' | 'RED' =>
  t === 'clear' ? 'WHITE' : t === 'green' ? 'GREEN' : t === 'red' ? 'RED' : 'AMBER';

/** Folder of the provider tree per TLP (TLP 2.0 names; only `clear` is served publicly). */
export const tlpFolder = (t: Tlp): string => (t === 'amber+strict' ? 'amber-strict' : t);

const RANGE_RE = /[<>=*]|\b(all|before|prior|through|up to|later|earlier|and above|and below)\b/i;

type Branch = { category: string; name: string; branches?: Branch[]; product?: { product_id: string; name: string } };

/** product_tree vendor → product_name → product_version(_range), with stable product ids. */
export function productTree(affected: AffectedProduct[]) {
  let n = 0;
  const affectedIds: string[] = [];
  const fixedIds: string[] = [];
  const vendors = new Map<string, Branch>();
  for (const a of affected) {
    let vendor = vendors.get(a.vendor);
    if (!vendor) vendors.set(a.vendor, (vendor = { category: 'vendor', name: a.vendor, branches: [] }));
    let product = vendor.branches!.find((b) => b.name === a.product);
    if (!product) vendor.branches!.push((product = { category: 'product_name', name: a.product, branches: [] }));
    const add = (version: string, into: string[]) => {
      const existing = product!.branches!.find((b) => b.name === version);
      if (existing) return void into.push(existing.product!.product_id);
      const product_id = `CSAFPID-${String(++n).padStart(4, '0')}`;
      product!.branches!.push({
        category: RANGE_RE.test(version) ? 'product_version_range' : 'product_version', name: version,
        product: { product_id, name: `${a.vendor} ${a.product} ${version}` },
      });
      into.push(product_id);
    };
    for (const v of a.versions) add(v, affectedIds);
    for (const v of a.fixedIn) add(v, fixedIds);
  }
  return { tree: { branches: [...vendors.values()] }, affectedIds: [...new Set(affectedIds)], fixedIds: [...new Set(fixedIds)] };
}

export function toCsaf(s: AdvisorySnapshot, publisher: Publisher, selfUrl: string): Record<string, unknown> {
  const text = s.texts[s.sourceLang]!;
  const { tree, affectedIds, fixedIds } = productTree(s.affected);
  const productStatus = { known_affected: affectedIds, ...(fixedIds.length ? { fixed: fixedIds } : {}) };
  const notes: Record<string, string>[] = [{ category: 'summary', title: 'Summary', text: text.summary }];
  if (text.body.trim()) notes.push({ category: 'description', title: 'Details', text: text.body });
  if (s.audience.trim()) notes.push({ category: 'general', title: 'Audience', text: s.audience });
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: s.sourceLang,
      title: text.title,
      publisher: { category: 'coordinator', name: publisher.name, namespace: publisher.namespace, contact_details: publisher.contact },
      distribution: { tlp: { label: csafTlpLabel(s.tlp), url: 'https://www.first.org/tlp/' } },
      aggregate_severity: { text: s.severity },
      notes,
      references: [
        { category: 'self', summary: `Canonical URL of ${s.trackingId}`, url: selfUrl },
        ...s.references.map((r) => ({ category: 'external', summary: r.summary, url: r.url })),
      ],
      tracking: {
        id: s.trackingId,
        status: 'final',
        version: String(s.revision),
        initial_release_date: s.initialReleaseDate,
        current_release_date: s.currentReleaseDate,
        revision_history: s.revisionHistory.map((r) => ({ date: r.date, number: String(r.number), summary: r.summary })),
        generator: { engine: { name: 'Hemisphere' }, date: s.currentReleaseDate },
      },
    },
    product_tree: tree,
    vulnerabilities: s.vulnerabilities.map((v) => ({
      ...(v.cve ? { cve: v.cve } : {}),
      title: v.title,
      notes: [{ category: 'description', title: 'Description', text: v.title }],
      product_status: productStatus,
      ...(v.cvssV3 ? { scores: [{ products: affectedIds, cvss_v3: { version: '3.1', vectorString: v.cvssV3.vectorString, baseScore: v.cvssV3.baseScore, baseSeverity: v.cvssV3.baseSeverity } }] } : {}),
      ...(text.remediation.trim()
        ? { remediations: [{ category: fixedIds.length ? 'vendor_fix' : 'mitigation', details: text.remediation, product_ids: affectedIds }] }
        : {}),
    })),
  };
}
