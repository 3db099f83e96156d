/**
 * Urgent alerts. A team lead (org_admin) of a team in the channel's audience, or a coordinator,
 * marks a message urgent; it then also goes by email (through the outbox) to the 24/7 contacts of
 * the channel's teams, from the directory: contacts whose function names 24/7, emergency or on-call
 * duty, else the team's role contacts, else the profile's role address.
 * TLP rules for the mail: CLEAR/GREEN → the text; AMBER/AMBER+STRICT → OpenPGP-encrypted (signed by
 * the platform key) to recipients with a valid key in the directory, a notice with a link otherwise;
 * RED → only a notice with a link, and only to the message's named recipients.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, forbidden } from '../core/errors.ts';
import { tlpLabel, tlpRank, type Tlp } from '../core/tlp.ts';
import { organisations, sharingGroupMembers, users, memberships } from '../core/tables.ts';
import { encryptFor, type KeyConfig } from '../crypto/platform-key.ts';
import { pgpKeys, teamContacts, teamProfiles } from '../directory/tables.ts';
import { queueMail, type MailMessage } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { fill, toLocale } from '../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { loadMessageFor, mayRaiseUrgent, type ChannelRow, type MessageRow } from './access.ts';
import { appendEvent, lockEventOrder } from './events.ts';
import { urgentClear, urgentEncryptedSubject, urgentNotice } from './emails.ts';
import { plainSnippet } from './markdown.ts';
import { channelMembers, messages } from './tables.ts';

const TWENTY_FOUR_SEVEN = /24\s*[/x×]\s*7|emergenc|on[- ]?call|urgen|guardia|plant[aã]o|astreinte/i;

export type UrgentSettings = KeyConfig & { publicUrl: string };

/** Organisations whose teams an alert in this channel goes to. */
async function teamsOf(db: Db, ch: ChannelRow): Promise<string[]> {
  let orgs: string[];
  if (ch.scope === 'orgs') orgs = ch.scopeOrgIds;
  else if (ch.scope === 'org') orgs = ch.ownerOrgId ? [ch.ownerOrgId] : [];
  else if (ch.scope === 'group') {
    orgs = (await db.select({ o: sharingGroupMembers.orgId }).from(sharingGroupMembers).where(eq(sharingGroupMembers.groupId, ch.sharingGroupId!))).map((r) => r.o);
  } else orgs = (await db.select({ o: organisations.id }).from(organisations).where(eq(organisations.networkMember, true))).map((r) => r.o);
  if (ch.ownerOrgId && ch.scope !== 'org' && !orgs.includes(ch.ownerOrgId) && ch.scope !== 'network') orgs.push(ch.ownerOrgId);
  if (ch.access !== 'open') {
    // Invite-only: only the teams of people in the channel.
    const inChannel = new Set((await db.select({ o: memberships.orgId }).from(channelMembers)
      .innerJoin(memberships, eq(memberships.userId, channelMembers.userId)).where(eq(channelMembers.channelId, ch.id))).map((r) => r.o));
    orgs = orgs.filter((o) => inChannel.has(o));
  }
  return [...new Set(orgs)];
}

export type AlertRecipient = { orgId: string; email: string; keys: string[] };

/** The 24/7 addresses of these teams with their valid OpenPGP keys (directory). */
export async function emergencyContacts(db: Db, orgIds: string[]): Promise<AlertRecipient[]> {
  if (!orgIds.length) return [];
  const contacts = await db.select().from(teamContacts).where(inArray(teamContacts.orgId, orgIds));
  const profiles = await db.select({ orgId: teamProfiles.orgId, roleEmail: teamProfiles.roleEmail }).from(teamProfiles).where(inArray(teamProfiles.orgId, orgIds));
  const keys = await db.select().from(pgpKeys).where(and(inArray(pgpKeys.orgId, orgIds), eq(pgpKeys.revoked, false),
    sql`(${pgpKeys.expiresAt} IS NULL OR ${pgpKeys.expiresAt} > now())`));
  const out: AlertRecipient[] = [];
  for (const orgId of orgIds) {
    const mine = contacts.filter((c) => c.orgId === orgId);
    let chosen = mine.filter((c) => TWENTY_FOUR_SEVEN.test(c.function));
    if (!chosen.length) chosen = mine.filter((c) => c.kind === 'role');
    const emails = chosen.map((c) => ({ email: c.email, contactId: c.id as string | null }));
    const role = profiles.find((p) => p.orgId === orgId)?.roleEmail;
    if (!emails.length && role) emails.push({ email: role, contactId: null });
    for (const e of emails) {
      if (out.some((o) => o.email.toLowerCase() === e.email.toLowerCase())) continue;
      const k = keys.filter((k) => k.orgId === orgId && (k.contactId === e.contactId && e.contactId !== null
        || k.userIds.some((u) => u.toLowerCase().includes(`<${e.email.toLowerCase()}>`) || u.toLowerCase() === e.email.toLowerCase())));
      out.push({ orgId, email: e.email, keys: k.map((x) => x.armored) });
    }
  }
  return out;
}

