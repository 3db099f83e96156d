import path from 'node:path';
import { z } from 'zod';
import type { Module } from '../http/app.ts';
import { queryAudit, verifyAudit } from '../core/audit.ts';
import { outboxStats } from '../core/outbox.ts';
import { notFound } from '../core/errors.ts';
import { listOutboxMail, readOutboxMail } from '../mail/mailer.ts';

const admin = { access: { permission: 'admin' as const, scope: 'admin' as const } };

export const AuditQuery = z.object({
  actorId: z.string().uuid().optional(),
  orgId: z.string().uuid().optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
}).strict();

export const adminRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const outboxDir = path.join(deps.config.dataDir, 'outbox');

  app.get('/api/admin/audit', {
    config: admin,
    schema: { tags: ['admin'], summary: 'The audit log, newest first, with filters and keyset paging', querystring: AuditQuery },
  }, async (req) => queryAudit(db, req.query));

  app.post('/api/admin/audit/verify', {
    config: admin,
    schema: { tags: ['admin'], summary: 'Verify the hash chain of the whole audit log' },
  }, async () => verifyAudit(db));

  app.get('/api/admin/outbox', {
    config: admin,
    schema: { tags: ['admin'], summary: 'Outbox events by topic and status' },
  }, async () => ({ stats: await outboxStats(db) }));

  app.get('/api/admin/mail', {
    config: admin,
    schema: {
      tags: ['admin'], summary: 'Mail written to the local outbox (when no SMTP_URL is set)',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    },
  }, async (req) => ({ smtp: !!deps.config.smtpUrl, items: listOutboxMail(outboxDir, req.query.limit) }));

  app.get('/api/admin/mail/:id', {
    config: admin,
    schema: { tags: ['admin'], summary: 'One message of the local outbox, as message/rfc822', params: z.object({ id: z.string().uuid() }) },
  }, async (req, reply) => {
    const raw = readOutboxMail(outboxDir, req.params.id);
    if (!raw) throw notFound('Message');
    return reply.type('message/rfc822').send(raw);
  });
};
