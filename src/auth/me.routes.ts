import { z } from 'zod';
import type { Module } from '../http/app.ts';
import { forbidden, unauthenticated } from '../core/errors.ts';
import type { UserActor } from '../core/actor.ts';
import type { Actor } from '../core/actor.ts';
import { changePassword, ChangePasswordInput, getProfile, listSessions, ProfilePatch, revokeOwnSession, updateProfile } from './profile.command.ts';
import { ChangeEmailInput, requestEmailChange, resendVerification } from './email-verification.command.ts';
import { createTokenFor, CreateTokenInput, revokeTokenCommand } from './api-tokens.command.ts';
import { listApiTokens } from './tokens.ts';
import { auditMeta } from './routes.ts';

const authed = { access: { permission: 'authenticated' as const } };
const me = (a: Actor): UserActor => {
  if (a.kind !== 'user') throw unauthenticated();
  return a;
};
/** Account management is for people at the keyboard, not for tokens. */
const viaSession = (a: Actor): UserActor => {
  const u = me(a);
  if (u.via !== 'session') throw forbidden('Manage your account and tokens from a signed-in session, not with an API token');
  return u;
};

export const meRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const config = deps.config;

  app.get('/api/me', { config: authed, schema: { tags: ['me'], summary: 'My profile' } },
    async (req) => getProfile(db, me(req.actor).userId));

  app.patch('/api/me', {
    config: authed, schema: { tags: ['me'], summary: 'Change my display name, language (en, es, pt, fr) or IANA time zone', body: ProfilePatch },
  }, async (req) => updateProfile(db, viaSession(req.actor).userId, req.body, auditMeta(req)));

  app.post('/api/me/password', {
    config: authed, schema: { tags: ['me'], summary: 'Change my password (needs the current one); signs out my other sessions', body: ChangePasswordInput },
  }, async (req) => {
    const a = viaSession(req.actor);
    return changePassword(db, a.userId, a.sessionId, req.body, auditMeta(req));
  });

  app.post('/api/me/email', {
    config: authed, schema: { tags: ['me'], summary: 'Change my email: a verification link goes to the new address', body: ChangeEmailInput },
  }, async (req, reply) => {
    await requestEmailChange(db, config, viaSession(req.actor).userId, req.body, auditMeta(req));
    return reply.code(202).send({ accepted: true });
  });

  app.post('/api/me/email/verification', {
    config: authed, schema: { tags: ['me'], summary: 'Send the verification link for my current address again' },
  }, async (req, reply) => {
    await resendVerification(db, config, viaSession(req.actor).userId, auditMeta(req));
    return reply.code(202).send({ accepted: true });
  });

  app.get('/api/me/sessions', { config: authed, schema: { tags: ['me'], summary: 'My active sessions (the current one marked)' } },
    async (req) => {
      const a = me(req.actor);
      return { items: await listSessions(db, a.userId, a.sessionId) };
    });

  app.delete('/api/me/sessions/:id', {
    config: authed, schema: { tags: ['me'], summary: 'Revoke one of my sessions', params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }) },
  }, async (req, reply) => {
    await revokeOwnSession(db, viaSession(req.actor).userId, req.params.id, auditMeta(req));
    return reply.code(204).send();
  });

  app.get('/api/me/tokens', { config: authed, schema: { tags: ['me'], summary: 'My API tokens (never their secret)' } },
    async (req) => ({ items: await listApiTokens(db, me(req.actor).userId) }));

  app.post('/api/me/tokens', {
    config: authed, schema: { tags: ['me'], summary: 'Create an API token; the secret is shown only in this answer', body: CreateTokenInput },
  }, async (req, reply) => {
    const t = await createTokenFor(db, viaSession(req.actor).userId, req.body, auditMeta(req));
    return reply.code(201).send(t);
  });

  app.delete('/api/me/tokens/:id', {
    config: authed, schema: { tags: ['me'], summary: 'Revoke one of my API tokens', params: z.object({ id: z.string().uuid() }) },
  }, async (req, reply) => {
    await revokeTokenCommand(db, req.params.id, me(req.actor).userId, auditMeta(req));
    return reply.code(204).send();
  });
};
