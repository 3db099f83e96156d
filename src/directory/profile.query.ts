/**
 * Reading directory entries: each team's profile presented for the asking actor — only the fields
 * whose level the actor may see (field-visibility.ts) — for the public page, the members' directory
 * (search and filters run over what the actor sees, so a hidden field can never be probed), one
 * team's page, and exports.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { isCoordinator } from '../core/policy.ts';
import { organisations } from '../core/tables.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { canEditOrg, canManageMembers } from '../orgs/policy.ts';
import { levelVisible, levelsOf, visibleFields, type Level } from './field-visibility.ts';
import { pgpKeys, teamContacts, teamProfiles } from './tables.ts';

type Org = typeof organisations.$inferSelect;
type Profile = typeof teamProfiles.$inferSelect;
type Contact = typeof teamContacts.$inferSelect;
type Key = typeof pgpKeys.$inferSelect;

export type Freshness = { reconfirmMonths: number; now?: Date };

/** The organisation must be a team of the network (a CSIRT or the hub) to have a directory entry. */
export async function assertTeam(db: DbOrTx, orgId: string): Promise<Org> {
  const [o] = await db.select().from(organisations).where(and(eq(organisations.id, orgId), eq(organisations.networkMember, true)));
  if (!o) throw notFound('Team');
  return o;
}

export const isStale = (p: Pick<Profile, 'lastConfirmedAt'> | undefined, f: Freshness): boolean => {
  const now = f.now ?? new Date();
  const limit = new Date(now);
  limit.setMonth(limit.getMonth() - f.reconfirmMonths);
  return !p?.lastConfirmedAt || p.lastConfirmedAt < limit;
};

export const keyState = (k: Pick<Key, 'revoked' | 'expiresAt'>, now = new Date()) =>
  k.revoked ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'valid';

export function presentKey(k: Key) {
  return {
    id: k.id, contactId: k.contactId, fingerprint: k.fingerprint, userIds: k.userIds, algorithm: k.algorithm, bits: k.bits,
    createdAt: k.keyCreatedAt, expiresAt: k.expiresAt, revoked: k.revoked, state: keyState(k), visibility: k.visibility, uploadedAt: k.uploadedAt,
  };
}

type Bundle = { org: Org; profile?: Profile; contacts: Contact[]; keys: Key[]; constituency?: Record<string, string[]> };

