/** From the request's cookie or Authorization header to an Actor. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.ts';
import { anonymous } from '../core/actor.ts';
import { unauthenticated } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import { findSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { resolveApiToken } from '../auth/tokens.ts';

export async function resolveActor(db: Db, req: FastifyRequest): Promise<{ actor: Actor; csrfToken?: string }> {
  const auth = req.headers.authorization;
  if (auth) {
    const actor = await resolveApiToken(db, auth);
    if (!actor) throw unauthenticated('Invalid, expired or revoked credentials');
    return { actor };
  }
  const value = req.cookies?.[SESSION_COOKIE];
  if (value) {
    const s = await findSession(db, value);
    if (s) {
      const actor = await loadUserActor(db, s.userId, { via: 'session', sessionId: s.id });
      if (actor) return { actor, csrfToken: s.csrfToken };
    }
  }
  return { actor: anonymous };
}
