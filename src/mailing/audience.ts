/**
 * Who a campaign goes to, resolved when it starts sending (never cached): confirmed subscribers of
 * the public list (topic-filtered), or people found in the directory for a member list, less
 * opt-outs; suppressed addresses are recorded as 'suppressed' and never sent to.
 * Also the TLP marking a list's campaigns carry, so every read path can use `visibleTo`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Marking } from '../core/visibility.ts';
import type { Tlp } from '../core/tlp.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import type { Audience } from './schema.ts';

type ListRow = { id: string; kind: string; audience: unknown };

/**
 * The marking of a list's campaigns: the audience it is sent to, no wider. A national-CSIRT-leads
 * list reaches the leads' teams only (`leadOrgIds`, from `leadOrgIdsNow`), not the whole network —
 * else its AMBER alerts would be readable in the archive by every team.
 */
export function markingFor(list: ListRow, tlp: Tlp, createdBy: string | null, ownerOrgId: string | null, leadOrgIds: string[] = []): Marking {
  const base = { tlp, createdBy, ownerOrgId, scopeOrgIds: [] as string[], recipientUserIds: [], sharingGroupId: null };
  if (list.kind === 'public') return { ...base, scope: 'public' };
  const a = list.audience as Audience;
  if (a.type === 'sharing_group') return { ...base, scope: 'group', sharingGroupId: a.groupId };
  if (a.type === 'national_csirt_leads') return leadOrgIds.length ? { ...base, scope: 'orgs', scopeOrgIds: leadOrgIds } : { ...base, scope: 'org' };
  return { ...base, scope: 'network' };
}

const LEADS = sql`o.type = 'national_csirt' AND o.network_member AND m.role = 'org_admin'`;

/** The teams whose leads a national-CSIRT-leads list reaches today ([] for other lists). */
export async function leadOrgIdsNow(db: DbOrTx, list: ListRow): Promise<string[]> {
  if (list.kind === 'public' || (list.audience as Audience | null)?.type !== 'national_csirt_leads') return [];
  const found = await rows<{ id: string }>(db, sql`
    SELECT DISTINCT o.id FROM organisations o JOIN memberships m ON m.org_id = o.id JOIN users u ON u.id = m.user_id
     WHERE u.disabled_at IS NULL AND ${LEADS} ORDER BY o.id`);
  return found.map((r) => r.id);
}

/** SELECT email, locale, user_id, subscriber_id of the people a member audience names today. */
function memberAudience(a: Audience): SQL {
  const where = a.type === 'national_csirt_leads'
    ? LEADS
    : a.type === 'network_members'
      ? sql`o.network_member`
      : sql`EXISTS (SELECT 1 FROM sharing_group_members g WHERE g.org_id = o.id AND g.group_id = ${a.groupId}::uuid)`;
  return sql`SELECT DISTINCT ON (lower(u.email)) u.email, u.locale, u.id AS user_id, NULL::uuid AS subscriber_id
    FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.org_id
    WHERE u.disabled_at IS NULL AND ${where}`;
}

/** A public-list subscriber (`s`) follows a campaign's topic: no topic, or none chosen, or that one. */
const followsTopic = (topic: string | null): SQL => (topic ? sql`AND (cardinality(s.topics) = 0 OR ${topic} = ANY(s.topics))` : sql``);

function audienceSql(list: ListRow, topic: string | null, page?: { after: string | null; limit: number }): SQL {
  if (list.kind === 'public') {
    const after = page?.after ? sql`AND s.id > ${page.after}::uuid` : sql``;
    const limit = page ? sql`ORDER BY s.id LIMIT ${page.limit}` : sql``;
    return sql`SELECT s.email, s.locale, NULL::uuid AS user_id, s.id AS subscriber_id FROM mailing_subscribers s
      WHERE s.list_id = ${list.id}::uuid AND s.status = 'confirmed' ${followsTopic(topic)} ${after} ${limit}`;
  }
  return memberAudience(list.audience as Audience);
}

