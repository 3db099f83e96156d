/**
 * The 2FA-required policy: users in a role listed in REQUIRE_2FA_ROLES (platform administrators,
 * coordinators, members of network (CSIRT) organisations by default) who have no confirmed TOTP
 * factor get a session limited to enrolment: every authenticated route refuses with
 * 'second_factor_required' except those marked `allowWhileEnrolling` (me, logout, enrolment).
 */
import type { FastifyInstance } from 'fastify';
import { isNetworkMember, type Actor } from '../core/actor.ts';
import { DomainError } from '../core/errors.ts';
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { hasTotp } from './two-factor.command.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable by a session that still has to enrol a required second factor. */
    allowWhileEnrolling?: boolean;
  }
}

export function secondFactorRequired(actor: Actor, roles: Config['auth']['require2faRoles']): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.platformRole && (roles as string[]).includes(actor.platformRole)) return true;
  return roles.includes('network_member') && isNetworkMember(actor);
}

export async function mustEnrol2fa(db: DbOrTx, actor: Actor, config: Config): Promise<boolean> {
  if (actor.kind !== 'user' || !secondFactorRequired(actor, config.auth.require2faRoles)) return false;
  return !(actor.hasTotp ?? (await hasTotp(db, actor.userId)));
}

/** Runs after the edge resolved and authorised the actor (hooks run in the order they were added). */
export function installEnrolmentGate(app: FastifyInstance, db: DbOrTx, config: Config): void {
  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config;
    if (!cfg?.access || cfg.access.permission === 'public' || cfg.allowWhileEnrolling) return;
    const a = req.actor;
    if (a?.kind !== 'user' || a.via !== 'session') return;
    if (await mustEnrol2fa(db, a, config)) {
      throw new DomainError('second_factor_required', 'Turn on two-step sign-in first: your role requires it', { mustEnrol2fa: true });
    }
  });
}
