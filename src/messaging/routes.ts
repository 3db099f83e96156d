/** HTTP + WebSocket wiring of messaging: parse, call the command or query, present. */
import { z } from 'zod';
import type { Module } from '../http/app.ts';
import { metaOf } from '../orgs/routes.ts';
import { TLP_LEVELS } from '../core/tlp.ts';
import { blobStoreFor } from '../blobs/store.ts';
import { CHANNEL_KINDS, createChannel, inviteToChannel, joinChannel, removeFromChannel, setFollow } from './channels.command.ts';
import { deleteMessage, editMessage, markRead, postMessage } from './messages.command.ts';
import { channelHistory, channelMembersOf, editHistory, listChannels, searchMessages, toDtos } from './messages.query.ts';
import { markUrgent } from './urgent.command.ts';
import { readAttachment, uploadAttachment } from './attachments.ts';
import { DIGEST_FREQUENCIES, getPrefs, runDigests, setDigestFrequency } from './digest.job.ts';
import { RealtimeHub } from './hub.ts';

const Id = z.object({ id: z.string().uuid() });
const Uuids = z.array(z.string().uuid()).max(200);
const Body = z.string().trim().min(1).max(20_000);
const tags = ['messaging'];

export const messagingRoutes: Module = async (app, deps) => {
  const db = deps.database.db;
  const { config } = deps;
  const store = blobStoreFor(config.dataDir);
  const urgentSettings = { ...config, publicUrl: config.publicUrl };

  const hub = new RealtimeHub(db, deps.bus, deps.logger);
  app.decorate('messagingHub', hub);
  app.wsExtensions.push((conn) => hub.connect(conn));
  let digestTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await hub.start();
    if (config.workers) {
      digestTimer = setInterval(() => {
        runDigests(db, config).catch((err) => deps.logger.warn({ err: (err as Error).message }, 'messaging digest run failed'));
      }, config.messaging.digestTickSeconds * 1000);
      digestTimer.unref();
    }
  });
  app.addHook('onClose', async () => {
    clearInterval(digestTimer);
    await hub.stop();
  });

  const auth = { access: { permission: 'authenticated' as const } };

  app.get('/api/messaging/channels', { config: auth, schema: { tags, summary: 'Channels I may enter, with unread counts' } },
    async (req) => ({ items: await listChannels(db, req.actor) }));

  app.post('/api/messaging/channels', {
    config: auth,
    schema: {
      tags, summary: 'Open a channel (network, sharing group, bilateral, organisation, case/exercise context)',
      body: z.object({
        kind: z.enum(CHANNEL_KINDS), name: z.string().trim().min(1).max(120), topic: z.string().max(500).optional(),
        access: z.enum(['open', 'invite']).optional(), defaultTlp: z.enum(['clear', 'green', 'amber', 'amber+strict']),
        orgId: z.string().uuid().optional(), otherOrgId: z.string().uuid().optional(), orgIds: Uuids.optional(),
        sharingGroupId: z.string().uuid().optional(),
        contextType: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/).optional(), contextId: z.string().min(1).max(200).optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.code(201).send(await createChannel(db, metaOf(req), req.body)));

  app.get('/api/messaging/channels/:id/members', { config: auth, schema: { tags, summary: 'People in a channel', params: Id } },
    async (req) => ({ items: await channelMembersOf(db, req.actor, req.params.id) }));

  app.post('/api/messaging/channels/:id/join', { config: auth, schema: { tags, summary: 'Join an open channel', params: Id } },
    async (req) => joinChannel(db, metaOf(req), req.params.id));

  app.post('/api/messaging/channels/:id/members', {
    config: auth, schema: { tags, summary: 'Add a person (owners, team leads, coordinators)', params: Id, body: z.object({ userId: z.string().uuid() }).strict() },
  }, async (req, reply) => reply.code(201).send(await inviteToChannel(db, metaOf(req), req.params.id, req.body.userId)));

  app.delete('/api/messaging/channels/:id/members/:userId', {
    config: auth, schema: { tags, summary: 'Leave, or remove a person', params: z.object({ id: z.string().uuid(), userId: z.string().uuid() }) },
  }, async (req, reply) => {
    await removeFromChannel(db, metaOf(req), req.params.id, req.params.userId);
    return reply.code(204).send();
  });

  app.put('/api/messaging/channels/:id/follow', {
    config: auth, schema: { tags, summary: 'Follow (digest) or unfollow', params: Id, body: z.object({ follow: z.boolean() }).strict() },
  }, async (req, reply) => {
    await setFollow(db, req.actor, req.params.id, req.body.follow);
    return reply.code(204).send();
  });

  app.post('/api/messaging/channels/:id/read', {
    config: auth, schema: { tags, summary: 'Move my read marker', params: Id, body: z.object({ seq: z.number().int().min(0) }).strict() },
  }, async (req, reply) => {
    await markRead(db, req.actor, req.params.id, req.body.seq);
    return reply.code(204).send();
  });

  app.get('/api/messaging/channels/:id/messages', {
    config: auth,
    schema: {
      tags, summary: 'History, newest first (keyset by seq); one thread with ?thread=', params: Id,
      querystring: z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), thread: z.string().uuid().optional() }).strict(),
    },
  }, async (req) => channelHistory(db, req.actor, req.params.id, { before: req.query.before, limit: req.query.limit, threadRootId: req.query.thread }));

  app.post('/api/messaging/channels/:id/messages', {
    config: auth,
    schema: {
      tags, summary: 'Post a message (Markdown; TLP at least the channel default; RED names recipients)', params: Id,
      body: z.object({
        body: Body, tlp: z.enum(TLP_LEVELS).optional(), recipientUserIds: Uuids.optional(), replyToId: z.string().uuid().optional(),
        mentionUserIds: Uuids.optional(), mentionOrgIds: Uuids.optional(), attachmentIds: z.array(z.string().uuid()).max(20).optional(),
        lang: z.enum(['en', 'es', 'pt', 'fr']).optional(),
      }).strict(),
    },
  }, async (req, reply) => {
    const { dto } = await postMessage(db, metaOf(req), { channelId: req.params.id, ...req.body });
    return reply.code(201).send(dto);
  });

  app.patch('/api/messaging/messages/:id', {
    config: auth, schema: { tags, summary: 'Edit my message (the previous text is kept in its history)', params: Id, body: z.object({ body: Body }).strict() },
  }, async (req) => (await toDtos(db, [await editMessage(db, metaOf(req), req.params.id, req.body.body)]))[0]);

  app.delete('/api/messaging/messages/:id', { config: auth, schema: { tags, summary: 'Delete (leaves an audited tombstone)', params: Id } },
    async (req, reply) => {
      await deleteMessage(db, metaOf(req), req.params.id);
      return reply.code(204).send();
    });

  app.get('/api/messaging/messages/:id/edits', { config: auth, schema: { tags, summary: 'Earlier versions of a message', params: Id } },
    async (req) => ({ items: await editHistory(db, req.actor, req.params.id) }));

  app.post('/api/messaging/messages/:id/urgent', {
    config: auth, schema: { tags, summary: 'Mark urgent: alert the 24/7 contacts of the channel’s teams by email (team leads, coordinators)', params: Id },
  }, async (req) => {
    const r = await markUrgent(db, metaOf(req), urgentSettings, req.params.id);
    return { alerted: r.alerted };
  });

  app.get('/api/messaging/search', {
    config: auth,
    schema: {
      tags, summary: 'Full-text search (en/es/pt/fr) over messages I may read',
      querystring: z.object({ q: z.string().trim().min(1).max(200), channelId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }).strict(),
    },
  }, async (req) => ({ items: await searchMessages(db, req.actor, req.query.q, { channelId: req.query.channelId, limit: req.query.limit }) }));

  app.get('/api/messaging/prefs', { config: auth, schema: { tags, summary: 'My messaging preferences' } }, async (req) => getPrefs(db, req.actor));
  app.put('/api/messaging/prefs', {
    config: auth, schema: { tags, summary: 'Set my digest frequency', body: z.object({ digest: z.enum(DIGEST_FREQUENCIES) }).strict() },
  }, async (req) => {
    await setDigestFrequency(db, req.actor, req.body.digest);
    return getPrefs(db, req.actor);
  });

  // Attachments: raw bytes in, sniffed type, served as a download with nosniff.
  await app.register(async (scoped) => {
    scoped.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: config.messaging.attachmentMaxBytes + 1 },
      (_req, body, done) => done(null, body));
    scoped.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>().post('/api/messaging/attachments', {
      config: auth, bodyLimit: config.messaging.attachmentMaxBytes + 1,
      schema: { tags, summary: 'Upload an attachment (application/octet-stream), then name it in a message', querystring: z.object({ filename: z.string().min(1).max(200) }).strict() },
    }, async (req, reply) => {
      const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.code(201).send(await uploadAttachment(db, store, req.actor, { filename: req.query.filename, data, maxBytes: config.messaging.attachmentMaxBytes }));
    });
  });

  app.get('/api/messaging/attachments/:id', { config: auth, schema: { tags, summary: 'Download an attachment (only if I may read its message)', params: Id } },
    async (req, reply) => {
      const a = await readAttachment(db, store, req.actor, req.params.id);
      return reply
        .header('content-type', a.contentType)
        .header('content-disposition', `attachment; filename="${a.filename}"; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(a.data);
    });
};

declare module 'fastify' {
  interface FastifyInstance {
    messagingHub: RealtimeHub;
  }
}
