/**
 * HTTP for MISP: import (a MISP JSON body, or a URL of an event file or a feed) with a preview
 * that stores nothing; the imported events and a page of an event's attributes; and MISP feeds
 * served per collection (token-authenticated; what the reader may see, through visibleTo).
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Module } from '../../http/app.ts';
import type { AuditMeta } from '../../core/audit.ts';
import { DomainError, invalid, notFound } from '../../core/errors.ts';
import { TLP_LEVELS } from '../../core/tlp.ts';
import { SCOPES } from '../../core/visibility.ts';
import { signDetached } from '../../crypto/platform-key.ts';
import { eventAttributesPage, listMispEvents } from './events.query.ts';
import { buildFeed } from './feed-export.query.ts';
import { importMispEvents, parseMispText, previewEvents, type MispImportOptions } from './import.command.ts';
import { loadMispSource } from './source.ts';

const MAX_BODY = 512 * 1024 * 1024;
const csv = z.string().max(20_000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.string().uuid()).max(500));
const ImportQuery = z.object({
  orgId: z.string().uuid().optional(),
  scope: z.enum(SCOPES).default('org'),
  tlp: z.enum(TLP_LEVELS).default('amber'),
  sharingGroupId: z.string().uuid().optional(),
  scopeOrgIds: csv.optional(),
  preview: z.enum(['true', 'false']).default('false'),
}).strict();
const UrlBody = z.object({ url: z.string().min(8).max(2000), authorization: z.string().max(4000).optional() }).strict();

async function bodyText(req: FastifyRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of req.raw as AsyncIterable<Buffer>) {
    total += c.length;
    if (total > MAX_BODY) throw new DomainError('payload_too_large', `A MISP document may be at most ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function optionsOf(req: FastifyRequest, q: z.infer<typeof ImportQuery>, source: string): MispImportOptions {
  const a = req.actor;
  const orgs = a.kind === 'user' ? a.memberships.map((m) => m.orgId) : [];
  const ownerOrgId = q.orgId ?? (orgs.length === 1 ? orgs[0]! : undefined);
  if (!ownerOrgId) throw invalid('Choose the organisation that shares these events', [{ path: 'orgId', message: 'required when you belong to several organisations (or none)' }]);
  return { ownerOrgId, scope: q.scope, tlpDefault: q.tlp, sharingGroupId: q.sharingGroupId ?? null, scopeOrgIds: q.scopeOrgIds, source };
}

export const mispRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const meta = (req: FastifyRequest): AuditMeta => ({ actor: req.actor, ip: req.ip, requestId: req.id });
  const limits = () => deps.config.feeds;

  app.register(async (child) => {
    child.removeContentTypeParser(['application/json']);
    child.addContentTypeParser(['application/json'], (_req, _payload, done) => done(null, undefined));
    child.post('/api/intel/misp/import', {
      config: { access: { permission: 'authenticated', scope: 'intel:write' } },
      schema: { tags: ['intel'], summary: 'Import MISP events (one, a list or {response: […]}); ?preview=true stores nothing', querystring: ImportQuery },
    }, async (req, reply) => {
      const q = req.query as z.infer<typeof ImportQuery>;
      const o = optionsOf(req, q, 'file');
      const events = parseMispText(await bodyText(req));
      if (q.preview === 'true') return { preview: previewEvents(events, o) };
      const results = await importMispEvents(db, meta(req), events, o);
      return reply.code(results.some((r) => r.stored.added > 0) ? 201 : 200).send({ events: results });
    });
  });

  app.post('/api/intel/misp/import-url', {
    config: { access: { permission: 'authenticated', scope: 'intel:write' } },
    schema: { tags: ['intel'], summary: 'Import a MISP event file or a MISP feed (manifest.json) from an http(s) URL', querystring: ImportQuery, body: UrlBody },
  }, async (req, reply) => {
    const o = optionsOf(req, req.query, 'url');
    const events = await loadMispSource(req.body.url, { limits: limits(), authorization: req.body.authorization });
    if (req.query.preview === 'true') return { preview: previewEvents(events, o) };
    const results = await importMispEvents(db, meta(req), events, o);
    return reply.code(results.some((r) => r.stored.added > 0) ? 201 : 200).send({ events: results });
  });

  app.get('/api/intel/misp/events', {
    config: { access: { permission: 'public', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'Imported MISP events you may see', querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict() },
  }, async (req) => ({ items: await listMispEvents(db, req.actor, req.query.limit) }));

  app.get('/api/intel/misp/events/:uuid/attributes', {
    config: { access: { permission: 'public', scope: 'intel:read' } },
    schema: {
      tags: ['intel'], summary: 'One page of an event\'s attributes (any page in O(page size))',
      params: z.object({ uuid: z.string().uuid() }),
      querystring: z.object({ page: z.coerce.number().int().min(0).max(10_000_000).default(0), size: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    },
  }, async (req) => eventAttributesPage(db, req.actor, req.params.uuid, req.query.page, req.query.size));

  app.get('/api/intel/misp/feeds/:collection/:file', {
    config: { access: { permission: 'public', scope: 'intel:read' } },
    schema: {
      tags: ['intel'], summary: 'A MISP feed of a collection (all, network, public, org-<id>, group-<id>): manifest.json, <uuid>.json, hashes.csv and their .asc',
      params: z.object({ collection: z.string().max(60), file: z.string().regex(/^(manifest\.json|hashes\.csv|[0-9a-f-]{36}\.json)(\.asc)?$/) }),
    },
  }, async (req, reply) => {
    const { collection, file } = req.params;
    const feed = await buildFeed(db, req.actor, collection);
    const name = file.replace(/\.asc$/, '');
    const text = name === 'manifest.json' ? feed.manifest : name === 'hashes.csv' ? feed.hashes : feed.events.get(name.replace(/\.json$/, ''));
    if (text === undefined) throw notFound('Event');
    reply.header('cache-control', 'private, no-store');
    if (file.endsWith('.asc')) return reply.type('application/pgp-signature').send(await signDetached(db, deps.config, text));
    return reply.type(name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8').send(text);
  });
};
