/** Builds the Actor for a user: memberships, network membership and sharing groups in one round trip. */
import { sql, type SQL } from 'drizzle-orm';
import type { OrgRole, PlatformRole, UserActor } from '../core/actor.ts';
import { rows, type DbOrTx } from '../db/client.ts';

export type ActorRow = {
  id: string; email: string; platform_role: PlatformRole | null; locale: string; disabled_at: Date | null;
  memberships: { orgId: string; role: OrgRole; networkMember: boolean; countryCode: string | null }[] | null;
  group_ids: string[] | null;
  has_totp: boolean;
};

/** The columns of an ActorRow, for a query where `u` is the users row (also used by the session load). */
export const ACTOR_COLUMNS: SQL = sql`u.id, u.email, u.platform_role, u.locale, u.disabled_at,
  (SELECT json_agg(json_build_object('orgId', m.org_id, 'role', m.role, 'networkMember', o.network_member,
                                     'countryCode', o.country_code))
     FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = u.id) AS memberships,
  (SELECT array_agg(DISTINCT g.group_id) FROM sharing_group_members g
     JOIN memberships m ON m.org_id = g.org_id WHERE m.user_id = u.id) AS group_ids,
  EXISTS (SELECT 1 FROM totp_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) AS has_totp`;

type Via = { via: 'session'; sessionId: string } | { via: 'token'; tokenId: string; scopes: string[] };

/** The Actor of a loaded row; null for a disabled user. */
export function actorFromRow(u: ActorRow, via: Via): UserActor | null {
  if (u.disabled_at) return null;
  return {
    kind: 'user',
    userId: u.id,
    email: u.email,
    platformRole: u.platform_role,
    memberships: u.memberships ?? [],
    groupIds: u.group_ids ?? [],
    locale: u.locale,
    hasTotp: u.has_totp === true,
    ...via,
  };
}

export async function loadUserActor(db: DbOrTx, userId: string, via: Via): Promise<UserActor | null> {
  const [u] = await rows<ActorRow>(db, sql`SELECT ${ACTOR_COLUMNS} FROM users u WHERE u.id = ${userId}`);
  return u ? actorFromRow(u, via) : null;
}

/**
 * The Actor a person would have once signed in, found by e-mail address: for "may this person read
 * it" checks before something is sent to an address (null: nobody on the platform, or disabled).
 */
export async function actorForEmail(db: DbOrTx, email: string): Promise<UserActor | null> {
  const [u] = await rows<ActorRow>(db, sql`SELECT ${ACTOR_COLUMNS} FROM users u WHERE lower(u.email) = lower(${email.trim()}) LIMIT 1`);
  return u ? actorFromRow(u, { via: 'session', sessionId: '' }) : null;
}
