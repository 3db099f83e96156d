/**
 * HTTP for remote feed subscriptions (list with status, create, pull now, enable/disable, delete)
 * and, when workers run, the scheduler that pulls feeds when due (each feed on its own: one
 * failing feed never stops the others).
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Module } from '../../http/app.ts';
import type { AuditMeta } from '../../core/audit.ts';
import { TLP_LEVELS } from '../../core/tlp.ts';
import { SCOPES } from '../../core/visibility.ts';
import { secretBoxFor } from '../../crypto/secret-box.ts';
import { createFeed, deleteFeed, getFeed, listFeeds, setFeedEnabled, assertManagesFeeds } from './feeds.command.ts';
import { dueFeeds, pullFeed } from './pull.command.ts';

const FeedBody = z.object({
  orgId: z.string().uuid(),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['taxii', 'misp']),
  url: z.string().min(8).max(2000),
  authorization: z.string().max(4000).optional(),
  tlpDefault: z.enum(TLP_LEVELS).default('amber'),
  scope: z.enum(SCOPES).default('org'),
  sharingGroupId: z.string().uuid().optional(),
  scopeOrgIds: z.array(z.string().uuid()).max(500).optional(),
  intervalMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
}).strict();
const Id = z.object({ id: z.string().uuid() });

export const feedRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const secrets = secretBoxFor(deps.config);
  const meta = (req: FastifyRequest): AuditMeta => ({ actor: req.actor, ip: req.ip, requestId: req.id });
  const access = { permission: 'authenticated' as const, scope: 'intel:write' as const };

  app.get('/api/intel/feeds', {
    config: { access: { permission: 'authenticated', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'Feed subscriptions of your organisations, with their status' },
  }, async (req) => ({ items: await listFeeds(db, req.actor) }));

  app.post('/api/intel/feeds', {
    config: { access }, schema: { tags: ['intel'], summary: 'Subscribe to a TAXII 2.1 collection or a MISP feed', body: FeedBody },
  }, async (req, reply) => reply.code(201).send(await createFeed(db, secrets, meta(req), req.body)));

  app.post('/api/intel/feeds/:id/pull', {
    config: { access }, schema: { tags: ['intel'], summary: 'Pull a feed now', params: Id },
  }, async (req) => {
    const f = await getFeed(db, req.actor, req.params.id);
    assertManagesFeeds(req.actor, f.orgId);
    const outcome = await pullFeed(db, secrets, f.id, deps.config.feeds);
    return { outcome, feed: await getFeed(db, req.actor, f.id) };
  });

  app.patch('/api/intel/feeds/:id', {
    config: { access }, schema: { tags: ['intel'], summary: 'Enable or disable a feed', params: Id, body: z.object({ enabled: z.boolean() }).strict() },
  }, async (req) => setFeedEnabled(db, meta(req), req.params.id, req.body.enabled));

  app.delete('/api/intel/feeds/:id', {
    config: { access }, schema: { tags: ['intel'], summary: 'Delete a feed subscription', params: Id },
  }, async (req, reply) => {
    await deleteFeed(db, meta(req), req.params.id);
    return reply.code(204).send();
  });

  if (deps.config.workers) {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        for (const id of await dueFeeds(db)) {
          try {
            await pullFeed(db, secrets, id, deps.config.feeds);
          } catch (err) {
            deps.logger.warn({ feedId: id, err: (err as Error).message }, 'feed pull failed');
          }
        }
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'feed scheduler tick failed');
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), deps.config.feeds.tickSeconds * 1000);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 50));
    });
  }
};
