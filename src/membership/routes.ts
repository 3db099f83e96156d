/** HTTP: applying (JSON with base64 mandate, or multipart), vetting decisions, status link, invitations. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Module, ZodApp } from '../http/app.ts';
import { DomainError } from '../core/errors.ts';
import { blobStoreFor } from '../blobs/store.ts';
import { metaOf } from '../orgs/routes.ts';
import { submitApplication, pocDecision, coordinatorDecision } from './applications.command.ts';
import { applicationStatusByToken, getApplication, listApplications, readMandate } from './applications.query.ts';
import { acceptInvitation, inviteMember, resendInvitation, revokeInvitation } from './invitations.command.ts';
import { invitationByToken, listInvitations } from './invitations.query.ts';
import { AcceptInput, APPLICATION_STATUSES, ApplicationInput, InviteInput, MANDATE_MAX_BYTES, ReasonOptional, ReasonRequired, StakeholderInput } from './schema.ts';

const UPLOAD_LIMIT = Math.ceil(MANDATE_MAX_BYTES * 1.4) + 64 * 1024;
const Id = z.object({ id: z.string().uuid() });
const TokenQuery = z.object({ token: z.string().min(10).max(200) }).strict();

/** multipart/form-data → the JSON shape (file field `mandate` becomes { filename, contentType, dataBase64 }). */
async function parseMultipart(req: FastifyRequest, body: Buffer): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
  } catch {
    throw new DomainError('validation_failed', 'The multipart body cannot be read');
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v === 'string') out[k] = v;
    else out[k] = { filename: v.name || 'mandate', contentType: v.type || 'application/octet-stream', dataBase64: Buffer.from(await v.arrayBuffer()).toString('base64') };
  }
  return out;
}

export const membershipRoutes: Module = async (app, deps) => {
  const db = deps.database.db;
  const vd = { publicUrl: deps.config.publicUrl, blobs: blobStoreFor(deps.config.dataDir) };

  await app.register(async (scope) => {
    const s = scope as unknown as ZodApp;
    s.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, async (req: FastifyRequest, body: Buffer) => parseMultipart(req, body));
    s.post('/api/membership/applications', {
      bodyLimit: UPLOAD_LIMIT,
      config: { access: { permission: 'public' } },
      schema: {
        tags: ['membership'], body: ApplicationInput,
        summary: 'A CSIRT applies for membership (JSON with base64 mandate, or multipart/form-data with a `mandate` file); returns the private status link',
      },
    }, async (req, reply) => reply.code(201).send(await submitApplication(db, vd, metaOf(req), 'membership', req.body)));
    s.post('/api/membership/stakeholders', {
      bodyLimit: UPLOAD_LIMIT,
      config: { access: { permission: 'public' } },
      schema: { tags: ['membership'], body: StakeholderInput, summary: 'A stakeholder organisation registers (coordinator approval only; not a network member)' },
    }, async (req, reply) => reply.code(201).send(await submitApplication(db, vd, metaOf(req), 'stakeholder', req.body)));
  });

  app.get('/api/membership/status', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['membership'], summary: 'Where an application stands, with the status link token', querystring: TokenQuery },
  }, async (req) => applicationStatusByToken(db, req.query.token));

  app.get('/api/membership/applications', {
    config: { access: { permission: 'authenticated' } },
    schema: {
      tags: ['membership'], summary: 'Applications the caller vets (coordinators: all; points of contact: their countries)',
      querystring: z.object({ status: z.enum(APPLICATION_STATUSES).optional(), kind: z.enum(['membership', 'stakeholder']).optional() }).strict(),
    },
  }, async (req) => ({ items: await listApplications(db, req.actor, req.query) }));

  app.get('/api/membership/applications/:id', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['membership'], summary: 'One application with computed policies', params: Id },
  }, async (req) => getApplication(db, req.actor, req.params.id));

  app.get('/api/membership/applications/:id/mandate', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['membership'], summary: 'Download the mandate document', params: Id },
  }, async (req, reply) => {
    const m = await readMandate(db, vd.blobs, req.actor, req.params.id);
    const safe = m.filename.replace(/[^\w.\- ]/g, '_');
    return reply.type(m.contentType).header('content-disposition', `attachment; filename="${safe}"`).send(m.data);
  });

  const decision = (path: string, body: typeof ReasonOptional | typeof ReasonRequired, summary: string,
    run: (req: FastifyRequest, id: string, reason?: string) => Promise<unknown>) =>
    app.post(`/api/membership/applications/:id/${path}`, {
      config: { access: { permission: 'authenticated' } },
      schema: { tags: ['membership'], summary, params: Id, body },
    }, async (req) => run(req, req.params.id, req.body.reason));

  decision('validate', ReasonOptional, 'The national point of contact validates', (req, id, r) => pocDecision(db, vd, metaOf(req), id, 'validate', r));
  decision('decline', ReasonRequired, 'The national point of contact declines, with a reason', (req, id, r) => pocDecision(db, vd, metaOf(req), id, 'decline', r));
  decision('approve', ReasonOptional, 'A hub coordinator approves: the organisation is created and its head invited', (req, id, r) => coordinatorDecision(db, vd, metaOf(req), id, 'approve', r));
  decision('reject', ReasonRequired, 'A hub coordinator rejects, with a reason', (req, id, r) => coordinatorDecision(db, vd, metaOf(req), id, 'reject', r));

  app.get('/api/orgs/:id/invitations', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['invitations'], summary: "The organisation's invitations (org admin)", params: Id },
  }, async (req) => ({ items: await listInvitations(db, req.actor, req.params.id) }));

  app.post('/api/orgs/:id/invitations', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['invitations'], summary: 'Invite a person by email (org admin)', params: Id, body: InviteInput },
  }, async (req, reply) => reply.code(201).send(await inviteMember(db, vd, metaOf(req), req.params.id, req.body)));

  app.post('/api/invitations/:id/resend', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['invitations'], summary: 'Send a fresh link (the old one stops working) with a new expiry', params: Id },
  }, async (req) => resendInvitation(db, vd, metaOf(req), req.params.id));

  app.post('/api/invitations/:id/revoke', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['invitations'], summary: 'Revoke a pending invitation', params: Id },
  }, async (req) => revokeInvitation(db, metaOf(req), req.params.id));

  app.get('/api/invitations/lookup', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['invitations'], summary: 'What an invitation link is for (organisation, email, role)', querystring: TokenQuery },
  }, async (req) => invitationByToken(db, req.query.token));

  app.post('/api/invitations/accept', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['invitations'], summary: 'Accept: creates the account (or attaches the existing one, with its password)', body: AcceptInput },
  }, async (req, reply) => reply.code(201).send(await acceptInvitation(db, metaOf(req), req.body)));
};
