/** Reading invitations: an org's list (for its admins) and what a link holder may know. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { sha256 } from '../core/ids.ts';
import { assertCan } from '../core/policy.ts';
import { organisations, users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { canManageMembers } from '../orgs/policy.ts';
import { invitations } from './tables.ts';

type Inv = typeof invitations.$inferSelect;
export const invitationState = (i: Inv): 'accepted' | 'revoked' | 'expired' | 'pending' =>
  i.acceptedAt ? 'accepted' : i.revokedAt ? 'revoked' : i.expiresAt < new Date() ? 'expired' : 'pending';

export async function listInvitations(db: DbOrTx, actor: Actor, orgId: string) {
  assertCan(canManageMembers(actor, orgId), 'Only an org admin sees invitations');
  const list = await db.select().from(invitations).where(eq(invitations.orgId, orgId)).orderBy(desc(invitations.createdAt));
  return list.map((i) => {
    const state = invitationState(i);
    return {
      id: i.id, email: i.email, role: i.role, locale: i.locale, state, sendCount: i.sendCount, expiresAt: i.expiresAt,
      acceptedAt: i.acceptedAt, revokedAt: i.revokedAt, createdAt: i.createdAt,
      policies: { canResend: state === 'pending' || state === 'expired', canRevoke: state === 'pending' || state === 'expired' },
    };
  });
}

/** For the accept page: only with the link itself; a dead link is 'gone'. */
export async function invitationByToken(db: DbOrTx, token: string) {
  const [i] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256(token)));
  if (!i) throw notFound('Invitation');
  const state = invitationState(i);
  if (state !== 'pending') throw new DomainError('gone', `This invitation is ${state}`, { state });
  const [org] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, i.orgId));
  const [acct] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${i.email})`);
  return { email: i.email, role: i.role, organisation: org?.name, expiresAt: i.expiresAt, accountExists: !!acct, displayName: i.displayName };
}
