/** Builds the Actor for a user: memberships, network membership and sharing groups in one round trip. */
import { sql } from 'drizzle-orm';
import type { OrgRole, PlatformRole, UserActor } from '../core/actor.ts';
import { rows, type DbOrTx } from '../db/client.ts';

export async function loadUserActor(
  db: DbOrTx,
  userId: string,
  via: { via: 'session'; sessionId: string } | { via: 'token'; tokenId: string; scopes: string[] },
): Promise<UserActor | null> {
  const [u] = await rows<{
    id: string; email: string; platform_role: PlatformRole | null; locale: string; disabled_at: Date | null;
    memberships: { orgId: string; role: OrgRole; networkMember: boolean; countryCode: string | null }[] | null;
    group_ids: string[] | null;
  }>(
    db,
    sql`SELECT u.id, u.email, u.platform_role, u.locale, u.disabled_at,
          (SELECT json_agg(json_build_object('orgId', m.org_id, 'role', m.role, 'networkMember', o.network_member,
                                             'countryCode', o.country_code))
             FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = u.id) AS memberships,
          (SELECT array_agg(DISTINCT g.group_id) FROM sharing_group_members g
             JOIN memberships m ON m.org_id = g.org_id WHERE m.user_id = u.id) AS group_ids
        FROM users u WHERE u.id = ${userId}`,
  );
  if (!u || u.disabled_at) return null;
  return {
    kind: 'user',
    userId: u.id,
    email: u.email,
    platformRole: u.platform_role,
    memberships: u.memberships ?? [],
    groupIds: u.group_ids ?? [],
    locale: u.locale,
    ...via,
  };
}
