/**
 * Public-list subscriptions with double opt-in: subscribing stores a pending row and mails an
 * expiring single-use confirmation link (only its sha256 is kept) in the subscriber's language;
 * nothing else is ever sent to a pending address. Preferences and unsubscribing use the signed
 * per-recipient token carried by every list message (no account, no session).
 * The answer to subscribe never tells whether the address was already on the list.
 */
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError, invalid, notFound } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { confirmSubscription } from './emails.ts';
import { mailingLists, mailingOptOuts, mailingSubscribers, mailingSuppressions } from './tables.ts';
import { mailingSecret, normEmail, readUnsubscribeToken } from './tokens.ts';

export type SubscriptionDeps = { publicUrl: string; confirmTtlHours: number };

const RESEND_GAP_MS = 10 * 60_000;

const goneLink = () => new DomainError('gone', 'This confirmation link is invalid, expired or already used');

async function publicList(tx: Tx, slug: string) {
  const [list] = await tx.select().from(mailingLists).where(eq(mailingLists.slug, slug));
  if (!list || list.archivedAt || list.kind !== 'public') throw notFound('Mailing list');
  return list;
}

function checkTopics(allowed: string[], topics: string[]) {
  const unknown = topics.filter((t) => !allowed.includes(t));
  if (unknown.length) throw invalid('Unknown topic', unknown.map((t) => ({ path: 'topics', message: `"${t}" is not a topic of this list` })));
}

export async function subscribe(db: DbOrTx, deps: SubscriptionDeps, meta: AuditMeta, slug: string, input: { email: string; locale: string; topics: string[] }) {
  return inTx(db, async (tx) => {
    const list = await publicList(tx, slug);
    checkTopics(list.topics, input.topics);
    const email = normEmail(input.email);
    const [suppressed] = await tx.select({ email: mailingSuppressions.email }).from(mailingSuppressions).where(eq(mailingSuppressions.email, email));
    const [existing] = await tx.select().from(mailingSubscribers)
      .where(and(eq(mailingSubscribers.listId, list.id), sql`lower(${mailingSubscribers.email}) = ${email}`)).for('update');
    if (existing?.status === 'confirmed' || suppressed) return { status: 'pending_confirmation' as const };
    // No mail-bombing through the form: a pending address gets at most one confirmation per RESEND_GAP.
    const lastSent = existing?.confirmExpiresAt ? existing.confirmExpiresAt.getTime() - deps.confirmTtlHours * 3600_000 : null;
    if (existing?.status === 'pending' && lastSent !== null && Date.now() - lastSent < RESEND_GAP_MS) return { status: 'pending_confirmation' as const };
    const token = randomSecret();
    const expires = new Date(Date.now() + deps.confirmTtlHours * 3600_000);
    const values = { locale: input.locale, topics: input.topics, status: 'pending', confirmTokenHash: sha256(token), confirmExpiresAt: expires, unsubscribedAt: null };
    const id = existing?.id ?? newId();
    if (existing) await tx.update(mailingSubscribers).set(values).where(eq(mailingSubscribers.id, id));
    else await tx.insert(mailingSubscribers).values({ id, listId: list.id, email, ...values });
    await appendAudit(tx, meta, { action: 'mailing.subscribe', targetType: 'mailing_subscriber', targetId: id, after: { listId: list.id, locale: input.locale, topics: input.topics } });
    await queueMail(tx, renderMail(confirmSubscription, input.locale, {
      list: list.name, email, hours: deps.confirmTtlHours, link: `${deps.publicUrl}/lists/confirm?token=${token}`,
    }, email, { tag: 'mailing.confirm' }));
    return { status: 'pending_confirmation' as const };
  });
}

export async function confirmSubscriptionToken(db: DbOrTx, meta: AuditMeta, token: string) {
  return inTx(db, async (tx) => {
    const [sub] = await tx.select().from(mailingSubscribers).where(eq(mailingSubscribers.confirmTokenHash, sha256(token))).for('update');
    if (!sub || sub.status !== 'pending' || !sub.confirmExpiresAt || sub.confirmExpiresAt < new Date()) throw goneLink();
    const confirmedAt = new Date();
    // Single use: the hash is cleared, so the same link answers 410 afterwards.
    await tx.update(mailingSubscribers).set({ status: 'confirmed', confirmedAt, confirmTokenHash: null, confirmExpiresAt: null }).where(eq(mailingSubscribers.id, sub.id));
    await appendAudit(tx, meta, { action: 'mailing.confirm', targetType: 'mailing_subscriber', targetId: sub.id, after: { confirmedAt } });
    const [list] = await tx.select({ name: mailingLists.name, slug: mailingLists.slug }).from(mailingLists).where(eq(mailingLists.id, sub.listId));
    return { list: list!, email: sub.email, status: 'confirmed' as const };
  });
}

