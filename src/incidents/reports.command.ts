/**
 * Incident reports. Members report to a team (form or API); the public reports through a form:
 * the report waits, unread, until the reporter confirms it from the link e-mailed to them, and each
 * IP address may file at most `perHour` public reports an hour (counted in the database, under a
 * per-address lock, so concurrent posts and several nodes share the limit). A public report with no
 * team named is routed by its observables (constituency lookup). The receiving team triages each
 * report into a new (or existing) case, or rejects it with a reason the reporter is told.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import { system, type Actor } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { visibleTo } from '../core/visibility.ts';
import { organisations } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { toLocale } from '../i18n/locales.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { caseLink, createCase, type CaseDeps } from './cases.command.ts';
import { loadCaseFor, assertOwner } from './access.ts';
import { DECISIONS, reportConfirm, reportDecided, reportReceived } from './emails.ts';
import { notify, peopleById, peopleOf } from './notify.ts';
import { routeObservables } from './observables.command.ts';
import { incidentReports } from './tables.ts';
import { autoEntry } from './timeline.ts';
import type { RegionalClass, Severity, Pap } from './taxonomy.ts';
import type { Tlp } from '../core/tlp.ts';

export type ReportDeps = CaseDeps & { perHour: number; confirmHours: number };
const reportLink = (deps: CaseDeps, id: string) => `${deps.publicUrl}/incidents/reports/${id}`;

async function receivingTeam(db: DbOrTx, orgId: string) {
  const [t] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations)
    .where(and(eq(organisations.id, orgId), eq(organisations.networkMember, true)));
  if (!t) throw invalid('Reports go to a team of the network', [{ path: 'toOrgId', message: 'not a team of the network' }]);
  return t;
}

export async function submitMemberReport(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, input: { toOrgId: string; title: string; description: string; classification?: string; tlp: Tlp }) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  const reporterOrgId = a.memberships[0]?.orgId ?? null;
  return inTx(db, async (tx) => {
    const team = await receivingTeam(tx, input.toOrgId);
    const [row] = await tx.insert(incidentReports).values({
      id: newId(), source: 'member', status: 'received', title: input.title, description: input.description, classification: input.classification ?? null,
      reporterEmail: a.email, reporterOrgId, locale: a.locale, tlp: input.tlp, scope: 'org', ownerOrgId: team.id, createdBy: a.userId,
    }).returning();
    await appendAudit(tx, meta, { action: 'incidents.report.submit', targetType: 'incident_report', targetId: row!.id, orgId: team.id, after: { ...row, description: undefined } });
    await notify(tx, await peopleOf(tx, [team.id], { roles: ['org_admin', 'member'] }), { kind: 'report.received', reportId: row!.id },
      { template: reportReceived, vars: { team: team.name }, link: reportLink(deps, row!.id) }, a.userId);
    return row!;
  });
}

export async function submitPublicReport(db: DbOrTx, meta: AuditMeta, deps: ReportDeps, input: { toOrgId?: string; name?: string; email: string; title: string; description: string; classification?: string; locale: string }) {
  const ip = meta.ip ?? 'unknown';
  return inTx(db, async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72246010, hashtext(${ip}))`);
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(incidentReports)
      .where(and(eq(incidentReports.source, 'public'), eq(incidentReports.ip, ip), gt(incidentReports.createdAt, new Date(Date.now() - 3600_000))));
    if ((n?.n ?? 0) >= deps.perHour) throw new DomainError('rate_limited', 'Too many reports from this address; try again later', { retryAfterSeconds: 3600 });
    let toOrgId = input.toOrgId;
    if (!toOrgId) {
      // Route by the report's own observables, as the platform (the reporter never sees the directory through this).
      const routed = await routeObservables(tx, system('incident report routing'), `${input.title}\n${input.description}`);
      toOrgId = routed.flatMap((o) => o.teams)[0]?.orgId;
      if (!toOrgId) throw invalid('Choose the team to report to', [{ path: 'toOrgId', message: 'no team is responsible for what the report mentions; choose one' }]);
    }
    const team = await receivingTeam(tx, toOrgId);
    const token = randomSecret();
    const [row] = await tx.insert(incidentReports).values({
      id: newId(), source: 'public', status: 'unverified', title: input.title, description: input.description, classification: input.classification ?? null,
      reporterName: input.name ?? null, reporterEmail: input.email.toLowerCase(), ip, locale: toLocale(input.locale),
      verifyTokenHash: sha256(token), verifyExpiresAt: new Date(Date.now() + deps.confirmHours * 3600_000),
      tlp: 'amber', scope: 'org', ownerOrgId: team.id, createdBy: null,
    }).returning();
    await appendAudit(tx, meta, { action: 'incidents.report.public_submit', targetType: 'incident_report', targetId: row!.id, orgId: team.id, after: { id: row!.id, toOrgId: team.id, ip } });
    await queueMail(tx, renderMail(reportConfirm, row!.locale, { team: team.name, hours: deps.confirmHours, link: `${deps.publicUrl}/report/confirm#${token}` }, row!.reporterEmail!, { tag: 'incidents.report.confirm' }));
    return { id: row!.id, team: team.name };
  });
}

export async function confirmPublicReport(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, token: string) {
  return inTx(db, async (tx) => {
    const [r] = await tx.select().from(incidentReports).where(eq(incidentReports.verifyTokenHash, sha256(token))).for('update');
    if (!r) throw notFound('Report confirmation');
    if (r.status !== 'unverified') return { id: r.id, status: r.status };
    if (r.verifyExpiresAt && r.verifyExpiresAt < new Date()) throw new DomainError('gone', 'This confirmation link has expired; please report again');
    const [after] = await tx.update(incidentReports).set({ status: 'received', verifiedAt: new Date() }).where(eq(incidentReports.id, r.id)).returning();
    await appendAudit(tx, meta, { action: 'incidents.report.confirm', targetType: 'incident_report', targetId: r.id, orgId: r.ownerOrgId, after: { status: 'received' } });
    const [team] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, r.ownerOrgId!));
    await notify(tx, await peopleOf(tx, [r.ownerOrgId!], { roles: ['org_admin', 'member'] }), { kind: 'report.received', reportId: r.id },
      { template: reportReceived, vars: { team: team?.name ?? '' }, link: reportLink(deps, r.id) });
    return { id: after!.id, status: after!.status };
  });
}

/** Reports the actor may read: its team's (confirmed ones) and its own. */
export function reportReadable(actor: Actor) {
  return and(visibleTo(actor, incidentReports), sql`${incidentReports.status} <> 'unverified'`);
}

