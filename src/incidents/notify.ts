/**
 * Notifications in the app (incident_notifications rows: a kind and ids, nothing else) and by
 * e-mail in each recipient's language, queued in the caller's transaction. Recipients are the
 * people of the named organisations (or named people); disabled accounts get nothing. Each person's
 * open tabs are told at commit (`NOTICE_TOPIC` on the bus, the user id only; notices.ws.ts) so the
 * count in the header moves without a reload.
 */
import { and, inArray, isNull, eq } from 'drizzle-orm';
import { publish } from '../core/bus.ts';
import { newId } from '../core/ids.ts';
import { memberships, users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { toLocale, type Localized } from '../i18n/locales.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail, type MailTemplate } from '../mail/render.ts';
import { incidentNotifications } from './tables.ts';

/** Bus topic: "this user has a new incident notification" (id: the user id; nothing else travels). */
export const NOTICE_TOPIC = 'incidents.notice';

export type Recipient = { id: string; email: string; locale: string };
export type NotifyTarget = { kind: string; caseId?: string | null; requestId?: string | null; reportId?: string | null };
export type NotifyMail = { template: MailTemplate; vars: Record<string, string | number>; event?: Localized; link: string };

export async function peopleOf(db: DbOrTx, orgIds: string[], opts: { roles?: string[] } = {}): Promise<Recipient[]> {
  if (!orgIds.length) return [];
  const list = await db.selectDistinct({ id: users.id, email: users.email, locale: users.locale }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(inArray(memberships.orgId, orgIds), isNull(users.disabledAt), opts.roles ? inArray(memberships.role, opts.roles) : undefined));
  return list;
}

export async function peopleById(db: DbOrTx, userIds: string[]): Promise<Recipient[]> {
  if (!userIds.length) return [];
  return db.select({ id: users.id, email: users.email, locale: users.locale }).from(users)
    .where(and(inArray(users.id, userIds), isNull(users.disabledAt)));
}

export async function notify(tx: DbOrTx, people: Recipient[], target: NotifyTarget, mail: NotifyMail, exceptUserId?: string | null) {
  const seen = new Set<string>();
  for (const p of people) {
    if (seen.has(p.id) || p.id === exceptUserId) continue;
    seen.add(p.id);
    await tx.insert(incidentNotifications).values({
      id: newId(), userId: p.id, kind: target.kind, caseId: target.caseId ?? null, requestId: target.requestId ?? null, reportId: target.reportId ?? null,
    });
    await publish(tx, { topic: NOTICE_TOPIC, id: p.id });
    const l = toLocale(p.locale);
    await queueMail(tx, renderMail(mail.template, l, { ...mail.vars, link: mail.link, ...(mail.event ? { event: mail.event[l] } : {}) }, p.email, { tag: `incidents.${target.kind}` }));
  }
  return seen.size;
}
