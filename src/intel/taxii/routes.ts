/**
 * TAXII 2.1 server (OASIS TAXII 2.1, sections 4 and 5) under /taxii2/: discovery, one API root,
 * collections per sharing scope, objects (GET/POST), one object, its versions, the manifest,
 * DELETE and status resources. Parses, calls and presents only: reads go through the store's
 * read functions (which filter with `visibleTo`), writes through its streaming ingest.
 * Authentication: API tokens with the `taxii` scope (HTTP Basic with the token as password, or
 * Bearer); writing also needs `intel:write`.
 */
import { z } from 'zod';
import type { Module, ZodApp } from '../../http/app.ts';
import { DomainError } from '../../core/errors.ts';
import type { RouteAccess } from '../../core/policy.ts';
import { ingestBundle } from '../ingest.command.ts';
import { getObjectVersions, listObjects, manifest, type Page, type StoredObject } from '../objects.query.ts';
import { indexNewObjects } from '../correlation/index.command.ts';
import { assertWritable, getCollection, listCollections, presentCollection } from './collections.ts';
import { deleteObject } from './delete.command.ts';
import { parseTaxiiFilter, taxiiQuery } from './filters.ts';
import { assertAcceptable, assertTaxiiContentType, TAXII_MEDIA_TYPE } from './media.ts';
import { getStatus, presentStatus, recordStatus } from './status.command.ts';
import { envelopeAsBundle, limitBytes } from './envelope.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const API_ROOT = 'hemisphere';
const access: RouteAccess = { permission: 'authenticated', scope: 'taxii' };
const config = { access, errorFormat: 'taxii' as const };
const collectionParams = z.object({ collectionId: z.string().max(100) });
const objectParams = z.object({ collectionId: z.string().max(100), objectId: z.string().max(300) });

