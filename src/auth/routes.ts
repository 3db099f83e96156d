import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Module } from '../http/app.ts';
import type { AuditMeta } from '../core/audit.ts';
import { DomainError, unauthenticated } from '../core/errors.ts';
import { completeSetup, hasAdministrator, SetupInput } from './setup.command.ts';
import { secretBoxFor } from '../crypto/secret-box.ts';
import { login, LoginInput, loginSecondFactor, SecondFactorInput } from './login.command.ts';
import { revokeAllSessions, revokeSession, SESSION_COOKIE, SESSION_TTL_MS } from './sessions.ts';
import { installEnrolmentGate, mustEnrol2fa } from './second-factor-policy.ts';
import { confirmEnrolment, ConfirmInput, disableTotp, DisableInput, hasTotp, regenerateRecoveryCodes, startEnrolment } from './two-factor.command.ts';
import { unlockWithToken } from './throttle.ts';
import { completePasswordReset, requestPasswordReset, ResetCompleteInput, ResetRequestInput } from './password-reset.command.ts';
import { verifyEmail, VerifyEmailInput } from './email-verification.command.ts';
import { getProfile } from './profile.command.ts';
import { meRoutes } from './me.routes.ts';

export const auditMeta = (req: FastifyRequest): AuditMeta => ({ actor: req.actor, ip: req.ip, requestId: req.id });
const TokenBody = z.object({ token: z.string().min(20).max(200) });
const pub = { access: { permission: 'public' as const } };
const enrolling = { access: { permission: 'authenticated' as const }, allowWhileEnrolling: true };

/** Throttling answers carry Retry-After. */
async function withRetryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'rate_limited' && typeof err.details?.retryAfterSeconds === 'number') {
      reply.header('retry-after', String(err.details.retryAfterSeconds));
    }
    throw err;
  }
}

export const authRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const config = deps.config;
  const secrets = secretBoxFor(config);
  const secure = config.publicUrl.startsWith('https://');
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: SESSION_TTL_MS / 1000 };
  const loginMeta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id });
  installEnrolmentGate(app, db, config);

  app.get('/api/setup/status', {
    config: pub,
    schema: { tags: ['setup'], summary: 'Whether the first administrator still has to be created' },
  }, async () => ({ needsSetup: !(await hasAdministrator(db)) }));

  app.post('/api/setup', {
    config: pub,
    schema: { tags: ['setup'], summary: 'Create the first platform administrator with the one-time setup link', body: SetupInput },
  }, async (req, reply) => {
    const user = await completeSetup(db, req.body, { ip: req.ip, requestId: req.id });
    return reply.code(201).send({ user });
  });

  app.post('/api/auth/login', {
    config: pub,
    schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie, or answers with a second-factor challenge', body: LoginInput },
  }, async (req, reply) => {
    const r = await withRetryAfter(reply, () => login(db, config, req.body, loginMeta(req)));
    if (r.kind === 'challenge') return { secondFactorRequired: true, challenge: r.challenge, expiresAt: r.expiresAt };
    reply.setCookie(SESSION_COOKIE, r.session.value, cookieOpts);
    return { user: r.user, csrfToken: r.session.csrfToken };
  });

  app.post('/api/auth/login/second-factor', {
    config: pub,
    schema: { tags: ['auth'], summary: 'Second sign-in step: the challenge and a TOTP or recovery code; sets the session cookie', body: SecondFactorInput },
  }, async (req, reply) => {
    const r = await withRetryAfter(reply, () => loginSecondFactor(db, config, req.body, loginMeta(req)));
    reply.setCookie(SESSION_COOKIE, r.session.value, cookieOpts);
    return { user: r.user, csrfToken: r.session.csrfToken };
  });

  app.post('/api/auth/logout', {
    config: enrolling,
    schema: { tags: ['auth'], summary: 'Sign out this session' },
  }, async (req, reply) => {
    const a = req.actor;
    if (a.kind === 'user' && a.sessionId) await revokeSession(db, a.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.post('/api/auth/logout-everywhere', {
    config: enrolling,
    schema: { tags: ['auth'], summary: 'Revoke every session of the current user' },
  }, async (req, reply) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    const revoked = await revokeAllSessions(db, a.userId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { revoked };
  });

  app.get('/api/auth/me', {
    config: enrolling,
    schema: { tags: ['auth'], summary: 'The signed-in user, memberships and second-factor state', querystring: z.object({}).strict() },
  }, async (req) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    const p = await getProfile(db, a.userId);
    return {
      user: { id: a.userId, email: a.email, displayName: p.displayName, locale: p.locale, timeZone: p.timeZone, platformRole: a.platformRole, emailVerified: p.emailVerified },
      memberships: a.memberships,
      via: a.via,
      twoFactorEnabled: p.twoFactorEnabled,
      mustEnrol2fa: await mustEnrol2fa(db, a, config),
    };
  });

  app.post('/api/auth/2fa/enrol', {
    config: enrolling,
    schema: { tags: ['auth'], summary: 'Start TOTP enrolment: the otpauth:// URI and its QR code (SVG and data URL)' },
  }, async (req) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    return startEnrolment(db, secrets, a.userId, auditMeta(req));
  });

  app.post('/api/auth/2fa/confirm', {
    config: enrolling,
    schema: { tags: ['auth'], summary: 'Confirm TOTP enrolment with a code; answers the 10 recovery codes, shown once', body: ConfirmInput },
  }, async (req) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    return confirmEnrolment(db, secrets, a.userId, req.body, auditMeta(req));
  });

  app.post('/api/auth/2fa/disable', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['auth'], summary: 'Turn two-step sign-in off (password and a TOTP or recovery code)', body: DisableInput },
  }, async (req, reply) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    await disableTotp(db, secrets, a.userId, req.body, auditMeta(req));
    return reply.code(204).send();
  });

  app.post('/api/auth/2fa/recovery-codes', {
    config: { access: { permission: 'authenticated' } },
    schema: { tags: ['auth'], summary: 'New recovery codes (the old ones stop working); needs a current code', body: ConfirmInput },
  }, async (req) => {
    const a = req.actor;
    if (a.kind !== 'user') throw unauthenticated();
    if (!(await hasTotp(db, a.userId))) throw new DomainError('invalid_transition', 'Two-step sign-in is not on');
    return regenerateRecoveryCodes(db, secrets, a.userId, req.body, auditMeta(req));
  });

  app.post('/api/auth/unlock', {
    config: pub,
    schema: { tags: ['auth'], summary: 'Unlock an account with the emailed link', body: TokenBody },
  }, async (req, reply) => {
    await unlockWithToken(db, req.body.token, auditMeta(req));
    return reply.code(204).send();
  });

  app.post('/api/auth/password-reset/request', {
    config: pub,
    schema: { tags: ['auth'], summary: 'Email a password-reset link; always 202 whatever the email', body: ResetRequestInput },
  }, async (req, reply) => {
    await requestPasswordReset(db, config, req.body, auditMeta(req));
    return reply.code(202).send({ accepted: true });
  });

  app.post('/api/auth/password-reset/complete', {
    config: pub,
    schema: { tags: ['auth'], summary: 'Set a new password with the emailed link; signs out every session', body: ResetCompleteInput },
  }, async (req) => completePasswordReset(db, req.body, auditMeta(req)));

  app.post('/api/auth/verify-email', {
    config: pub,
    schema: { tags: ['auth'], summary: 'Confirm an email address with the emailed link', body: VerifyEmailInput },
  }, async (req) => verifyEmail(db, req.body, auditMeta(req)));

  meRoutes(app, deps);
};
