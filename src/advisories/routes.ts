/** HTTP: the advisory editor and workflow, CSAF export, the public site's advisories and Atom feed. */
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { anonymous, type Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { visibleTo } from '../core/visibility.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Module } from '../http/app.ts';
import { LOCALES } from '../i18n/locales.ts';
import { localeOf, metaOf } from '../orgs/routes.ts';
import { createAdvisory, deleteTranslation, saveText, updateAdvisory } from './advisories.command.ts';
import { getAdvisory, listAdvisories } from './advisories.query.ts';
import { parseCvss31 } from './cvss31.ts';
import { parseCvss40 } from './cvss40.ts';
import { PUBLIC_FOLDER } from './provider.query.ts';
import { atomFeed, publicAdvisories, publicAdvisory } from './public.query.ts';
import { ADVISORY_STATUSES, CreateAdvisoryInput, PublishInput, ReturnInput, TextInput, UpdateAdvisoryInput } from './schema.ts';
import { advisories, csafDocuments } from './tables.ts';
import { publishAdvisory, returnToDraft, submitForReview } from './workflow.command.ts';

const Id = z.object({ id: z.string().uuid() });
const IdLang = z.object({ id: z.string().uuid(), lang: z.enum(LOCALES) });
const LangQuery = z.object({ lang: z.enum(LOCALES).optional() }).strict();

/** The stored CSAF file of an advisory, if the actor may read the advisory. */
async function csafOf(db: DbOrTx, actor: Actor, where: ReturnType<typeof eq>) {
  const [doc] = await db.select({ json: csafDocuments.json, filename: csafDocuments.filename }).from(csafDocuments)
    .innerJoin(advisories, eq(advisories.id, csafDocuments.advisoryId)).where(and(where, visibleTo(actor, advisories)));
  if (!doc) throw notFound('CSAF document');
  return doc;
}

export const advisoryRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const publishDeps = { db, config: deps.config };
  const tags = ['advisories'];

  app.get('/api/advisories', {
    config: { access: { permission: 'authenticated' } },
    schema: {
      tags, summary: 'Advisories the caller may read (published ones by TLP; drafts to their editors)',
      querystring: z.object({
        status: z.enum(ADVISORY_STATUSES).optional(), lang: z.enum(LOCALES).optional(), q: z.string().trim().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
      }).strict(),
    },
  }, async (req) => ({ items: await listAdvisories(db, req.actor, { ...req.query, lang: req.query.lang ?? (localeOf(req) as 'en') }) }));

  app.post('/api/advisories', {
    config: { access: { permission: 'network' } },
    schema: { tags, summary: 'Create a draft advisory (source-language text included)', body: CreateAdvisoryInput },
  }, async (req, reply) => reply.code(201).send(await createAdvisory(db, metaOf(req), req.body)));

  app.get('/api/advisories/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'One advisory: published snapshot, and for editors the live draft with translation states', params: Id },
  }, async (req) => getAdvisory(db, req.actor, req.params.id));

  app.patch('/api/advisories/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Change structured fields or the marking (a published advisory reopens as the next revision)', params: Id, body: UpdateAdvisoryInput },
  }, async (req) => updateAdvisory(db, metaOf(req), req.params.id, req.body));

  app.put('/api/advisories/:id/texts/:lang', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Write the text in one language (the source language bumps the content revision)', params: IdLang, body: TextInput },
  }, async (req) => saveText(db, metaOf(req), req.params.id, req.params.lang, req.body));

  app.delete('/api/advisories/:id/texts/:lang', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Remove a translation', params: IdLang },
  }, async (req) => deleteTranslation(db, metaOf(req), req.params.id, req.params.lang));

  app.post('/api/advisories/:id/submit', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Draft → review', params: Id },
  }, async (req) => submitForReview(db, metaOf(req), req.params.id));

  app.post('/api/advisories/:id/return', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Review → draft, with a reason', params: Id, body: ReturnInput },
  }, async (req) => returnToDraft(db, metaOf(req), req.params.id, req.body.reason));

  app.post('/api/advisories/:id/publish', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Review → published: the next revision, its CSAF file hashed and signed', params: Id, body: PublishInput },
  }, async (req) => publishAdvisory(publishDeps, metaOf(req), req.params.id, req.body.summary));

  app.get('/api/advisories/:id/csaf', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'The CSAF 2.0 document of the latest published revision', params: Id },
  }, async (req, reply) => {
    const doc = await csafOf(db, req.actor, eq(advisories.id, req.params.id));
    return reply.type('application/json').header('content-disposition', `attachment; filename="${doc.filename}"`).send(doc.json);
  });

  app.post('/api/advisories/cvss', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Parse and score a CVSS v3.1 or v4.0 vector (editor preview)', body: z.object({ vector: z.string().trim().min(1).max(300) }).strict() },
  }, async (req) => {
    const r = req.body.vector.startsWith('CVSS:4.0/') ? parseCvss40(req.body.vector) : parseCvss31(req.body.vector);
    return r.ok ? { valid: true, ...r.value } : { valid: false, error: r.error };
  });

  // ---- public site -------------------------------------------------------------------------
  app.get('/api/public/advisories', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['public'], summary: 'Published TLP:CLEAR advisories, in the asked language when translated', querystring: LangQuery },
  }, async (req) => ({ items: (await publicAdvisories(db, localeOf(req, req.query.lang), deps.config.publicUrl)).map(({ snapshot: _s, ...a }) => a) }));

  app.get('/api/public/advisories/:trackingId', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['public'], summary: 'One public advisory', params: z.object({ trackingId: z.string().max(100) }), querystring: LangQuery },
  }, async (req) => {
    const a = await publicAdvisory(db, req.params.trackingId, localeOf(req, req.query.lang), deps.config.publicUrl);
    return { ...a, snapshot: undefined, vulnerabilities: a.snapshot.vulnerabilities, affected: a.snapshot.affected, references: a.snapshot.references, revisionHistory: a.snapshot.revisionHistory };
  });

  app.get('/api/public/advisories/:trackingId/csaf', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['public'], summary: 'The CSAF 2.0 document of a public advisory', params: z.object({ trackingId: z.string().max(100) }) },
  }, async (req, reply) => reply.type('application/json').send((await csafOf(db, anonymous,
    and(eq(advisories.trackingId, req.params.trackingId), eq(csafDocuments.tlpFolder, PUBLIC_FOLDER))!)).json));

  app.get('/feeds/advisories.atom', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['public'], summary: 'Atom feed of public advisories in a language', querystring: LangQuery },
  }, async (req, reply) => {
    const lang = req.query.lang ?? 'en';
    const items = await publicAdvisories(db, lang, deps.config.publicUrl);
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=300')
      .send(atomFeed(items, lang, deps.config.publicUrl, deps.config.publisher.name));
  });
};
