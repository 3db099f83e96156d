/** HTTP: the publications library (reports, documents, announcements) and its public face. */
import { z } from 'zod';
import { anonymous } from '../core/actor.ts';
import { blobStoreFor } from '../blobs/store.ts';
import type { Module } from '../http/app.ts';
import { LOCALES } from '../i18n/locales.ts';
import { metaOf } from '../orgs/routes.ts';
import { CreatePublicationInput, deletePublication, FILE_MAX_BYTES, PUBLICATION_KINDS, updatePublication, UpdatePublicationInput, createPublication } from './publications.command.ts';
import { getPublication, listPublications, readPublicationFile } from './publications.query.ts';

const Id = z.object({ id: z.string().uuid() });
const ListQuery = z.object({
  q: z.string().trim().max(200).optional(), lang: z.enum(LOCALES).optional(), kind: z.enum(PUBLICATION_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
}).strict();
const UPLOAD_LIMIT = Math.ceil(FILE_MAX_BYTES * 1.4) + 64 * 1024;

export const reportRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const blobs = blobStoreFor(deps.config.dataDir);
  const tags = ['reports'];

  app.get('/api/publications', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'The library as the caller may read it; `q` searches titles and summaries (full text, 4 languages)', querystring: ListQuery },
  }, async (req) => ({ items: await listPublications(db, req.actor, req.query) }));

  app.post('/api/publications', {
    bodyLimit: UPLOAD_LIMIT,
    config: { access: { permission: 'network' } },
    schema: { tags, summary: 'Publish a report/document (file as base64) or an announcement, public or for members', body: CreatePublicationInput },
  }, async (req, reply) => reply.code(201).send(await createPublication(db, blobs, metaOf(req), req.body)));

  app.get('/api/publications/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'One publication with its other languages', params: Id },
  }, async (req) => getPublication(db, req.actor, req.params.id));

  app.patch('/api/publications/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Change title, summary, text or audience', params: Id, body: UpdatePublicationInput },
  }, async (req) => updatePublication(db, metaOf(req), req.params.id, req.body));

  app.delete('/api/publications/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags, summary: 'Withdraw a publication', params: Id },
  }, async (req) => deletePublication(db, metaOf(req), req.params.id));

  const download = (path: string, publicOnly: boolean) =>
    app.get(path, {
      config: { access: { permission: publicOnly ? 'public' : 'authenticated' } },
      schema: { tags: publicOnly ? ['public'] : tags, summary: 'Download the file', params: Id },
    }, async (req, reply) => {
      const f = await readPublicationFile(db, blobs, publicOnly ? anonymous : req.actor, req.params.id);
      const safe = f.filename.replace(/[^\w.\- ]/g, '_');
      return reply.type(f.contentType).header('content-disposition', `attachment; filename="${safe}"`).send(f.data);
    });
  download('/api/publications/:id/file', false);
  download('/api/public/publications/:id/file', true);

  app.get('/api/public/publications', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['public'], summary: 'Public reports, documents and announcements (search with `q`)', querystring: ListQuery },
  }, async (req) => ({ items: await listPublications(db, anonymous, req.query) }));

  app.get('/api/public/publications/:id', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['public'], summary: 'One public publication', params: Id },
  }, async (req) => {
    const { ownerOrgId: _o, createdBy: _c, ...p } = await getPublication(db, anonymous, req.params.id);
    return p;
  });
};
