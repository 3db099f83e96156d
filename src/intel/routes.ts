/**
 * HTTP: bundle upload (streamed) and the REST read API over the STIX store. Objects are sent as
 * their original JSON text (never re-serialised), so what goes out equals what came in.
 * Every read goes through objects.query.ts (visibleTo).
 */
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Module } from '../http/app.ts';
import { DomainError, invalid } from '../core/errors.ts';
import { TLP_LEVELS } from '../core/tlp.ts';
import { SCOPES } from '../core/visibility.ts';
import { ingestBundle, ingestOrgsOf } from './ingest.command.ts';
import { indexNewObjects } from './correlation/index.command.ts';
import { orgIdsOf } from '../core/actor.ts';
import { sharingOptions } from './sharing-options.query.ts';
import { describeObjects, getObject, getObjectVersions, listObjects, relationshipsOf, type StoredObject } from './objects.query.ts';

/** Largest bundle accepted over HTTP (the reader streams; this only bounds disk and time). */
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024;
const BUNDLE_TYPES = ['application/json', 'application/stix+json', 'application/taxii+json'];

const StixId = z.string().regex(/^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F-]{36}$/, 'a STIX identifier');
const csv = (item: z.ZodString) => z.string().max(20_000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(item).max(500));

const ListQuery = z.object({
  type: csv(z.string().regex(/^[a-z0-9-]{3,250}$/)).optional(),
  id: csv(StixId).optional(),
  version: csv(z.string().max(40)).optional(),
  spec_version: csv(z.string().max(10)).optional(),
  added_after: z.string().max(40).optional(),
  next: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  q: z.string().max(200).optional(),
  owner: z.string().uuid().optional(),
  revoked: z.enum(['include', 'exclude']).optional(),
  tlp: csv(z.string().regex(new RegExp(`^(${TLP_LEVELS.map((l) => l.replace('+', '\\+')).join('|')})$`), 'a TLP label')).optional(),
  scope: z.enum(SCOPES).optional(),
}).strict();

const UploadQuery = z.object({
  orgId: z.string().uuid().optional(),
  scope: z.enum(SCOPES).default('org'),
  tlp: z.enum(TLP_LEVELS).default('amber'),
  sharingGroupId: z.string().uuid().optional(),
  scopeOrgIds: csv(z.string().uuid()).optional(),
  recipientUserIds: csv(z.string().uuid()).optional(),
}).strict();

/** The object's meta as JSON text followed by its raw text: `{"meta":…,"object":<raw>}`. */
const present = (o: StoredObject): string => {
  const { raw, ...meta } = o;
  return `{"meta":${JSON.stringify(meta)},"object":${raw}}`;
};
const sendJson = (reply: FastifyReply, body: string) => reply.type('application/json; charset=utf-8').send(body);

/** The request body as a byte stream with a size bound. */
async function* bounded(req: FastifyRequest, max: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of req.raw as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) throw new DomainError('payload_too_large', `A bundle may be at most ${max} bytes`);
    yield chunk;
  }
}

export const intelRoutes: Module = (app, deps) => {
  const db = deps.database.db;

  app.get('/api/intel/objects', {
    config: { access: { permission: 'public', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'STIX objects you may see, newest versions by default, paged by date added', querystring: ListQuery },
  }, async (req, reply) => {
    const q = req.query;
    const page = await listObjects(db, req.actor, {
      types: q.type, ids: q.id, versions: q.version, specVersions: q.spec_version, addedAfter: q.added_after, cursor: q.next,
      limit: q.limit ?? 50, q: q.q, ownerOrgId: q.owner, includeRevoked: q.revoked !== 'exclude', tlps: q.tlp, scope: q.scope,
    });
    return sendJson(reply, `{"items":[${page.items.map(present).join(',')}],"more":${page.more},"next":${JSON.stringify(page.next)},` +
      `"dateAddedFirst":${JSON.stringify(page.dateAddedFirst)},"dateAddedLast":${JSON.stringify(page.dateAddedLast)}}`);
  });

  app.get('/api/intel/objects/:id', {
    config: { access: { permission: 'public', scope: 'intel:read' } },
    schema: {
      tags: ['intel'], summary: 'One STIX object (newest visible version or ?version=), its versions and relationships',
      params: z.object({ id: StixId }), querystring: z.object({ version: z.string().max(40).optional() }).strict(),
    },
  }, async (req, reply) => {
    const obj = await getObject(db, req.actor, req.params.id, req.query.version);
    const versions = await getObjectVersions(db, req.actor, req.params.id);
    const rels = await relationshipsOf(db, req.actor, req.params.id);
    const otherIds = rels.flatMap((r) => {
      const o = JSON.parse(r.raw) as { source_ref?: string; target_ref?: string; sighting_of_ref?: string };
      return [o.source_ref, o.target_ref, o.sighting_of_ref].filter((x): x is string => !!x && x !== req.params.id);
    });
    const related = Object.fromEntries(await describeObjects(db, req.actor, otherIds));
    const versionList = versions.items.map((v) => ({ version: v.version, dateAdded: v.dateAdded, revoked: v.revoked }));
    const mayShare = req.actor.kind === 'user' && ingestOrgsOf(req.actor).length > 0;
    const permissions = { reportSighting: mayShare, ownedByYou: !!obj.ownerOrgId && orgIdsOf(req.actor).includes(obj.ownerOrgId) };
    return sendJson(reply, `{"item":${present(obj)},"permissions":${JSON.stringify(permissions)},"versions":${JSON.stringify(versionList)},` +
      `"relationships":[${rels.map(present).join(',')}],"related":${JSON.stringify(related)}}`);
  });

  app.get('/api/intel/sharing-options', {
    config: { access: { permission: 'authenticated', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'What you may choose when sharing a bundle: organisations, scopes, sharing groups, TLP' },
  }, async (req) => sharingOptions(db, req.actor));

  // The upload reads the body itself, as a stream: no JSON body parser, no whole-body buffering.
  app.register(async (child) => {
    child.removeContentTypeParser(BUNDLE_TYPES);
    child.addContentTypeParser(BUNDLE_TYPES, (_req, _payload, done) => done(null, undefined));
    child.post('/api/intel/bundles', {
      config: { access: { permission: 'authenticated', scope: 'intel:write' } },
      schema: { tags: ['intel'], summary: 'Upload a STIX 2.1 bundle (streamed); per-object report', querystring: UploadQuery },
    }, async (req, reply) => {
      const q = req.query as z.infer<typeof UploadQuery>;
      const actor = req.actor;
      const orgs = actor.kind === 'user' ? actor.memberships.map((m) => m.orgId) : [];
      const ownerOrgId = q.orgId ?? (orgs.length === 1 ? orgs[0]! : undefined);
      if (!ownerOrgId) throw invalid('Choose the organisation that shares this bundle', [{ path: 'orgId', message: 'required when you belong to several organisations (or none)' }]);
      const report = await ingestBundle(db, { actor, ip: req.ip, requestId: req.id }, bounded(req, MAX_BUNDLE_BYTES), {
        ownerOrgId, scope: q.scope, tlpDefault: q.tlp, sharingGroupId: q.sharingGroupId ?? null, scopeOrgIds: q.scopeOrgIds,
        recipientUserIds: q.recipientUserIds,
      });
      await indexNewObjects(db); // correlation and lookups see the new observables at once
      return reply.code(report.counts.added > 0 ? 201 : 200).send(report);
    });
  });
};
