/** HTTP: countries, points of contact, the organisation directory and its members. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Module } from '../http/app.ts';
import type { AuditMeta } from '../core/audit.ts';
import { toLocale, LOCALES } from '../i18n/locales.ts';
import { listCountries } from './countries.query.ts';
import { listPointsOfContact } from './contacts.query.ts';
import { designatePointOfContact, withdrawPointOfContact } from './contacts.command.ts';
import { getOrganisation, listOrganisations } from './organisations.query.ts';
import { updateOrganisation } from './organisations.command.ts';
import { changeMemberRole, removeMember } from './members.command.ts';
import { CountryCodeSchema, ORG_TYPES, OrgRoleSchema } from './types.ts';

export const metaOf = (req: FastifyRequest): AuditMeta => ({ actor: req.actor, ip: req.ip, requestId: req.id });
export const localeOf = (req: FastifyRequest, asked?: string): string =>
  toLocale(asked ?? (req.actor.kind === 'user' ? req.actor.locale : undefined));

const LocaleQuery = z.enum(LOCALES).optional();
const CountryParams = z.object({ code: CountryCodeSchema });
const OrgParams = z.object({ id: z.string().uuid() });

export const orgRoutes: Module = (app, deps) => {
  const db = deps.database.db;

  app.get('/api/countries', {
    config: { access: { permission: 'public' } },
    schema: {
      tags: ['orgs'], summary: 'ISO 3166-1 countries (OAS member states flagged), names in the asked language',
      querystring: z.object({ locale: LocaleQuery, oas: z.enum(['true', 'false']).optional() }).strict(),
    },
  }, async (req) => ({ items: await listCountries(db, { locale: localeOf(req, req.query.locale), oasOnly: req.query.oas === 'true' }) }));

  app.get('/api/countries/:code/points-of-contact', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['orgs'], summary: 'National points of contact of a country', params: CountryParams },
  }, async (req) => ({ items: await listPointsOfContact(db, req.params.code) }));

  app.post('/api/countries/:code/points-of-contact', {
    config: { access: { permission: 'coordinator' } },
    schema: {
      tags: ['orgs'], summary: 'Designate a user as national point of contact (coordinator)', params: CountryParams,
      body: z.object({ userId: z.string().uuid().optional(), email: z.string().email().max(254).optional() }).strict()
        .refine((b) => !!b.userId !== !!b.email, { message: 'give either userId or email' }),
    },
  }, async (req, reply) => reply.code(201).send(await designatePointOfContact(db, metaOf(req), { countryCode: req.params.code, ...req.body })));

  app.delete('/api/countries/:code/points-of-contact/:userId', {
    config: { access: { permission: 'coordinator' } },
    schema: { tags: ['orgs'], summary: 'Withdraw a point of contact (coordinator)', params: z.object({ code: CountryCodeSchema, userId: z.string().uuid() }) },
  }, async (req, reply) => {
    await withdrawPointOfContact(db, metaOf(req), { countryCode: req.params.code, userId: req.params.userId });
    return reply.code(204).send();
  });

  app.get('/api/orgs', {
    config: { access: { permission: 'authenticated' } },
    schema: {
      tags: ['orgs'], summary: 'The organisation directory (details only where policy allows)',
      querystring: z.object({ country: CountryCodeSchema.optional(), type: z.enum(ORG_TYPES).optional(), locale: LocaleQuery }).strict(),
    },
  }, async (req) => ({
    items: await listOrganisations(db, req.actor, { countryCode: req.query.country, type: req.query.type, locale: localeOf(req, req.query.locale) }),
  }));

  app.get('/api/orgs/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['orgs'], summary: 'One organisation, its members when allowed, and computed policies', params: OrgParams, querystring: z.object({ locale: LocaleQuery }).strict() },
  }, async (req) => getOrganisation(db, req.actor, req.params.id, localeOf(req, req.query.locale)));

  app.patch('/api/orgs/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: {
      tags: ['orgs'], summary: 'Edit the organisation profile (org admins and members, not observers)', params: OrgParams,
      body: z.object({ description: z.string().max(5000).optional(), website: z.string().url().max(500).nullable().optional() }).strict(),
    },
  }, async (req) => updateOrganisation(db, metaOf(req), req.params.id, req.body));

  app.patch('/api/orgs/:id/members/:userId', {
    config: { access: { permission: 'authenticated' } },
    schema: {
      tags: ['orgs'], summary: "Change a member's role (org admin)", params: z.object({ id: z.string().uuid(), userId: z.string().uuid() }),
      body: z.object({ role: OrgRoleSchema }).strict(),
    },
  }, async (req) => changeMemberRole(db, metaOf(req), { orgId: req.params.id, userId: req.params.userId, role: req.body.role }));

  app.delete('/api/orgs/:id/members/:userId', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['orgs'], summary: 'Remove a member (org admin)', params: z.object({ id: z.string().uuid(), userId: z.string().uuid() }) },
  }, async (req, reply) => {
    await removeMember(db, metaOf(req), { orgId: req.params.id, userId: req.params.userId });
    return reply.code(204).send();
  });
};
