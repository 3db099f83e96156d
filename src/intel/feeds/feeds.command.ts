/**
 * Feed subscriptions: create, change, delete, list (for the subscribing organisation's members).
 * Only members who may share intelligence for the organisation (not observers) manage its feeds;
 * the Authorization value is stored for the pulls and never returned.
 */
import { sql } from 'drizzle-orm';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit, type AuditMeta } from '../../core/audit.ts';
import { inTx } from '../../core/context.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Tlp } from '../../core/tlp.ts';
import { assertMarkingCoherent, type Scope } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { assertMayIngest } from '../ingest.command.ts';
import { assertFeedUrl } from './safe-fetch.ts';

export type FeedInput = {
  orgId: string; name: string; kind: 'taxii' | 'misp'; url: string; authorization?: string | null; tlpDefault: Tlp; scope: Scope;
  sharingGroupId?: string | null; scopeOrgIds?: string[]; intervalMinutes: number; enabled?: boolean;
};

export type FeedView = {
  id: string; orgId: string; name: string; kind: string; url: string; hasAuthorization: boolean; tlpDefault: string; scope: string;
  enabled: boolean; intervalMinutes: number; nextPullAt: string; failures: number; lastAttemptAt: string | null; lastSuccessAt: string | null;
  lastError: string | null; lastErrorAt: string | null; lastAdded: number; totalAdded: number;
};

const VIEW = sql`id, org_id AS "orgId", name, kind, url, "authorization" IS NOT NULL AS "hasAuthorization", tlp_default AS "tlpDefault", scope, enabled,
  interval_minutes AS "intervalMinutes", next_pull_at AS "nextPullAt", failures, last_attempt_at AS "lastAttemptAt", last_success_at AS "lastSuccessAt",
  last_error AS "lastError", last_error_at AS "lastErrorAt", last_added AS "lastAdded", total_added::int AS "totalAdded"`;

function assertManages(actor: Actor, orgId: string): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'user' || !actor.memberships.some((m) => m.orgId === orgId && m.role !== 'observer')) {
    throw forbidden('Only members of the organisation manage its feeds');
  }
}

/** Subscribes; the authorization header is kept sealed (src/crypto/secret-box.ts, context `feed:<id>`). */
export const feedContext = (feedId: string) => `feed:${feedId}`;

export async function createFeed(db: DbOrTx, box: SecretBox, meta: AuditMeta, i: FeedInput): Promise<FeedView> {
  assertManages(meta.actor, i.orgId);
  assertMayIngest(meta.actor, { ownerOrgId: i.orgId, scope: i.scope, tlpDefault: i.tlpDefault, sharingGroupId: i.sharingGroupId ?? null });
  const createdBy = meta.actor.kind === 'user' ? meta.actor.userId : null;
  assertMarkingCoherent({
    tlp: i.tlpDefault, scope: i.scope, ownerOrgId: i.orgId, createdBy, scopeOrgIds: i.scopeOrgIds ?? [],
    sharingGroupId: i.sharingGroupId ?? null, recipientUserIds: createdBy ? [createdBy] : [],
  });
  assertFeedUrl(i.url);
  const id = newId();
  return inTx(db, async (tx) => {
    await tx.execute(sql`INSERT INTO intel_feeds (id, org_id, name, kind, url, "authorization", tlp_default, scope, sharing_group_id, scope_org_ids,
      interval_minutes, enabled, created_by)
      VALUES (${id}, ${i.orgId}::uuid, ${i.name}, ${i.kind}, ${i.url}, ${i.authorization ? box.seal(i.authorization, feedContext(id)) : null}, ${i.tlpDefault}, ${i.scope}, ${i.sharingGroupId ?? null}::uuid,
        ${`{${(i.scopeOrgIds ?? []).join(',')}}`}::uuid[], ${i.intervalMinutes}, ${i.enabled ?? true}, ${createdBy}::uuid)`);
    await appendAudit(tx, meta, {
      action: 'intel.feed_created', targetType: 'intel_feed', targetId: id, orgId: i.orgId,
      after: { name: i.name, kind: i.kind, url: i.url, tlpDefault: i.tlpDefault, scope: i.scope, intervalMinutes: i.intervalMinutes },
    });
    return (await rows<FeedView>(tx, sql`SELECT ${VIEW} FROM intel_feeds WHERE id = ${id}::uuid`))[0]!;
  });
}

export async function getFeed(db: DbOrTx, actor: Actor, id: string): Promise<FeedView> {
  const [f] = await rows<FeedView>(db, sql`SELECT ${VIEW} FROM intel_feeds WHERE id = ${id}::uuid`);
  if (!f || (actor.kind !== 'system' && (actor.kind !== 'user' || !actor.memberships.some((m) => m.orgId === f.orgId)))) throw notFound('Feed');
  return f;
}

export async function listFeeds(db: DbOrTx, actor: Actor): Promise<FeedView[]> {
  const orgs = actor.kind === 'user' ? actor.memberships.map((m) => m.orgId) : [];
  return rows<FeedView>(db, sql`SELECT ${VIEW} FROM intel_feeds WHERE org_id = ANY(${`{${orgs.join(',')}}`}::uuid[]) ORDER BY name, id`);
}

export async function setFeedEnabled(db: DbOrTx, meta: AuditMeta, id: string, enabled: boolean): Promise<FeedView> {
  const f = await getFeed(db, meta.actor, id);
  assertManages(meta.actor, f.orgId);
  return inTx(db, async (tx) => {
    await tx.execute(sql`UPDATE intel_feeds SET enabled = ${enabled}, next_pull_at = now() WHERE id = ${id}::uuid`);
    await appendAudit(tx, meta, { action: 'intel.feed_updated', targetType: 'intel_feed', targetId: id, orgId: f.orgId, before: { enabled: f.enabled }, after: { enabled } });
    return (await rows<FeedView>(tx, sql`SELECT ${VIEW} FROM intel_feeds WHERE id = ${id}::uuid`))[0]!;
  });
}

export async function deleteFeed(db: DbOrTx, meta: AuditMeta, id: string): Promise<void> {
  const f = await getFeed(db, meta.actor, id);
  assertManages(meta.actor, f.orgId);
  await inTx(db, async (tx) => {
    await tx.execute(sql`DELETE FROM intel_feeds WHERE id = ${id}::uuid`);
    await appendAudit(tx, meta, { action: 'intel.feed_deleted', targetType: 'intel_feed', targetId: id, orgId: f.orgId, before: { name: f.name, url: f.url } });
  });
}

export { assertManages as assertManagesFeeds };
