/** HTTP for mailing lists: public subscription pages' API, RFC 8058 one-click, archive, and coordinators' list/campaign management. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Module, ZodApp } from '../http/app.ts';
import { DomainError } from '../core/errors.ts';
import { metaOf } from '../orgs/routes.ts';
import { createList, archiveList } from './lists.command.ts';
import { confirmSubscriptionToken, readPreferences, subscribe, unsubscribeByToken, updatePreferences } from './subscriptions.command.ts';
import { cancelCampaign, createCampaign, pauseCampaign, resumeCampaign, scheduleCampaign, sendCampaign, testSendCampaign, updateCampaign } from './campaigns.command.ts';
import { archive, archivedMessage, getCampaign, listCampaigns, listLists, previewCampaign, publicListBySlug } from './campaigns.query.ts';
import { CampaignInput, CampaignPatch, ListInput, Locale, PreferencesInput, ScheduleInput, SubscribeInput, TestSendInput, TokenBody } from './schema.ts';
import { listSuppressions } from './suppressions.query.ts';
import { createMailingRuntime, type MailingRuntime } from './runtime.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mailing: MailingRuntime;
  }
}

const Id = z.object({ id: z.string().uuid() });
const Slug = z.object({ slug: z.string().regex(/^[a-z0-9-]{2,40}$/) });
const tags = ['mailing'];
const coordinator = { access: { permission: 'coordinator' as const } };
const pub = { access: { permission: 'public' as const } };

export const mailingRoutes: Module = async (app, deps) => {
  const db = deps.database.db;
  const cfg = deps.config;
  const subDeps = { publicUrl: cfg.publicUrl, confirmTtlHours: cfg.mailing.confirmTtlHours };
  const runtime = createMailingRuntime(deps.database, cfg, deps.logger, deps.bus);
  app.decorate('mailing', runtime);
  app.addHook('onReady', () => runtime.start());
  app.addHook('onClose', () => runtime.stop());

  // ---- public: subscription, preferences, unsubscribe, archive
  app.get('/api/mailing/lists', { config: pub, schema: { tags, summary: 'Mailing lists (public ones; coordinators see all, with audience size)' } },
    async (req) => ({ items: await listLists(db, req.actor) }));
  app.get('/api/mailing/lists/:slug', { config: pub, schema: { tags, params: Slug, summary: 'A public list, for its subscribe page' } },
    async (req) => publicListBySlug(db, req.params.slug));
  app.post('/api/mailing/lists/:slug/subscribe', { config: pub, schema: { tags, params: Slug, body: SubscribeInput, summary: 'Subscribe (double opt-in: a confirmation link is mailed in the chosen language)' } },
    async (req, reply) => reply.code(202).send(await subscribe(db, subDeps, metaOf(req), req.params.slug, req.body)));
  app.post('/api/mailing/confirm', { config: pub, schema: { tags, body: TokenBody, summary: 'Confirm a subscription (single-use, expiring link)' } },
    async (req) => confirmSubscriptionToken(db, metaOf(req), req.body.token));
  app.get('/api/mailing/preferences', { config: pub, schema: { tags, querystring: TokenBody, summary: 'Preferences behind a per-recipient link' } },
    async (req) => readPreferences(db, req.query.token));
  app.put('/api/mailing/preferences', { config: pub, schema: { tags, body: PreferencesInput, summary: 'Change language and topics' } },
    async (req) => updatePreferences(db, metaOf(req), req.body));
  app.post('/api/mailing/unsubscribe', { config: pub, schema: { tags, body: TokenBody, summary: 'Unsubscribe (from the page behind the link)' } },
    async (req) => unsubscribeByToken(db, metaOf(req), req.body.token, 'page'));

  // RFC 8058: a bare form POST from the mail client; no session, no CSRF, no JSON.
  await app.register(async (scope) => {
    const s = scope as unknown as ZodApp;
    const form = async (req: FastifyRequest, body: Buffer) => {
      try {
        const ct = String(req.headers['content-type']);
        if (ct.startsWith('multipart/form-data')) return Object.fromEntries([...(await new Response(new Uint8Array(body), { headers: { 'content-type': ct } }).formData()).entries()].map(([k, v]) => [k, String(v)]));
        return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      } catch {
        throw new DomainError('validation_failed', 'The form body cannot be read');
      }
    };
    s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: 4096 }, form);
    s.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 4096 }, form);
    s.post('/api/mailing/one-click', {
      config: { ...pub, ignoreSession: true },
      schema: {
        tags, summary: 'RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click)',
        querystring: z.object({ token: z.string().min(10).max(400) }),
        body: z.object({ 'List-Unsubscribe': z.literal('One-Click') }),
      },
    }, async (req) => {
      await unsubscribeByToken(db, metaOf(req), req.query.token, 'one-click');
      return { unsubscribed: true };
    });
  });

  app.get('/api/mailing/archive', {
    config: pub,
    schema: { tags, summary: 'Sent announcements the caller may read (anonymous: public TLP:CLEAR)', querystring: z.object({ locale: Locale.optional(), list: z.string().max(40).optional() }).strict() },
  }, async (req) => ({ items: await archive(db, req.actor, { locale: req.query.locale, listSlug: req.query.list }) }));
  app.get('/api/mailing/archive/:id', {
    config: pub, schema: { tags, summary: 'One archived announcement', params: Id, querystring: z.object({ locale: Locale.optional() }).strict() },
  }, async (req) => archivedMessage(db, req.actor, req.params.id, req.query.locale));

  // ---- coordinators: lists and campaigns
  app.post('/api/mailing/lists', { config: coordinator, schema: { tags, body: ListInput, summary: 'Create a list (public, or members with an audience)' } },
    async (req, reply) => reply.code(201).send(await createList(db, metaOf(req), req.body)));
  app.post('/api/mailing/lists/:id/archive', { config: coordinator, schema: { tags, params: Id, summary: 'Archive a list' } },
    async (req) => archiveList(db, metaOf(req), req.params.id));
  app.get('/api/mailing/suppressions', { config: coordinator, schema: { tags, summary: 'Suppressed addresses (bounces)' } },
    async () => ({ items: await listSuppressions(db) }));

  app.get('/api/mailing/campaigns', {
    config: coordinator, schema: { tags, summary: 'Campaigns with per-status recipient counts', querystring: z.object({ listId: z.string().uuid().optional(), status: z.string().max(20).optional() }).strict() },
  }, async (req) => ({ items: await listCampaigns(db, req.actor, req.query) }));
  app.post('/api/mailing/campaigns', { config: coordinator, schema: { tags, body: CampaignInput, summary: 'Compose a campaign (draft)' } },
    async (req, reply) => reply.code(201).send(await createCampaign(db, metaOf(req), req.body)));
  app.get('/api/mailing/campaigns/:id', { config: coordinator, schema: { tags, params: Id, summary: 'One campaign' } },
    async (req) => getCampaign(db, req.actor, req.params.id));
  app.patch('/api/mailing/campaigns/:id', { config: coordinator, schema: { tags, params: Id, body: CampaignPatch, summary: 'Edit a draft' } },
    async (req) => updateCampaign(db, metaOf(req), req.params.id, req.body));
  app.get('/api/mailing/campaigns/:id/preview', {
    config: coordinator, schema: { tags, params: Id, querystring: z.object({ locale: Locale.default('en') }).strict(), summary: 'The message as a recipient of that language gets it' },
  }, async (req) => previewCampaign(db, { publicUrl: cfg.publicUrl, domain: cfg.mailing.domain, from: cfg.mailFrom }, req.actor, req.params.id, req.query.locale));
  app.post('/api/mailing/campaigns/:id/test', { config: coordinator, schema: { tags, params: Id, body: TestSendInput, summary: 'Send a [TEST] copy to one address', description: 'TLP:CLEAR campaigns: any address. GREEN and higher: only the address of a platform user who may read the campaign (else 400 validation_failed, issue code test_address_not_allowed); AMBER and higher send the encrypted-alert notice, never the text.' } },
    async (req, reply) => reply.code(202).send(await testSendCampaign(db, metaOf(req), req.params.id, req.body)));
  app.post('/api/mailing/campaigns/:id/schedule', { config: coordinator, schema: { tags, params: Id, body: ScheduleInput, summary: 'Schedule sending' } },
    async (req) => scheduleCampaign(db, metaOf(req), req.params.id, req.body.at));
  for (const [verb, fn] of [['send', sendCampaign], ['pause', pauseCampaign], ['resume', resumeCampaign], ['cancel', cancelCampaign]] as const) {
    app.post(`/api/mailing/campaigns/:id/${verb}`, { config: coordinator, schema: { tags, params: Id, summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} the campaign` } },
      async (req) => fn(db, metaOf(req), req.params.id));
  }
};
