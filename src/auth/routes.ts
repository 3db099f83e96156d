import { z } from 'zod';
import type { Module } from '../http/app.ts';
import { unauthenticated } from '../core/errors.ts';
import { completeSetup, hasAdministrator, SetupInput } from './setup.command.ts';
import { login, LoginInput } from './login.command.ts';
import { revokeAllSessions, revokeSession, SESSION_COOKIE, SESSION_TTL_MS } from './sessions.ts';
import { users } from '../core/tables.ts';
import { eq } from 'drizzle-orm';

export const authRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const secure = deps.config.publicUrl.startsWith('https://');
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: SESSION_TTL_MS / 1000 };

  app.get('/api/setup/status', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['setup'], summary: 'Whether the first administrator still has to be created' },
  }, async () => ({ needsSetup: !(await hasAdministrator(db)) }));

  app.post('/api/setup', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['setup'], summary: 'Create the first platform administrator with the one-time setup link', body: SetupInput },
  }, async (req, reply) => {
    const user = await completeSetup(db, req.body, { ip: req.ip, requestId: req.id });
    return reply.code(201).send({ user });
  });

  app.post('/api/auth/login', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: LoginInput },
  }, async (req, reply) => {
    const { session, user } = await login(db, req.body, { ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id });
    reply.setCookie(SESSION_COOKIE, session.value, cookieOpts);
    return { user, csrfToken: session.csrfToken };
  });

  app.post('/api/auth/logout', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['auth'], summary: 'Sign out this session' },
  }, async (req, reply) => {
    const a = req.actor;
    if (a.kind === 'user' && a.sessionId) await revokeSession(db, a.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.post('/api/auth/logout-everywhere', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['auth'], summary: 'Revoke every session of the current user' },
  }, async (req, reply) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    const revoked = await revokeAllSessions(db, a.userId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { revoked };
  });

  app.get('/api/auth/me', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['auth'], summary: 'The signed-in user, memberships and computed permissions', querystring: z.object({}).strict() },
  }, async (req) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    const [u] = await db.select().from(users).where(eq(users.id, a.userId));
    return {
      user: { id: a.userId, email: a.email, displayName: u?.displayName, locale: a.locale, timeZone: u?.timeZone, platformRole: a.platformRole },
      memberships: a.memberships,
      via: a.via,
    };
  });
};
