/** From the request's cookie or Authorization header to an Actor. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.ts';
import { anonymous } from '../core/actor.ts';
import { unauthenticated } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import { loadSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { resolveApiToken } from '../auth/tokens.ts';

/** With a SessionCache (the app's), cookie sessions are served from it; API tokens are always read. */
export async function resolveActor(db: Db, req: FastifyRequest, cache?: SessionCache): Promise<{ actor: Actor; csrfToken?: string }> {
  const auth = req.headers.authorization;
  if (auth) {
    const actor = await resolveApiToken(db, auth);
    if (!actor) throw unauthenticated('Invalid, expired or revoked credentials');
    return { actor };
  }
  const value = req.cookies?.[SESSION_COOKIE];
  if (value) {
    const s = cache ? await cache.resolve(db, value) : await loadSession(db, value);
    if (s) return { actor: s.actor, csrfToken: s.csrfToken };
  }
  return { actor: anonymous };
}