export async function loadReportFor(db: DbOrTx, actor: Actor, id: string, lock = false) {
  const q = db.select().from(incidentReports).where(and(eq(incidentReports.id, id), reportReadable(actor)));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw notFound('Report');
  return r;
}

export type TriageInput =
  | { decision: 'case'; title?: string; classification?: string; severity?: string; tlp?: string; pap?: string; existingCaseId?: string }
  | { decision: 'reject'; reason: string };

export async function triageReport(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, id: string, input: TriageInput) {
  const a = meta.actor;
  return inTx(db, async (tx) => {
    const r = await loadReportFor(tx, a, id, true);
    if (a.kind !== 'user' || !a.memberships.some((m) => m.orgId === r.ownerOrgId && m.role !== 'observer')) throw forbidden('The receiving team triages its reports');
    if (r.status !== 'received') throw new DomainError('invalid_transition', `This report is already ${r.status}`, { from: r.status });
    const [team] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, r.ownerOrgId!));
    let caseId: string | null = null;
    if (input.decision === 'case') {
      if (input.existingCaseId) {
        const c = await loadCaseFor(tx, a, input.existingCaseId);
        assertOwner(a, c);
        caseId = c.id;
        await autoEntry(tx, meta, c.id, 'report.merged', { reportId: r.id, title: r.title });
      } else {
        const c = await createCase(tx, meta, deps, {
          title: input.title ?? r.title, description: r.description, classification: (input.classification ?? r.classification ?? 'other') as RegionalClass,
          severity: (input.severity ?? 'medium') as Severity, tlp: (input.tlp ?? r.tlp) as Tlp, pap: (input.pap ?? 'amber') as Pap, ownerOrgId: r.ownerOrgId!, reportId: r.id,
        });
        caseId = c.id;
      }
    }
    const [after] = await tx.update(incidentReports).set({
      status: input.decision === 'case' ? 'triaged' : 'rejected', caseId, rejectReason: input.decision === 'reject' ? input.reason : null, triagedBy: a.userId, triagedAt: new Date(),
    }).where(eq(incidentReports.id, id)).returning();
    await appendAudit(tx, meta, { action: `incidents.report.${input.decision === 'case' ? 'triage' : 'reject'}`, targetType: 'incident_report', targetId: id, orgId: r.ownerOrgId, before: { status: r.status }, after: { status: after!.status, caseId, reason: after!.rejectReason } });
    const locale = toLocale(r.locale);
    const decision = DECISIONS[input.decision === 'case' ? 'case' : 'rejected'][locale];
    const reason = input.decision === 'reject' ? input.reason : '';
    if (r.source === 'public' && r.reporterEmail) {
      await queueMail(tx, renderMail(reportDecided, locale, { team: team?.name ?? '', title: r.title, decision, reason }, r.reporterEmail, { tag: 'incidents.report.decided' }));
    } else if (r.createdBy) {
      const people = await peopleById(tx, [r.createdBy]);
      for (const p of people) {
        const l = toLocale(p.locale);
        await queueMail(tx, renderMail(reportDecided, l, { team: team?.name ?? '', title: r.title, decision: DECISIONS[input.decision === 'case' ? 'case' : 'rejected'][l], reason }, p.email, { tag: 'incidents.report.decided' }));
      }
    }
    return { ...after!, caseLink: caseId ? caseLink(deps, caseId) : null };
  });
}

