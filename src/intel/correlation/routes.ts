/** HTTP: correlations ("also seen by"), sightings per organisation, one-click "we saw this too", and bulk lookups. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Module } from '../../http/app.ts';
import type { AuditMeta } from '../../core/audit.ts';
import { TLP_LEVELS } from '../../core/tlp.ts';
import { lookupValues, MAX_LOOKUP_VALUES } from '../lookup/lookup.query.ts';
import { alsoSeenBy, sightingsOf } from './correlations.query.ts';
import { reportSighting } from './sightings.command.ts';

const metaOf = (req: FastifyRequest): AuditMeta => ({ actor: req.actor, ip: req.ip, requestId: req.id });
const ObjectParams = z.object({ id: z.string().min(3).max(300) });

export const intelCorrelationRoutes: Module = (app, deps) => {
  const db = deps.database.db;

  app.get('/api/intel/objects/:id/correlations', {
    config: { access: { permission: 'authenticated', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'Other organisations\' objects sharing an observable with this one (only those you may see)', params: ObjectParams },
  }, async (req) => ({ alsoSeenBy: await alsoSeenBy(db, req.actor, req.params.id) }));

  app.get('/api/intel/objects/:id/sightings', {
    config: { access: { permission: 'authenticated', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'Sightings of an object per organisation (STIX sightings and reports you may see)', params: ObjectParams },
  }, async (req) => sightingsOf(db, req.actor, req.params.id));

  app.post('/api/intel/objects/:id/sightings', {
    config: { access: { permission: 'authenticated', scope: 'intel:write' } },
    schema: {
      tags: ['intel'], summary: 'We saw this too: report a sighting for your organisation', params: ObjectParams,
      body: z.object({
        orgId: z.string().uuid().optional(), note: z.string().max(2000).optional(), tlp: z.enum(TLP_LEVELS).optional(),
        scope: z.enum(['org', 'network', 'group']).optional(), sharingGroupId: z.string().uuid().optional(),
      }).strict(),
    },
  }, async (req, reply) => reply.code(201).send(await reportSighting(db, metaOf(req), req.params.id, req.body)));

  app.post('/api/intel/lookup', {
    config: { access: { permission: 'authenticated', scope: 'intel:read' } },
    bodyLimit: 8 * 1024 * 1024,
    schema: {
      tags: ['intel'], summary: `Look up to ${MAX_LOOKUP_VALUES} IPs, domains, URLs, hashes or e-mail addresses; warning lists flag likely false positives`,
      body: z.object({ values: z.array(z.string().max(2048)).min(1).max(MAX_LOOKUP_VALUES) }).strict(),
    },
  }, async (req) => ({ results: await lookupValues(db, req.actor, req.body.values) }));
};