function send(reply: FastifyReply, status: number, body: unknown, page?: { dateAddedFirst: string | null; dateAddedLast: string | null }) {
  if (page?.dateAddedFirst) reply.header('X-TAXII-Date-Added-First', page.dateAddedFirst);
  if (page?.dateAddedLast) reply.header('X-TAXII-Date-Added-Last', page.dateAddedLast);
  return reply.code(status).type(TAXII_MEDIA_TYPE).send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The envelope (section 3.7) with each object's original JSON text, verbatim. */
function envelope(page: Page<StoredObject>): string {
  return `{"more":${page.more}${page.next ? `,"next":${JSON.stringify(page.next)}` : ''},"objects":[${page.items.map((o) => o.raw).join(',')}]}`;
}

const meta = (req: FastifyRequest) => ({ actor: req.actor, ip: req.ip, requestId: req.id });

async function taxiiScope(app: ZodApp, maxContentLength: number, publicUrl: string): Promise<void> {
  app.addContentTypeParser('application/taxii+json', (_req, payload, done) => done(null, payload));
  app.addHook('onRequest', async (req) => {
    if (!req.routeOptions.config?.access) return;
    assertAcceptable(req.headers.accept);
    if (req.method === 'POST') {
      assertTaxiiContentType(req.headers['content-type']);
      const len = Number(req.headers['content-length'] ?? 0);
      if (len > maxContentLength) throw new DomainError('payload_too_large', `The body exceeds max_content_length (${maxContentLength} bytes)`);
    }
  });
  // Every response, errors included, carries exactly the TAXII media type (fastify would add a charset).
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-type', TAXII_MEDIA_TYPE);
    return payload;
  });
  app.setNotFoundHandler((req, reply) => send(reply, 404, { title: 'No such TAXII resource', http_status: '404', error_code: 'not_found', error_id: req.id }));

  // Unknown paths under /taxii2/ are TAXII 404s (not the web portal's fallback page).
  app.all('/*', { config }, async () => { throw new DomainError('not_found', 'No such TAXII resource'); });

  app.get('/', { config }, async (_req, reply) => send(reply, 200, {
    title: 'Hemisphere TAXII 2.1 server',
    description: 'Threat intelligence of the Hemisphere CSIRT network. Authenticate with a personal API token that has the "taxii" scope.',
    contact: publicUrl,
    default: `${publicUrl}/taxii2/${API_ROOT}/`,
    api_roots: [`${publicUrl}/taxii2/${API_ROOT}/`],
  }));

  app.get(`/${API_ROOT}/`, { config }, async (_req, reply) => send(reply, 200, {
    title: 'Hemisphere', description: 'Collections map onto sharing scopes: everything you may see, public, the trusted network, your organisations and your sharing groups.',
    versions: [TAXII_MEDIA_TYPE], max_content_length: maxContentLength,
  }));

  app.get(`/${API_ROOT}/status/:statusId/`, { config, schema: { params: z.object({ statusId: z.string().max(100) }) } }, async (req, reply) =>
    send(reply, 200, presentStatus(await getStatus(app.deps.database.db, req.actor, req.params.statusId))));

  app.get(`/${API_ROOT}/collections/`, { config }, async (req, reply) => {
    const all = await listCollections(app.deps.database.db, req.actor);
    return send(reply, 200, all.length ? { collections: all.map(presentCollection) } : {});
  });

  app.get(`/${API_ROOT}/collections/:collectionId/`, { config, schema: { params: collectionParams } }, async (req, reply) =>
    send(reply, 200, presentCollection(await getCollection(app.deps.database.db, req.actor, req.params.collectionId))));

  app.get(`/${API_ROOT}/collections/:collectionId/objects/`, { config, schema: { params: collectionParams, querystring: taxiiQuery } }, async (req, reply) => {
    const db = app.deps.database.db;
    const c = await getCollection(db, req.actor, req.params.collectionId);
    const f = parseTaxiiFilter(req.query, { allow: ['added_after', 'limit', 'next', 'id', 'type', 'version', 'spec_version'] });
    const page = await listObjects(db, req.actor, { ...f, ...c.filter });
    return send(reply, 200, envelope(page), page);
  });

  app.post(`/${API_ROOT}/collections/:collectionId/objects/`, { config, schema: { params: collectionParams } }, async (req, reply) => {
    const db = app.deps.database.db;
    const requestTimestamp = new Date();
    const c = await getCollection(db, req.actor, req.params.collectionId);
    assertWritable(c);
    if (req.actor.kind !== 'user') throw new DomainError('forbidden', 'Only people post to collections');
    const body = req.body as AsyncIterable<Buffer>;
    const report = await ingestBundle(db, meta(req), envelopeAsBundle(limitBytes(body, maxContentLength)), { ...c.ingest });
    await indexNewObjects(db);
    const status = await recordStatus(db, meta(req), { userId: req.actor.userId, collectionId: c.id, requestTimestamp, report });
    return send(reply, 202, presentStatus(status));
  });

  app.get(`/${API_ROOT}/collections/:collectionId/manifest/`, { config, schema: { params: collectionParams, querystring: taxiiQuery } }, async (req, reply) => {
    const db = app.deps.database.db;
    const c = await getCollection(db, req.actor, req.params.collectionId);
    const f = parseTaxiiFilter(req.query, { allow: ['added_after', 'limit', 'next', 'id', 'type', 'version', 'spec_version'] });
    const page = await manifest(db, req.actor, { ...f, ...c.filter });
    const objects = page.items.map((m) => ({ id: m.id, date_added: m.dateAdded, version: m.version ?? m.dateAdded, media_type: 'application/stix+json;version=2.1' }));
    return send(reply, 200, { more: page.more, ...(page.next ? { next: page.next } : {}), objects }, page);
  });

  app.get(`/${API_ROOT}/collections/:collectionId/objects/:objectId/`, { config, schema: { params: objectParams, querystring: taxiiQuery } }, async (req, reply) => {
    const db = app.deps.database.db;
    const c = await getCollection(db, req.actor, req.params.collectionId);
    const f = parseTaxiiFilter(req.query, { allow: ['added_after', 'limit', 'next', 'version', 'spec_version'] });
    const page = await listObjects(db, req.actor, { ...f, ...c.filter, ids: [req.params.objectId] });
    if (!page.items.length && !f.cursor && !f.addedAfter) throw new DomainError('not_found', 'STIX object not found');
    return send(reply, 200, envelope(page), page);
  });

  app.delete(`/${API_ROOT}/collections/:collectionId/objects/:objectId/`, { config, schema: { params: objectParams, querystring: taxiiQuery } }, async (req, reply) => {
    const db = app.deps.database.db;
    const c = await getCollection(db, req.actor, req.params.collectionId);
    const f = parseTaxiiFilter(req.query, { allow: ['version', 'spec_version'] });
    await deleteObject(db, meta(req), c, req.params.objectId, { versions: req.query['match[version]'] === undefined ? ['all'] : f.versions, specVersions: f.specVersions });
    return send(reply, 200, '');
  });

  app.get(`/${API_ROOT}/collections/:collectionId/objects/:objectId/versions/`, { config, schema: { params: objectParams, querystring: taxiiQuery } }, async (req, reply) => {
    const db = app.deps.database.db;
    const c = await getCollection(db, req.actor, req.params.collectionId);
    const f = parseTaxiiFilter(req.query, { allow: ['added_after', 'limit', 'next', 'spec_version'] });
    const page = await getObjectVersions(db, req.actor, req.params.objectId, { ...f, ...c.filter });
    return send(reply, 200, { more: page.more, ...(page.next ? { next: page.next } : {}), versions: page.items.map((o) => o.version ?? o.dateAdded) }, page);
  });
}

export const taxiiRoutes: Module = async (app, deps) => {
  const max = deps.config.taxii.maxContentLength;
  await app.register(async (scope) => taxiiScope(scope as unknown as ZodApp, max, deps.config.publicUrl), { prefix: '/taxii2' });
};
