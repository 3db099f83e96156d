/** The organisation directory. Details (people, description) only for those allowed by policy.ts. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { memberships, organisations, users } from '../core/tables.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { countryName } from './countries.query.ts';
import { canSeeOrgDetails, orgPolicies } from './policy.ts';

type OrgRow = typeof organisations.$inferSelect;

function present(actor: Actor, o: OrgRow, locale: string, memberCount: number) {
  const details = canSeeOrgDetails(actor, o);
  return {
    id: o.id, name: o.name, shortName: o.shortName, type: o.type, countryCode: o.countryCode,
    countryName: o.countryCode ? countryName(o.countryCode, locale) : null,
    networkMember: o.networkMember, website: o.website,
    ...(details ? { description: o.description, memberCount, createdAt: o.createdAt } : {}),
    policies: orgPolicies(actor, o),
  };
}

export async function listOrganisations(db: DbOrTx, actor: Actor, f: { countryCode?: string; type?: string; locale: string }) {
  const conds: SQL[] = [];
  if (f.countryCode) conds.push(eq(organisations.countryCode, f.countryCode));
  if (f.type) conds.push(eq(organisations.type, f.type));
  const list = await db.select().from(organisations).where(conds.length ? and(...conds) : undefined).orderBy(asc(organisations.name));
  const counts = new Map(
    (await rows<{ org_id: string; n: number }>(db, sql`SELECT org_id, count(*)::int AS n FROM memberships GROUP BY org_id`)).map((r) => [r.org_id, r.n]),
  );
  return list.map((o) => present(actor, o, f.locale, counts.get(o.id) ?? 0));
}

export async function getOrganisation(db: DbOrTx, actor: Actor, id: string, locale: string) {
  const [o] = await db.select().from(organisations).where(eq(organisations.id, id));
  if (!o) throw notFound('Organisation');
  const people = await db.select({ userId: users.id, displayName: users.displayName, email: users.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, id)).orderBy(asc(users.displayName));
  const org = present(actor, o, locale, people.length);
  return canSeeOrgDetails(actor, o) ? { ...org, members: people } : org;
}

/** Operators' table (CLI): every organisation with its member count. */
export async function organisationTable(db: DbOrTx) {
  return rows<{ name: string; type: string; country: string | null; members: number }>(db, sql`
    SELECT o.name, o.type, o.country_code AS country, count(m.user_id)::int AS members
      FROM organisations o LEFT JOIN memberships m ON m.org_id = o.id
     GROUP BY o.id ORDER BY o.name`);
}
