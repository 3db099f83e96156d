/**
 * The vetting workflow. A CSIRT applies (mandate uploaded to the blob store) → `submitted`; the
 * country's national point of contact validates (→ `validated`) or declines with a reason
 * (→ `declined`); a hub coordinator approves (→ `approved`: organisation created, head of team
 * invited as org_admin) or rejects with a reason (→ `rejected`). Stakeholders, and CSIRTs of a
 * country that has no point of contact when they apply, go straight to the coordinators (route
 * 'coordinator'). Every step is audited and emails the next actor and the applicant.
 */
import { and, eq, sql } from 'drizzle-orm';
import { userIdOf } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, invalid, notFound, unauthenticated } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { organisations } from '../core/tables.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail, type MailTemplate } from '../mail/render.ts';
import { toLocale } from '../i18n/locales.ts';
import type { BlobStore } from '../blobs/store.ts';
import { assertCountry } from '../orgs/countries.query.ts';
import { isPointOfContact, pocRecipients } from '../orgs/contacts.query.ts';
import { createOrganisation } from '../orgs/organisations.command.ts';
import type { OrgType } from '../orgs/types.ts';
import * as mails from './emails.ts';
import { createInvitation } from './invitations.command.ts';
import { coordinatorRecipients } from './recipients.ts';
import { MANDATE_MAX_BYTES, MANDATE_TYPES, type ApplicationInput, type StakeholderInput } from './schema.ts';
import { applications } from './tables.ts';

export type VettingDeps = { publicUrl: string; blobs: BlobStore };
type App = typeof applications.$inferSelect;

const statusLink = (d: { publicUrl: string }, token: string) => `${d.publicUrl}/apply/status?token=${token}`;
const reviewLink = (d: { publicUrl: string }, id: string) => `${d.publicUrl}/membership/applications/${id}`;

async function storeMandate(blobs: BlobStore, m: NonNullable<StakeholderInput['mandate']>) {
  const contentType = m.contentType.toLowerCase().split(';')[0]!.trim();
  if (!(MANDATE_TYPES as readonly string[]).includes(contentType)) {
    throw new DomainError('unsupported_media_type', 'The mandate must be a PDF, an office document, an image or text', { accepted: MANDATE_TYPES });
  }
  const data = Buffer.from(m.dataBase64, 'base64');
  if (data.length === 0) throw invalid('The mandate document is empty', [{ path: 'mandate.dataBase64', message: 'empty file' }]);
  if (contentType === 'application/pdf' && data.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw invalid('The mandate is not a PDF file', [{ path: 'mandate.dataBase64', message: 'not a PDF' }]);
  }
  const stored = await blobs.put(data, { maxBytes: MANDATE_MAX_BYTES });
  return { mandateSha256: stored.sha256, mandateSize: stored.size, mandateFilename: m.filename, mandateContentType: contentType };
}

async function notifyNext(tx: Tx, deps: VettingDeps, app: App) {
  const vars = { org: app.orgName, country: app.countryCode, link: reviewLink(deps, app.id) };
  const poc = app.route === 'poc' && app.status === 'submitted';
  const to = poc ? await pocRecipients(tx, app.countryCode) : await coordinatorRecipients(tx);
  const tpl = poc ? mails.pocReviewNeeded : mails.coordinatorReviewNeeded;
  for (const r of to) await queueMail(tx, renderMail(tpl, r.locale, vars, r.email, { tag: 'membership.review' }));
}

const tellApplicant = (tx: Tx, app: App, tpl: MailTemplate, vars: Record<string, string>) =>
  queueMail(tx, renderMail(tpl, app.applicantLocale, { org: app.orgName, ...vars }, app.applicantEmail, { tag: 'membership.applicant' }));

export async function submitApplication(db: DbOrTx, deps: VettingDeps, meta: AuditMeta, kind: 'membership' | 'stakeholder', input: ApplicationInput | StakeholderInput) {
  await assertCountry(db, input.countryCode);
  const mandate = input.mandate ? await storeMandate(deps.blobs, input.mandate) : {};
  const token = randomSecret();
  return inTx(db, async (tx) => {
    const hasPoc = kind === 'membership' && (await pocRecipients(tx, input.countryCode)).length > 0;
    const row = {
      id: newId(), kind, route: hasPoc ? 'poc' : 'coordinator', status: 'submitted', orgName: input.orgName, orgType: input.orgType,
      countryCode: input.countryCode, website: input.website ?? null, constituency: input.constituency, headName: input.headName,
      headEmail: input.headEmail, headLocale: input.headLocale ?? input.locale, applicantEmail: input.applicantEmail,
      applicantLocale: input.locale, statusTokenHash: sha256(token), ...mandate,
    };
    const [app] = await tx.insert(applications).values(row).returning();
    const { statusTokenHash: _hidden, ...audited } = row;
    await appendAudit(tx, meta, { action: `${kind}.apply`, targetType: 'application', targetId: row.id, after: audited });
    const next = mails.nextStepText[app!.route as 'poc' | 'coordinator'][toLocale(input.locale)];
    await tellApplicant(tx, app!, mails.applicationReceived, { next, link: statusLink(deps, token) });
    await notifyNext(tx, deps, app!);
    return { id: row.id, kind, status: row.status, route: row.route, statusToken: token, statusUrl: statusLink(deps, token) };
  });
}

