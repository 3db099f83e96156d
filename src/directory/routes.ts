/** HTTP: the CSIRT directory — entries, contacts, keys, constituency, lookup, exports. */
import { z } from 'zod';
import type { Module } from '../http/app.ts';
import { anonymous } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { metaOf } from '../orgs/routes.ts';
import { CountryCodeSchema, ORG_TYPES } from '../orgs/types.ts';
import { replaceConstituency } from './constituency.command.ts';
import { addContact, removeContact, updateContact } from './contacts.command.ts';
import { exportTeams, EXPORT_FORMATS } from './export.ts';
import { levelVisible, levelsOf, type Level } from './field-visibility.ts';
import { armoredKey, removeKey, uploadKey } from './keys.command.ts';
import { BULK_MAX, lookupValues } from './lookup.query.ts';
import { confirmEntry, updateProfile } from './profile.command.ts';
import { getTeam, listTeams, type DirectoryFilter } from './profile.query.ts';
import { ConstituencyBody, ContactInput, ContactPatch, KeyInput, ProfileInput } from './schema.ts';
import { checkRoutes } from './checks.routes.ts';
import { teamProfiles } from './tables.ts';
import { eq } from 'drizzle-orm';

const OrgParams = z.object({ orgId: z.string().uuid() });
const Filter = z.object({
  q: z.string().max(200).optional(),
  country: CountryCodeSchema.optional(),
  sector: z.string().max(60).optional(),
  type: z.enum(ORG_TYPES).optional(),
  stale: z.enum(['true', 'false']).optional(),
}).strict();
const toFilter = (q: z.infer<typeof Filter>): DirectoryFilter => ({ ...q, stale: q.stale === undefined ? undefined : q.stale === 'true' });

export const directoryRoutes: Module = async (app, deps) => {
  const db = deps.database.db;
  const fresh = () => ({ reconfirmMonths: deps.config.directory.reconfirmMonths });

  app.get('/api/directory/public', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['directory'], summary: 'The public directory: every team, public fields only (whoever asks)', querystring: Filter },
  }, async (req) => ({ items: await listTeams(db, anonymous, toFilter(req.query), fresh()) }));

  app.get('/api/directory/teams', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: "The members' directory: search and filters over the fields the caller may see", querystring: Filter },
  }, async (req) => ({ items: await listTeams(db, req.actor, toFilter(req.query), fresh()) }));

  app.get('/api/directory/export', {
    config: { access: { permission: 'public' } },
    schema: {
      tags: ['directory'], summary: 'Export the directory as JSON, CSV or vCard — only the fields the caller may see',
      querystring: Filter.extend({ format: z.enum(EXPORT_FORMATS).default('json') }).strict(),
    },
  }, async (req, reply) => {
    const { format, ...filter } = req.query;
    const teams = await listTeams(db, req.actor, { ...toFilter(filter), withConstituency: true }, fresh());
    const out = exportTeams(teams, format);
    return reply.type(out.contentType).header('content-disposition', `attachment; filename="directory.${out.extension}"`).send(out.body);
  });

  app.get('/api/directory/teams/:orgId', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['directory'], summary: "One team's entry with the fields the caller may see, and computed policies", params: OrgParams },
  }, async (req) => getTeam(db, req.actor, req.params.orgId, fresh()));

  app.patch('/api/directory/teams/:orgId', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: "Edit a team's entry and each field's visibility (team members, coordinators)", params: OrgParams, body: ProfileInput },
  }, async (req) => {
    await updateProfile(db, metaOf(req), req.params.orgId, req.body);
    return getTeam(db, req.actor, req.params.orgId, fresh());
  });

  app.post('/api/directory/teams/:orgId/confirm', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Re-confirm the entry (team administrators)', params: OrgParams, body: z.object({}).strict().optional() },
  }, async (req) => confirmEntry(db, metaOf(req), req.params.orgId));

  app.put('/api/directory/teams/:orgId/constituency', {
    bodyLimit: 16 * 1024 * 1024,
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Replace the given constituency lists (ASNs, IPv4/IPv6 prefixes, domains); lists left out stay', params: OrgParams, body: ConstituencyBody },
  }, async (req) => replaceConstituency(db, metaOf(req), req.params.orgId, req.body));

  app.post('/api/directory/teams/:orgId/contacts', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Add a contact (person or role address)', params: OrgParams, body: ContactInput },
  }, async (req, reply) => reply.code(201).send(await addContact(db, metaOf(req), req.params.orgId, req.body)));

  const ContactParams = OrgParams.extend({ id: z.string().uuid() });
  app.patch('/api/directory/teams/:orgId/contacts/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Edit a contact (a changed address is no longer verified)', params: ContactParams, body: ContactPatch },
  }, async (req) => updateContact(db, metaOf(req), req.params.orgId, req.params.id, req.body));

  app.delete('/api/directory/teams/:orgId/contacts/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Remove a contact', params: ContactParams },
  }, async (req, reply) => {
    await removeContact(db, metaOf(req), req.params.orgId, req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/directory/teams/:orgId/keys', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Upload an armoured OpenPGP public key (team or contact); malformed keys are refused', params: OrgParams, body: KeyInput },
  }, async (req, reply) => reply.code(201).send(await uploadKey(db, metaOf(req), req.params.orgId, req.body)));

  app.delete('/api/directory/teams/:orgId/keys/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['directory'], summary: 'Remove a published key', params: ContactParams },
  }, async (req, reply) => {
    await removeKey(db, metaOf(req), req.params.orgId, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/directory/keys/:id', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['directory'], summary: 'Download an armoured public key (when the caller may see it)', params: z.object({ id: z.string().uuid() }) },
  }, async (req, reply) => {
    const k = await armoredKey(db, req.params.id);
    const [p] = await db.select({ v: teamProfiles.fieldVisibility }).from(teamProfiles).where(eq(teamProfiles.orgId, k.orgId));
    const fieldLevel = levelsOf(p?.v).keys;
    if (!levelVisible(req.actor, fieldLevel, k.orgId) || !levelVisible(req.actor, k.visibility as Level, k.orgId)) throw notFound('Key');
    return reply.type('application/pgp-keys').header('content-disposition', `attachment; filename="${k.fingerprint}.asc"`).send(k.armored);
  });

  app.get('/api/directory/lookup', {
    config: { access: { permission: 'public' } },
    schema: {
      tags: ['directory'], summary: 'Who is responsible for an IP, prefix, ASN, domain (IDN too) or e-mail address (longest prefix / suffix wins)',
      querystring: z.object({ q: z.string().min(1).max(300) }).strict(),
    },
  }, async (req) => (await lookupValues(db, req.actor, [req.query.q]))[0]);

  app.post('/api/directory/lookup', {
    bodyLimit: 4 * 1024 * 1024,
    config: { access: { permission: 'authenticated', scope: 'read' } },
    schema: {
      tags: ['directory'], summary: `Bulk lookup of up to ${BULK_MAX} values (results in input order)`,
      body: z.object({ values: z.array(z.string().max(300)).min(1).max(BULK_MAX) }).strict(),
    },
  }, async (req) => ({ items: await lookupValues(db, req.actor, req.body.values) }));

  await checkRoutes(app, deps);
};