async function resolveToken(tx: Tx, token: string) {
  const who = readUnsubscribeToken(await mailingSecret(tx), token);
  if (!who) throw new DomainError('gone', 'This link is not valid');
  const [list] = await tx.select().from(mailingLists).where(eq(mailingLists.id, who.listId));
  if (!list) throw new DomainError('gone', 'This list no longer exists');
  return { list, email: who.email };
}

export async function readPreferences(db: DbOrTx, token: string) {
  return inTx(db, async (tx) => {
    const { list, email } = await resolveToken(tx, token);
    const [sub] = await tx.select().from(mailingSubscribers).where(and(eq(mailingSubscribers.listId, list.id), sql`lower(${mailingSubscribers.email}) = ${email}`));
    const [opt] = await tx.select().from(mailingOptOuts).where(and(eq(mailingOptOuts.listId, list.id), eq(mailingOptOuts.email, email)));
    const subscribed = list.kind === 'public' ? sub?.status === 'confirmed' : !opt;
    return { list: { slug: list.slug, name: list.name, kind: list.kind, topics: list.topics }, email, subscribed, locale: sub?.locale ?? null, topics: sub?.topics ?? [] };
  });
}

export async function updatePreferences(db: DbOrTx, meta: AuditMeta, input: { token: string; locale: string; topics: string[] }) {
  return inTx(db, async (tx) => {
    const { list, email } = await resolveToken(tx, input.token);
    if (list.kind !== 'public') throw new DomainError('invalid_transition', 'Member lists follow your profile language');
    checkTopics(list.topics, input.topics);
    const [sub] = await tx.select().from(mailingSubscribers).where(and(eq(mailingSubscribers.listId, list.id), sql`lower(${mailingSubscribers.email}) = ${email}`)).for('update');
    if (!sub || sub.status !== 'confirmed') throw new DomainError('invalid_transition', 'This address is not subscribed');
    await tx.update(mailingSubscribers).set({ locale: input.locale, topics: input.topics }).where(eq(mailingSubscribers.id, sub.id));
    await appendAudit(tx, meta, {
      action: 'mailing.preferences', targetType: 'mailing_subscriber', targetId: sub.id,
      before: { locale: sub.locale, topics: sub.topics }, after: { locale: input.locale, topics: input.topics },
    });
    return readPreferences(tx, input.token);
  });
}

/** Idempotent: unsubscribing twice answers the same. Used by the page, the RFC 8058 POST and mailto. */
export async function unsubscribeByToken(db: DbOrTx, meta: AuditMeta, token: string, via: 'page' | 'one-click' | 'mailto') {
  return inTx(db, async (tx) => {
    const { list, email } = await resolveToken(tx, token);
    if (list.kind === 'public') {
      const [sub] = await tx.select().from(mailingSubscribers).where(and(eq(mailingSubscribers.listId, list.id), sql`lower(${mailingSubscribers.email}) = ${email}`)).for('update');
      if (sub && sub.status !== 'unsubscribed') {
        const unsubscribedAt = new Date();
        await tx.update(mailingSubscribers).set({ status: 'unsubscribed', unsubscribedAt, confirmTokenHash: null }).where(eq(mailingSubscribers.id, sub.id));
        await appendAudit(tx, meta, { action: 'mailing.unsubscribe', targetType: 'mailing_subscriber', targetId: sub.id, after: { via, unsubscribedAt } });
      }
    } else {
      const done = await tx.insert(mailingOptOuts).values({ listId: list.id, email }).onConflictDoNothing().returning();
      if (done.length) await appendAudit(tx, meta, { action: 'mailing.opt_out', targetType: 'mailing_list', targetId: list.id, after: { email, via } });
    }
    return { list: { slug: list.slug, name: list.name }, email, subscribed: false };
  });
}
