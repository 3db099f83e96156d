/** HTTP: incident reports (members and public), cases and their work, observables, exports, assistance, notifications. */
import { z } from 'zod';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { blobStoreFor } from '../blobs/store.ts';
import { notFound } from '../core/errors.ts';
import type { Module } from '../http/app.ts';
import { metaOf } from '../orgs/routes.ts';
import { closeAssistanceRequest, createAssistanceRequest, decideOffer, offerHelp } from './assistance.command.ts';
import { getRequest, listRequests, yearlyStats } from './assistance.query.ts';
import { addAttachment, addNote, addTask, linkCases, readAttachment, updateTask } from './case-work.command.ts';
import { addParticipant, createCase, removeParticipant, transitionCase, updateCase } from './cases.command.ts';
import { getCase, listCases } from './cases.query.ts';
import { exportCaseMisp, exportCaseStix } from './export.ts';
import { extractIntoCase, notifyResponsibleTeams, routeObservables } from './observables.command.ts';
import { confirmPublicReport, loadReportFor, reportReadable, submitMemberReport, submitPublicReport, triageReport } from './reports.command.ts';
import {
  AssistanceInput, CloseAssistanceInput, CreateCaseInput, ExtractInput, LinkInput, MemberReportInput, NoteInput, NotifyTeamsInput, OfferInput,
  ParticipantInput, PublicReportInput, TaskInput, TaskUpdateInput, TransitionInput, TriageInput, UpdateCaseInput,
} from './schema.ts';
import { incidentNotifications, incidentReports } from './tables.ts';
import { pushNoticesOverWs } from './notices.ws.ts';
import { CASE_STATUSES } from './workflow.ts';
import { HELP_KINDS, PAP_LEVELS, REGIONAL_CLASSES, RSIT_VALUES, SEVERITIES, URGENCIES } from './taxonomy.ts';

/** Public reports per IP address and hour; the confirmation link's lifetime. */
export const PUBLIC_REPORTS_PER_HOUR = 5;
export const REPORT_CONFIRM_HOURS = 48;
const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

const Id = z.object({ id: z.string().uuid() });
const Paging = { limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) };