async function composeAlerts(db: Db, s: UrgentSettings, m: MessageRow, ch: ChannelRow): Promise<MailMessage[]> {
  const [author] = m.authorId ? await db.select({ n: users.displayName }).from(users).where(eq(users.id, m.authorId)) : [];
  const [org] = m.authorOrgId ? await db.select({ n: organisations.name }).from(organisations).where(eq(organisations.id, m.authorOrgId)) : [];
  const link = `${s.publicUrl}/messages/${ch.id}?m=${m.id}`;
  const vars = { tlp: tlpLabel(m.tlp as Tlp), channel: ch.name, author: author?.n ?? '—', org: org?.n ?? '—', link, body: m.body, snippet: plainSnippet(m.body, 60) };
  const tag = 'messaging.urgent';
  const localeOf = async (email: string) => {
    const [u] = await db.select({ l: users.locale }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
    return toLocale(u?.l);
  };
  if (m.tlp === 'red') {
    const named = m.recipientUserIds.length
      ? await db.select({ email: users.email, locale: users.locale }).from(users).where(and(inArray(users.id, m.recipientUserIds), isNull(users.disabledAt)))
      : [];
    return named.map((u) => renderMail(urgentNotice, u.locale, vars, u.email, { tag }));
  }
  const out: MailMessage[] = [];
  for (const r of await emergencyContacts(db, await teamsOf(db, ch))) {
    const locale = await localeOf(r.email);
    if (tlpRank(m.tlp as Tlp) <= tlpRank('green')) out.push(renderMail(urgentClear, locale, vars, r.email, { tag }));
    else if (r.keys.length) {
      const plain = renderMail(urgentClear, locale, vars, r.email);
      const armored = await encryptFor(db, s, r.keys, `Subject: ${plain.subject}\n\n${plain.text}`);
      out.push({ to: r.email, subject: fill(urgentEncryptedSubject[locale], vars), text: armored, headers: { 'Content-Language': locale }, tag });
    } else out.push(renderMail(urgentNotice, locale, vars, r.email, { tag }));
  }
  return out;
}

export async function markUrgent(db: Db, meta: AuditMeta, s: UrgentSettings, messageId: string) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  const { m, ch } = await loadMessageFor(db, a, messageId);
  if (m.deletedAt) throw conflict('The message was deleted');
  if (!mayRaiseUrgent(a, ch)) throw forbidden('Only team leads and coordinators raise urgent alerts');
  if (m.urgentAt) throw conflict('Already marked urgent');
  const mails = await composeAlerts(db, s, m, ch); // encryption happens outside the transaction
  return inTx(db, async (tx) => {
    await lockEventOrder(tx);
    const [row] = await tx.update(messages).set({ urgentAt: new Date(), urgentBy: a.userId })
      .where(and(eq(messages.id, messageId), isNull(messages.urgentAt), isNull(messages.deletedAt))).returning();
    if (!row) throw conflict('Already marked urgent or deleted');
    for (const mail of mails) await queueMail(tx, mail);
    await appendAudit(tx, meta, {
      action: 'messaging.message.urgent', targetType: 'message', targetId: messageId, orgId: ch.ownerOrgId,
      after: { tlp: m.tlp, recipients: mails.map((x) => x.to), encrypted: mails.filter((x) => x.text.startsWith('-----BEGIN PGP MESSAGE')).length },
    });
    await appendEvent(tx, messageId, m.channelId, 'urgent');
    return { message: row, alerted: mails.length };
  });
}
