/** Replacing a team's constituency (ASNs, IPv4/IPv6 prefixes, domains): validated, normalised, audited. */
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { invalid, type FieldIssue } from '../core/errors.ts';
import { assertCan } from '../core/policy.ts';
import type { DbOrTx } from '../db/client.ts';
import { canEditOrg } from '../orgs/policy.ts';
import { assertTeam } from './profile.query.ts';
import { bumpGeneration } from './lookup.query.ts';
import { normalizeDomain, parseAsn, parsePrefix } from './normalize.ts';
import { constituencyEntries } from './tables.ts';

export type ConstituencyInput = { asns?: string[]; ipv4?: string[]; ipv6?: string[]; domains?: string[] };
export const CONSTITUENCY_KINDS = { asns: 'asn', ipv4: 'ipv4', ipv6: 'ipv6', domains: 'domain' } as const;

/** Normalised values per kind, or the list of offending inputs. */
export function normalizeConstituency(input: ConstituencyInput): { values: { kind: string; value: string }[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const out = new Map<string, { kind: string; value: string }>();
  for (const [field, kind] of Object.entries(CONSTITUENCY_KINDS)) {
    (input[field as keyof ConstituencyInput] ?? []).forEach((raw, i) => {
      let value: string | null = null;
      if (kind === 'asn') {
        const n = parseAsn(raw);
        value = n === null ? null : String(n);
      } else if (kind === 'domain') value = normalizeDomain(raw);
      else {
        const p = parsePrefix(raw.includes('/') ? raw : `${raw}/${kind === 'ipv4' ? 32 : 128}`);
        value = p && p.kind === kind ? p.text : null;
      }
      if (value === null) issues.push({ path: `${field}.${i}`, message: `not a valid ${kind === 'asn' ? 'AS number' : kind === 'domain' ? 'domain' : `${kind} prefix`}: ${raw.slice(0, 100)}` });
      else out.set(`${kind}:${value}`, { kind, value });
    });
  }
  return { values: [...out.values()], issues };
}

export async function replaceConstituency(db: DbOrTx, meta: AuditMeta, orgId: string, input: ConstituencyInput) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator edit its constituency");
  const { values, issues } = normalizeConstituency(input);
  if (issues.length) throw invalid('Some constituency values are not valid', issues);
  return inTx(db, async (tx) => {
    await assertTeam(tx, orgId);
    const kinds: string[] = Object.entries(CONSTITUENCY_KINDS).filter(([f]) => input[f as keyof ConstituencyInput] !== undefined).map(([, k]) => k);
    const before = await tx.select({ kind: constituencyEntries.kind, value: constituencyEntries.value }).from(constituencyEntries)
      .where(and(eq(constituencyEntries.orgId, orgId), sql`${constituencyEntries.kind} = ANY(${`{${kinds.join(',')}}`}::text[])`));
    if (kinds.length) {
      await tx.delete(constituencyEntries).where(and(eq(constituencyEntries.orgId, orgId), sql`${constituencyEntries.kind} = ANY(${`{${kinds.join(',')}}`}::text[])`));
    }
    for (let i = 0; i < values.length; i += 1000) {
      await tx.insert(constituencyEntries).values(values.slice(i, i + 1000).map((v) => ({ orgId, ...v }))).onConflictDoNothing();
    }
    await bumpGeneration(tx);
    const key = (v: { kind: string; value: string }) => `${v.kind}:${v.value}`;
    const was = new Set(before.map(key));
    const now = new Set(values.map(key));
    await appendAudit(tx, meta, {
      action: 'directory.constituency.replace', targetType: 'organisation', targetId: orgId, orgId,
      before: { removed: [...was].filter((k) => !now.has(k)).slice(0, 1000) },
      after: { added: [...now].filter((k) => !was.has(k)).slice(0, 1000), total: now.size },
    });
    return constituencyOf(tx, orgId);
  });
}

export async function constituencyOf(db: DbOrTx, orgId: string) {
  const list = await db.select({ kind: constituencyEntries.kind, value: constituencyEntries.value }).from(constituencyEntries)
    .where(eq(constituencyEntries.orgId, orgId)).orderBy(constituencyEntries.kind, constituencyEntries.value);
  const pick = (k: string) => list.filter((e) => e.kind === k).map((e) => e.value);
  return { asns: pick('asn').map((n) => `AS${n}`), ipv4: pick('ipv4'), ipv6: pick('ipv6'), domains: pick('domain') };
}
