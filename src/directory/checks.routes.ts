/** HTTP: sharing groups, contact checks (start, report, answer, schedules), directory notices, stale entries. */
import { z } from 'zod';
import type { Module } from '../http/app.ts';
import { metaOf } from '../orgs/routes.ts';
import { answerAsUser, answerByToken, createSchedule, deleteSchedule, startCheck } from './contact-checks.command.ts';
import { checkReport, listChecks, listSchedules, myNotices, requestByToken } from './contact-checks.query.ts';
import { startDirectoryJobs } from './jobs.ts';
import { listTeams } from './profile.query.ts';
import { CheckScope, SharingGroupInput } from './schema.ts';
import { addGroupMember, createGroup, deleteGroup, removeGroupMember, updateGroup } from './sharing-groups.command.ts';
import { getGroup, listGroups } from './sharing-groups.query.ts';
import { isCoordinator, assertCan } from '../core/policy.ts';

const Id = z.object({ id: z.string().uuid() });
const Token = z.object({ token: z.string().min(20).max(200) }).strict();

export const checkRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const d = deps.config.directory;
  const checkDeps = { publicUrl: deps.config.publicUrl, deadlineDays: d.checkDeadlineDays };

  app.get('/api/sharing-groups', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['sharing-groups'], summary: 'Sharing groups the caller belongs to (coordinators: all)' },
  }, async (req) => ({ items: await listGroups(db, req.actor) }));
  app.get('/api/sharing-groups/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['sharing-groups'], summary: 'One sharing group with its members', params: Id },
  }, async (req) => getGroup(db, req.actor, req.params.id));
  app.post('/api/sharing-groups', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['sharing-groups'], summary: 'Create a sharing group (coordinators)', body: SharingGroupInput },
  }, async (req, reply) => reply.code(201).send(await createGroup(db, metaOf(req), req.body)));
  app.patch('/api/sharing-groups/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['sharing-groups'], summary: 'Edit a group (coordinators, owner admins)', params: Id, body: SharingGroupInput.partial().strict() },
  }, async (req) => updateGroup(db, metaOf(req), req.params.id, req.body));
  app.delete('/api/sharing-groups/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['sharing-groups'], summary: 'Delete a group (coordinators, owner admins)', params: Id },
  }, async (req, reply) => {
    await deleteGroup(db, metaOf(req), req.params.id);
    return reply.code(204).send();
  });
  app.post('/api/sharing-groups/:id/members', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['sharing-groups'], summary: 'Add a member organisation', params: Id, body: z.object({ orgId: z.string().uuid() }).strict() },
  }, async (req, reply) => {
    await addGroupMember(db, metaOf(req), req.params.id, req.body.orgId);
    return reply.code(201).send(await getGroup(db, req.actor, req.params.id));
  });
  app.delete('/api/sharing-groups/:id/members/:orgId', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['sharing-groups'], summary: 'Remove a member organisation', params: Id.extend({ orgId: z.string().uuid() }) },
  }, async (req, reply) => {
    await removeGroupMember(db, metaOf(req), req.params.id, req.params.orgId);
    return reply.code(204).send();
  });

  app.post('/api/directory/contact-checks', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: 'Start a contact check for all teams or a sharing group (coordinators)', body: CheckScope },
  }, async (req, reply) => reply.code(201).send(await startCheck(db, checkDeps, metaOf(req), req.body)));
  app.get('/api/directory/contact-checks', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: 'Contact checks with answer counts' },
  }, async (req) => ({ items: await listChecks(db, req.actor) }));
  app.get('/api/directory/contact-checks/:id', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: 'Report of a check: per team and contact, and the unreachable teams', params: Id },
  }, async (req) => checkReport(db, req.actor, req.params.id));
  app.get('/api/directory/verify', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['directory'], summary: 'What an emailed confirmation link is about', querystring: Token },
  }, async (req) => requestByToken(db, req.query.token));
  app.post('/api/directory/verify', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['directory'], summary: 'Confirm a contact is reachable (the emailed link)', body: Token },
  }, async (req) => answerByToken(db, metaOf(req), req.body.token));
  app.post('/api/directory/contact-check-requests/:id/confirm', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Confirm in the app, as the user the request was sent to', params: Id, body: z.object({}).strict().optional() },
  }, async (req) => answerAsUser(db, metaOf(req), req.params.id));
  app.get('/api/directory/notices', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: "The caller's directory notices", querystring: z.object({ unread: z.enum(['true', 'false']).optional() }).strict() },
  }, async (req) => ({ items: await myNotices(db, req.actor, { unreadOnly: req.query.unread === 'true' }) }));

  const ScheduleInput = z.object({
    scope: z.enum(['all', 'group']), sharingGroupId: z.string().uuid().optional(), everyMonths: z.number().int().min(1).max(24),
    firstRunAt: z.coerce.date().optional(),
  }).strict().refine((b) => (b.scope === 'group') === !!b.sharingGroupId, { message: 'sharingGroupId is required for scope group, and only then' });
  app.get('/api/directory/contact-check-schedules', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: 'Scheduled contact checks' },
  }, async (req) => ({ items: await listSchedules(db, req.actor) }));
  app.post('/api/directory/contact-check-schedules', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: 'Schedule a recurring contact check (e.g. every 3 months)', body: ScheduleInput },
  }, async (req, reply) => reply.code(201).send(await createSchedule(db, metaOf(req), req.body)));
  app.delete('/api/directory/contact-check-schedules/:id', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: 'Remove a schedule', params: Id },
  }, async (req, reply) => {
    await deleteSchedule(db, metaOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/directory/stale', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['directory'], summary: `Entries not re-confirmed within ${d.reconfirmMonths} months (the hub's view)` },
  }, async (req) => {
    assertCan(isCoordinator(req.actor));
    return { reconfirmMonths: d.reconfirmMonths, items: await listTeams(db, req.actor, { stale: true }, { reconfirmMonths: d.reconfirmMonths }) };
  });

  if (deps.config.workers) {
    const stop = startDirectoryJobs(db, { ...checkDeps, reconfirmMonths: d.reconfirmMonths }, d.jobsIntervalSeconds * 1000,
      (err) => deps.logger.warn({ err: (err as Error)?.message }, 'directory jobs failed'));
    app.addHook('onClose', async () => stop());
  }
};
