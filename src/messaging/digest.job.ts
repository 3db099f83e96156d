/**
 * Email digests of followed channels for people who have not read them (they were offline, or
 * away): per person a frequency (off, hourly, daily); a periodic job claims each due person's
 * preference row (FOR UPDATE SKIP LOCKED, so several nodes never send the same digest twice), reads
 * their unread messages AS THEM through the visibility function, and queues one mail via the
 * outbox. TLP:CLEAR/GREEN text appears as a snippet; AMBER and above, and RED, only as a line
 * saying the content is not sent by email.
 */
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { loadUserActor } from '../auth/actor-loader.ts';
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { forbidden } from '../core/errors.ts';
import type { Actor } from '../core/actor.ts';
import { tlpLabel, tlpRank, type Tlp } from '../core/tlp.ts';
import { users } from '../core/tables.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { toLocale } from '../i18n/locales.ts';
import { rows, type Db } from '../db/client.ts';
import { messageReadable } from './access.ts';
import { digest, withheld } from './emails.ts';
import { plainSnippet } from './markdown.ts';
import { channelMembers, channels, messages, messagingPrefs } from './tables.ts';

export const DIGEST_FREQUENCIES = ['off', 'hourly', 'daily'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
const PERIOD_MS: Record<DigestFrequency, number> = { off: Infinity, hourly: 3_600_000, daily: 86_400_000 };
const MAX_ITEMS = 50;

export async function getPrefs(db: Db, actor: Actor) {
  if (actor.kind !== 'user') throw forbidden();
  const [p] = await db.select().from(messagingPrefs).where(eq(messagingPrefs.userId, actor.userId));
  return { digest: (p?.digest ?? 'daily') as DigestFrequency, lastDigestAt: p?.lastDigestAt?.toISOString() ?? null };
}

export async function setDigestFrequency(db: Db, actor: Actor, digestFrequency: DigestFrequency) {
  if (actor.kind !== 'user') throw forbidden();
  await db.transaction(async (tx) => {
    await tx.insert(messagingPrefs).values({ userId: actor.userId, digest: digestFrequency })
      .onConflictDoUpdate({ target: messagingPrefs.userId, set: { digest: digestFrequency } });
    await appendAudit(tx, { actor }, { action: 'messaging.prefs.digest', targetType: 'user', targetId: actor.userId, after: { digest: digestFrequency } });
  });
}

/** One pass: every person due gets at most one digest. Returns how many were queued. */
export async function runDigests(db: Db, s: { publicUrl: string }, now = new Date()): Promise<number> {
  // Everyone following a channel has a preference row (default daily) to claim.
  await db.execute(sql`INSERT INTO messaging_prefs (user_id) SELECT DISTINCT user_id FROM channel_members WHERE follow ON CONFLICT DO NOTHING`);
  const candidates = await rows<{ user_id: string }>(db, sql`
    SELECT user_id FROM messaging_prefs WHERE digest <> 'off'
       AND (last_digest_at IS NULL OR last_digest_at <= ${now}::timestamptz - (CASE digest WHEN 'hourly' THEN interval '1 hour' ELSE interval '1 day' END))`);
  let sent = 0;
  for (const { user_id } of candidates) {
    const done = await db.transaction(async (tx) => {
      const [p] = await tx.select().from(messagingPrefs).where(eq(messagingPrefs.userId, user_id)).for('update', { skipLocked: true });
      if (!p || p.digest === 'off') return false;
      const period = PERIOD_MS[p.digest as DigestFrequency] ?? PERIOD_MS.daily;
      if (p.lastDigestAt && now.getTime() - p.lastDigestAt.getTime() < period) return false; // another node just did it
      const actor = await loadUserActor(tx, user_id, { via: 'session', sessionId: '' });
      if (!actor) return false;
      const unread = await tx.select({ m: messages, channelName: channels.name }).from(messages)
        .innerJoin(channels, eq(channels.id, messages.channelId))
        .innerJoin(channelMembers, and(eq(channelMembers.channelId, messages.channelId), eq(channelMembers.userId, user_id)))
        .where(and(eq(channelMembers.follow, true), gt(messages.seq, sql`greatest(${channelMembers.lastReadSeq}, ${p.lastDigestSeq})`),
          isNull(messages.deletedAt), sql`${messages.authorId} IS DISTINCT FROM ${user_id}::uuid`, messageReadable(actor)))
        .orderBy(asc(messages.seq)).limit(MAX_ITEMS);
      if (!unread.length) return false;
      const [u] = await tx.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, user_id));
      const locale = toLocale(u!.locale);
      const items = unread.map(({ m, channelName }) => {
        const open = tlpRank(m.tlp as Tlp) <= tlpRank('green');
        return `#${channelName} [${tlpLabel(m.tlp as Tlp)}] ${m.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC\n  ${open ? plainSnippet(m.body, 200) : withheld[locale]}`;
      }).join('\n\n');
      await queueMail(tx, renderMail(digest, locale, { count: unread.length, items, link: `${s.publicUrl}/messages` }, u!.email, { tag: 'messaging.digest' }));
      const maxSeq = unread[unread.length - 1]!.m.seq;
      await tx.update(messagingPrefs).set({ lastDigestAt: now, lastDigestSeq: maxSeq }).where(eq(messagingPrefs.userId, user_id));
      await appendAudit(tx, { actor: system('messaging-digest') }, {
        action: 'messaging.digest.sent', targetType: 'user', targetId: user_id, after: { count: unread.length, upToSeq: maxSeq },
      });
      return true;
    });
    if (done) sent++;
  }
  return sent;
}