export const incidentRoutes: Module = async (app, deps) => {
  pushNoticesOverWs(app, deps.bus);
  const db = deps.database.db;
  const caseDeps = { publicUrl: deps.config.publicUrl };
  const reportDeps = { ...caseDeps, perHour: PUBLIC_REPORTS_PER_HOUR, confirmHours: REPORT_CONFIRM_HOURS };
  const store = blobStoreFor(deps.config.dataDir);
  const auth = { access: { permission: 'authenticated' as const } };
  const tags = ['incidents'];

  app.get('/api/incidents/taxonomy', { config: { access: { permission: 'public' } }, schema: { tags, summary: 'Classification (regional, RSIT), severities, PAP, help kinds, urgencies, statuses' } },
    async () => ({ regional: REGIONAL_CLASSES, rsit: RSIT_VALUES, severities: SEVERITIES, pap: PAP_LEVELS, helpKinds: HELP_KINDS, urgencies: URGENCIES, statuses: CASE_STATUSES }));

  // ---- reports ---------------------------------------------------------------------------
  app.post('/api/incidents/reports', { config: auth, schema: { tags, summary: 'Report an incident to a team (members)', body: MemberReportInput } },
    async (req, reply) => reply.code(201).send(await submitMemberReport(db, metaOf(req), caseDeps, req.body)));
  app.get('/api/incidents/reports', {
    config: auth, schema: { tags, summary: 'Reports received by my teams, and mine', querystring: z.object({ status: z.enum(['received', 'triaged', 'rejected']).optional(), ...Paging }).strict() },
  }, async (req) => ({
    items: await db.select({
      id: incidentReports.id, source: incidentReports.source, status: incidentReports.status, title: incidentReports.title, classification: incidentReports.classification,
      ownerOrgId: incidentReports.ownerOrgId, caseId: incidentReports.caseId, createdAt: incidentReports.createdAt, tlp: incidentReports.tlp,
    }).from(incidentReports).where(and(reportReadable(req.actor), req.query.status ? eq(incidentReports.status, req.query.status) : undefined))
      .orderBy(desc(incidentReports.createdAt)).limit(req.query.limit).offset(req.query.offset),
  }));
  app.get('/api/incidents/reports/:id', { config: auth, schema: { tags, summary: 'One report', params: Id } }, async (req) => {
    const { verifyTokenHash: _h, ip: _ip, ...r } = await loadReportFor(db, req.actor, req.params.id);
    return r;
  });
  app.post('/api/incidents/reports/:id/triage', { config: auth, schema: { tags, summary: 'Triage: make (or merge into) a case, or reject with a reason', params: Id, body: TriageInput } },
    async (req) => triageReport(db, metaOf(req), caseDeps, req.params.id, req.body));
  app.post('/api/public/incident-reports', {
    config: { access: { permission: 'public' } }, schema: { tags: ['public'], summary: 'Report an incident (public; confirmed by e-mail; limited per address)', body: PublicReportInput },
  }, async (req, reply) => reply.code(202).send(await submitPublicReport(db, metaOf(req), reportDeps, req.body)));
  app.post('/api/public/incident-reports/confirm', {
    config: { access: { permission: 'public' } }, schema: { tags: ['public'], summary: 'Confirm a public report with the e-mailed token', body: z.object({ token: z.string().min(10).max(200) }).strict() },
  }, async (req) => confirmPublicReport(db, metaOf(req), caseDeps, req.body.token));

  // ---- cases -----------------------------------------------------------------------------
  app.get('/api/incidents/cases', {
    config: auth, schema: { tags, summary: 'Cases I may read', querystring: z.object({
      status: z.enum(CASE_STATUSES).optional(), open: z.enum(['true', 'false']).optional().describe('true: only cases not closed (new, open, contained)'),
      q: z.string().trim().max(200).optional(), ...Paging,
    }).strict() },
  }, async (req) => ({ items: await listCases(db, req.actor, { ...req.query, open: req.query.open === 'true' }) }));
  app.post('/api/incidents/cases', { config: auth, schema: { tags, summary: 'Open a case (with its channel)', body: CreateCaseInput } },
    async (req, reply) => reply.code(201).send(await createCase(db, metaOf(req), caseDeps, req.body)));
  app.get('/api/incidents/cases/:id', { config: auth, schema: { tags, summary: 'A case with what it shares with me', params: Id } },
    async (req) => getCase(db, req.actor, req.params.id));
  app.patch('/api/incidents/cases/:id', { config: auth, schema: { tags, summary: 'Change fields (owner)', params: Id, body: UpdateCaseInput } },
    async (req) => updateCase(db, metaOf(req), caseDeps, req.params.id, req.body));
  app.post('/api/incidents/cases/:id/transition', { config: auth, schema: { tags, summary: 'Workflow: open, contain, resolve, reject, mark_duplicate, reopen', params: Id, body: TransitionInput } },
    async (req) => transitionCase(db, metaOf(req), req.params.id, req.body.action, req.body));
  app.post('/api/incidents/cases/:id/participants', { config: auth, schema: { tags, summary: 'Add a participating organisation', params: Id, body: ParticipantInput } },
    async (req) => addParticipant(db, metaOf(req), caseDeps, req.params.id, req.body));
  app.delete('/api/incidents/cases/:id/participants/:orgId', {
    config: auth, schema: { tags, summary: 'Remove a participating organisation', params: z.object({ id: z.string().uuid(), orgId: z.string().uuid() }) },
  }, async (req) => removeParticipant(db, metaOf(req), req.params.id, req.params.orgId));
  app.post('/api/incidents/cases/:id/notes', { config: auth, schema: { tags, summary: 'Add a timeline note', params: Id, body: NoteInput } },
    async (req, reply) => reply.code(201).send(await addNote(db, metaOf(req), req.params.id, req.body)));
  app.post('/api/incidents/cases/:id/tasks', { config: auth, schema: { tags, summary: 'Add a task', params: Id, body: TaskInput } },
    async (req, reply) => reply.code(201).send(await addTask(db, metaOf(req), req.params.id, req.body)));
  app.patch('/api/incidents/cases/:id/tasks/:taskId', {
    config: auth, schema: { tags, summary: 'Complete or change a task', params: z.object({ id: z.string().uuid(), taskId: z.string().uuid() }), body: TaskUpdateInput },
  }, async (req) => updateTask(db, metaOf(req), req.params.id, req.params.taskId, req.body));
  app.post('/api/incidents/cases/:id/links', { config: auth, schema: { tags, summary: 'Link to another case', params: Id, body: LinkInput } },
    async (req, reply) => reply.code(201).send(await linkCases(db, metaOf(req), req.params.id, req.body)));
  app.post('/api/incidents/cases/:id/observables', { config: auth, schema: { tags, summary: 'Extract observables from text (defanged forms too) and route them', params: Id, body: ExtractInput } },
    async (req) => extractIntoCase(db, metaOf(req), req.params.id, req.body.text));
  app.post('/api/incidents/cases/:id/notify-teams', { config: auth, schema: { tags, summary: 'Notify teams responsible for the observables', params: Id, body: NotifyTeamsInput } },
    async (req) => notifyResponsibleTeams(db, metaOf(req), caseDeps, req.params.id, req.body.orgIds));
  app.post('/api/incidents/observables/extract', { config: auth, schema: { tags, summary: 'Extract and route observables from text (nothing stored)', body: ExtractInput } },
    async (req) => ({ observables: await routeObservables(db, req.actor, req.body.text) }));

  app.get('/api/incidents/cases/:id/export/misp', { config: auth, schema: { tags, summary: 'The case as a MISP event (refused for PAP:RED)', params: Id } }, async (req, reply) => {
    const e = await exportCaseMisp(db, req.actor, req.params.id);
    return reply.type('application/json').header('content-disposition', `attachment; filename="${e.filename}"`).send(e.json);
  });
  app.get('/api/incidents/cases/:id/export/stix', { config: auth, schema: { tags, summary: 'The case as a STIX 2.1 bundle (refused for PAP:RED)', params: Id } }, async (req, reply) => {
    const e = await exportCaseStix(db, req.actor, req.params.id);
    return reply.type('application/stix+json;version=2.1').header('content-disposition', `attachment; filename="${e.filename}"`).send(JSON.stringify(e.json));
  });

  await app.register(async (scoped) => {
    scoped.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES + 1 }, (_req, body, done) => done(null, body));
    scoped.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>().post('/api/incidents/cases/:id/attachments', {
      config: auth, bodyLimit: ATTACHMENT_MAX_BYTES + 1,
      schema: { tags, summary: 'Attach a file (application/octet-stream)', params: Id, querystring: z.object({ filename: z.string().min(1).max(200), internal: z.enum(['true', 'false']).default('false') }).strict() },
    }, async (req, reply) => {
      const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.code(201).send(await addAttachment(db, store, metaOf(req), req.params.id, {
        filename: req.query.filename, contentType: 'application/octet-stream', data, internal: req.query.internal === 'true', maxBytes: ATTACHMENT_MAX_BYTES,
      }));
    });
  });
  app.get('/api/incidents/cases/:id/attachments/:attachmentId', {
    config: auth, schema: { tags, summary: 'Download an attachment', params: z.object({ id: z.string().uuid(), attachmentId: z.string().uuid() }) },
  }, async (req, reply) => {
    const a = await readAttachment(db, store, metaOf(req), req.params.id, req.params.attachmentId);
    return reply.header('content-type', 'application/octet-stream').header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.meta.filename)}`).send(a.data);
  });

  // ---- assistance --------------------------------------------------------------------------
  app.get('/api/incidents/assistance', {
    config: auth, schema: { tags, summary: 'Assistance requests I may read', querystring: z.object({ status: z.enum(['open', 'in_progress', 'closed', 'withdrawn']).optional(), ...Paging }).strict() },
  }, async (req) => ({ items: await listRequests(db, req.actor, req.query) }));
  app.post('/api/incidents/assistance', { config: auth, schema: { tags, summary: 'Ask the network for help (opens a case)', body: AssistanceInput } },
    async (req, reply) => reply.code(201).send(await createAssistanceRequest(db, metaOf(req), caseDeps, req.body)));
  app.get('/api/incidents/assistance/:id', { config: auth, schema: { tags, summary: 'One request with offers and timers', params: Id } },
    async (req) => getRequest(db, req.actor, req.params.id));
  app.post('/api/incidents/assistance/:id/offers', { config: auth, schema: { tags, summary: 'Offer help (network teams)', params: Id, body: OfferInput } },
    async (req, reply) => reply.code(201).send(await offerHelp(db, metaOf(req), caseDeps, req.params.id, req.body)));
  app.post('/api/incidents/assistance/:id/offers/:offerId/:decision', {
    config: auth, schema: { tags, summary: 'Accept (helper joins the case and channel) or decline an offer', params: z.object({ id: z.string().uuid(), offerId: z.string().uuid(), decision: z.enum(['accept', 'decline']) }) },
  }, async (req) => decideOffer(db, metaOf(req), caseDeps, req.params.id, req.params.offerId, req.params.decision));
  app.post('/api/incidents/assistance/:id/close', { config: auth, schema: { tags, summary: 'Close with lessons learned and a rating', params: Id, body: CloseAssistanceInput } },
    async (req) => closeAssistanceRequest(db, metaOf(req), caseDeps, req.params.id, req.body));
  app.get('/api/incidents/assistance-stats', {
    config: { access: { permission: 'coordinator' } }, schema: { tags, summary: 'Yearly statistics per country (hub)', querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict() },
  }, async (req) => yearlyStats(db, req.query.year));

  // ---- notifications -----------------------------------------------------------------------
  app.get('/api/incidents/notifications', { config: auth, schema: { tags, summary: 'My incident notifications (newest first)' } }, async (req) => {
    if (req.actor.kind !== 'user') return { items: [] };
    const items = await db.select().from(incidentNotifications).where(eq(incidentNotifications.userId, req.actor.userId)).orderBy(desc(incidentNotifications.createdAt)).limit(100);
    return { items, unread: items.filter((n) => !n.readAt).length };
  });
  app.post('/api/incidents/notifications/read', { config: auth, schema: { tags, summary: 'Mark all my incident notifications read' } }, async (req) => {
    if (req.actor.kind !== 'user') throw notFound('Notifications');
    const r = await db.update(incidentNotifications).set({ readAt: new Date() })
      .where(and(eq(incidentNotifications.userId, req.actor.userId), isNull(incidentNotifications.readAt))).returning({ id: incidentNotifications.id });
    return { read: r.length };
  });
};