async function lockApplication(tx: Tx, id: string): Promise<App> {
  const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
  if (!app) throw notFound('Application');
  return app;
}

const illegal = (app: App, what: string) =>
  new DomainError('invalid_transition', `Cannot ${what} an application that is ${app.status}${app.route === 'coordinator' && what.match(/validate|decline/) ? ' (it goes straight to the coordinators)' : ''}`, { currentStatus: app.status });

/** The national point of contact of the application's country validates or declines it. */
export async function pocDecision(db: DbOrTx, deps: VettingDeps, meta: AuditMeta, id: string, decision: 'validate' | 'decline', reason?: string) {
  const uid = userIdOf(meta.actor);
  if (!uid) throw unauthenticated();
  return inTx(db, async (tx) => {
    const app = await lockApplication(tx, id);
    assertCan(await isPointOfContact(tx, uid, app.countryCode), `Only a national point of contact of ${app.countryCode} decides on this application`);
    if (app.status !== 'submitted' || app.route !== 'poc') throw illegal(app, decision);
    if (decision === 'decline' && !reason) throw invalid('A reason is required', [{ path: 'reason', message: 'give a reason' }]);
    const status = decision === 'validate' ? 'validated' : 'declined';
    const set = { status, pocDecisionBy: uid, pocDecisionAt: new Date(), pocReason: reason ?? null, updatedAt: new Date() };
    const [after] = await tx.update(applications).set(set).where(eq(applications.id, id)).returning();
    await appendAudit(tx, meta, {
      action: `membership.${decision}`, targetType: 'application', targetId: id, before: { status: app.status }, after: { status, reason: reason ?? null },
    });
    const link = `${deps.publicUrl}/apply/status`;
    if (decision === 'validate') {
      await tellApplicant(tx, after!, mails.applicationValidated, { link });
      await notifyNext(tx, deps, after!);
    } else {
      await tellApplicant(tx, after!, mails.applicationDeclined, { reason: reason!, link });
    }
    return { id, status };
  });
}

/** A hub coordinator approves (organisation created, head invited) or rejects. */
export async function coordinatorDecision(db: DbOrTx, deps: VettingDeps, meta: AuditMeta, id: string, decision: 'approve' | 'reject', reason?: string) {
  assertCan(isCoordinator(meta.actor), 'Only a hub coordinator approves or rejects');
  return inTx(db, async (tx) => {
    const app = await lockApplication(tx, id);
    const ready = app.status === 'validated' || (app.status === 'submitted' && app.route === 'coordinator');
    if (!ready) throw illegal(app, decision);
    if (decision === 'reject' && !reason) throw invalid('A reason is required', [{ path: 'reason', message: 'give a reason' }]);
    const status = decision === 'approve' ? 'approved' : 'rejected';
    let orgId: string | null = null;
    if (decision === 'approve') {
      const [dup] = await tx.select({ id: organisations.id }).from(organisations)
        .where(and(sql`lower(${organisations.name}) = lower(${app.orgName})`, eq(organisations.countryCode, app.countryCode)));
      if (dup) throw conflict('An organisation with this name already exists in this country');
      const org = await createOrganisation(tx, meta, {
        name: app.orgName, type: app.orgType as OrgType, countryCode: app.countryCode, website: app.website, description: app.constituency,
      });
      orgId = org.id;
    }
    await tx.update(applications).set({
      status, coordinatorDecisionBy: userIdOf(meta.actor), coordinatorDecisionAt: new Date(), coordinatorReason: reason ?? null, orgId, updatedAt: new Date(),
    }).where(eq(applications.id, id));
    await appendAudit(tx, meta, {
      action: `${app.kind}.${decision}`, targetType: 'application', targetId: id, orgId,
      before: { status: app.status }, after: { status, reason: reason ?? null, orgId },
    });
    const link = `${deps.publicUrl}/apply/status`;
    if (orgId) {
      await createInvitation(tx, deps, meta, {
        orgId, email: app.headEmail, role: 'org_admin', locale: app.headLocale, displayName: app.headName, applicationId: app.id,
      });
      await tellApplicant(tx, app, mails.applicationApproved, { head: app.headName, link });
    } else {
      await tellApplicant(tx, app, mails.applicationRejected, { reason: reason!, link });
    }
    return { id, status, orgId };
  });
}