export function presentTeam(actor: Actor, b: Bundle, f: Freshness) {
  const { org, profile: p } = b;
  const seen = visibleFields(actor, org.id, p?.fieldVisibility);
  const editor = canEditOrg(actor, org.id);
  const show = <T>(field: Parameters<typeof seen.has>[0], value: T) => (seen.has(field) ? value : undefined);
  const contacts = b.contacts.filter((c) => levelVisible(actor, c.visibility as Level, org.id));
  const verified = b.contacts.map((c) => c.lastVerifiedAt).filter((d): d is Date => !!d).sort((a, z) => z.getTime() - a.getTime())[0] ?? null;
  const out = {
    orgId: org.id, name: org.name, shortName: org.shortName, type: org.type, countryCode: org.countryCode,
    officialName: show('officialName', p?.officialName ?? org.name),
    countries: show('countries', [org.countryCode, ...(p?.additionalCountries ?? [])].filter((c): c is string => !!c)),
    established: show('established', p?.established ?? null),
    website: show('website', org.website),
    roleEmail: show('roleEmail', p?.roleEmail ?? null),
    phones: show('phones', p?.phones ?? []),
    emergencyPhone: show('emergencyPhone', p?.emergencyPhone ?? null),
    businessHours: show('businessHours', p?.businessHours ?? null),
    timeZone: show('timeZone', p?.timeZone ?? null),
    constituencyDescription: show('constituencyDescription', p?.constituencyDescription ?? ''),
    sectors: show('sectors', p?.sectors ?? []),
    asns: b.constituency ? show('asns', b.constituency.asns) : undefined,
    ipv4: b.constituency ? show('ipv4', b.constituency.ipv4) : undefined,
    ipv6: b.constituency ? show('ipv6', b.constituency.ipv6) : undefined,
    domains: b.constituency ? show('domains', b.constituency.domains) : undefined,
    contacts: show('contacts', contacts.map((c) => ({
      id: c.id, kind: c.kind, name: c.name, function: c.function, email: c.email, phone: c.phone, visibility: c.visibility,
      ...(seen.has('lastVerified') ? { lastVerifiedAt: c.lastVerifiedAt } : {}),
    }))),
    keys: show('keys', b.keys.filter((k) => levelVisible(actor, k.visibility as Level, org.id)).map(presentKey)),
    lastVerifiedAt: show('lastVerified', verified),
    ...(editor || isCoordinator(actor)
      ? { fieldVisibility: levelsOf(p?.fieldVisibility), lastConfirmedAt: p?.lastConfirmedAt ?? null, stale: isStale(p, f) }
      : {}),
    policies: { canEdit: editor, canConfirm: canManageMembers(actor, org.id) },
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Partial<typeof out> & Pick<typeof out, 'orgId' | 'name' | 'policies'>;
}
export type PresentedTeam = ReturnType<typeof presentTeam>;

async function bundles(db: DbOrTx, orgs: Org[], withConstituency: boolean): Promise<Bundle[]> {
  if (!orgs.length) return [];
  const ids = orgs.map((o) => o.id);
  const [profiles, contacts, keys] = await Promise.all([
    db.select().from(teamProfiles).where(inArray(teamProfiles.orgId, ids)),
    db.select().from(teamContacts).where(inArray(teamContacts.orgId, ids)).orderBy(teamContacts.kind, teamContacts.name),
    db.select().from(pgpKeys).where(inArray(pgpKeys.orgId, ids)).orderBy(pgpKeys.uploadedAt),
  ]);
  const cons = new Map<string, Record<string, string[]>>();
  if (withConstituency) {
    const list = await rows<{ org_id: string; kind: string; value: string }>(db, sql`
      SELECT org_id, kind, value FROM constituency_entries WHERE org_id = ANY(${`{${ids.join(',')}}`}::uuid[]) ORDER BY kind, value`);
    for (const e of list) {
      let c = cons.get(e.org_id);
      if (!c) cons.set(e.org_id, (c = { asns: [], ipv4: [], ipv6: [], domains: [] }));
      if (e.kind === 'asn') c.asns!.push(`AS${e.value}`);
      else c[e.kind === 'domain' ? 'domains' : e.kind]!.push(e.value);
    }
  }
  const pm = new Map(profiles.map((p) => [p.orgId, p]));
  return orgs.map((org) => ({
    org, profile: pm.get(org.id),
    contacts: contacts.filter((c) => c.orgId === org.id),
    keys: keys.filter((k) => k.orgId === org.id),
    constituency: withConstituency ? (cons.get(org.id) ?? { asns: [], ipv4: [], ipv6: [], domains: [] }) : undefined,
  }));
}

export async function getTeam(db: DbOrTx, actor: Actor, orgId: string, f: Freshness) {
  const org = await assertTeam(db, orgId);
  const [b] = await bundles(db, [org], true);
  return presentTeam(actor, b!, f);
}

export type DirectoryFilter = { q?: string; country?: string; sector?: string; type?: string; stale?: boolean; withConstituency?: boolean };

/** The directory as this actor sees it; filters apply to the presented (visible) values only. */
export async function listTeams(db: DbOrTx, actor: Actor, filter: DirectoryFilter, f: Freshness) {
  const orgs = await db.select().from(organisations).where(eq(organisations.networkMember, true)).orderBy(organisations.name);
  const list = (await bundles(db, orgs, !!filter.withConstituency)).map((b) => presentTeam(actor, b, f));
  const q = filter.q?.trim().toLowerCase();
  return list.filter((t) =>
    (!q || [t.name, t.shortName, t.officialName].some((v) => typeof v === 'string' && v.toLowerCase().includes(q))) &&
    (!filter.country || t.countryCode === filter.country || (t.countries ?? []).includes(filter.country)) &&
    (!filter.sector || (t.sectors ?? []).some((s) => s.toLowerCase() === filter.sector!.toLowerCase())) &&
    (!filter.type || t.type === filter.type) &&
    (filter.stale === undefined || t.stale === filter.stale));
}