/**
 * Materialise the recipients of a campaign. A public list goes in pages of `limit` subscribers
 * (keyset on subscriber id, so a retried start resumes after the last page written: pass
 * `resumeAfter`); `done` is true once the audience is exhausted. Member lists go in one statement.
 */
export async function materialiseRecipients(
  tx: DbOrTx, campaignId: string, list: ListRow, topic: string | null, page?: { after: string | null; limit: number },
): Promise<{ queued: number; suppressed: number; last: string | null; done: boolean }> {
  const paged = list.kind === 'public' && page;
  const counts = await rows<{ status: string; n: number; last: string | null; seen: number }>(tx, sql`
    WITH people AS MATERIALIZED (${audienceSql(list, topic, paged ? page : undefined)}),
    ins AS (
      INSERT INTO mailing_recipients (campaign_id, email, locale, user_id, subscriber_id, status)
      SELECT ${campaignId}::uuid, p.email, p.locale, p.user_id, p.subscriber_id,
             CASE WHEN EXISTS (SELECT 1 FROM mailing_suppressions x WHERE x.email = lower(p.email)) THEN 'suppressed' ELSE 'queued' END
        FROM people p
       WHERE NOT EXISTS (SELECT 1 FROM mailing_opt_outs o WHERE o.list_id = ${list.id}::uuid AND o.email = lower(p.email))
      RETURNING status)
    SELECT i.status, i.n, (SELECT max(subscriber_id::text) FROM people) AS last, (SELECT count(*)::int FROM people) AS seen
      FROM (SELECT status, count(*)::int AS n FROM ins GROUP BY status) i
    UNION ALL SELECT 'none', 0, (SELECT max(subscriber_id::text) FROM people), (SELECT count(*)::int FROM people)`);
  const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
  const seen = counts[0]?.seen ?? 0;
  return { queued: n('queued'), suppressed: n('suppressed'), last: counts[0]?.last ?? null, done: !paged || seen < page.limit };
}

/**
 * Of these users, those a member list's audience still names now (not disabled, still in a team the
 * audience covers). Delivery checks each batch with it, so a person removed or disabled after the
 * recipients were written — a paused or long campaign — or opted out of the list since, is not sent the alert.
 */
export async function stillInAudience(db: DbOrTx, list: ListRow, userIds: string[]): Promise<Set<string>> {
  if (list.kind === 'public' || !userIds.length) return new Set();
  const found = await rows<{ user_id: string }>(db, sql`
    SELECT a.user_id FROM (${memberAudience(list.audience as Audience)}) a WHERE a.user_id = ANY(${`{${userIds.join(',')}}`}::uuid[])
       AND NOT EXISTS (SELECT 1 FROM mailing_opt_outs o WHERE o.list_id = ${list.id}::uuid AND o.email = lower(a.email))`);
  return new Set(found.map((r) => r.user_id));
}

/** Of these public-list subscribers, those still confirmed and (for a campaign with a topic) still following it. */
export async function stillSubscribed(db: DbOrTx, listId: string, topic: string | null, subscriberIds: string[]): Promise<Set<string>> {
  if (!subscriberIds.length) return new Set();
  const found = await rows<{ id: string }>(db, sql`
    SELECT s.id FROM mailing_subscribers s
     WHERE s.list_id = ${listId}::uuid AND s.status = 'confirmed' AND s.id = ANY(${`{${subscriberIds.join(',')}}`}::uuid[]) ${followsTopic(topic)}`);
  return new Set(found.map((r) => r.id));
}

/** Where a retried, paged materialisation resumes: the highest subscriber id already written. */
export async function materialisedUpTo(tx: DbOrTx, campaignId: string): Promise<string | null> {
  const [r] = await rows<{ last: string | null }>(tx, sql`SELECT max(subscriber_id::text) AS last FROM mailing_recipients WHERE campaign_id = ${campaignId}::uuid`);
  return r?.last ?? null;
}

/** How many people a list would reach now (for the management screens). */
export async function audienceSize(db: DbOrTx, list: ListRow): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (${audienceSql(list, null)}) a`);
  return r?.n ?? 0;
}
