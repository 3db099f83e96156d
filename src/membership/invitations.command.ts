/**
 * Invitations to an organisation: an expiring one-time link by email (only its hash is stored);
 * re-sending issues a fresh link (the old one stops working) and a new expiry; revoking voids it.
 * Accepting creates the account with a password, or attaches an existing account (whose password
 * must then be given), with the invited role.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { OrgRole } from '../core/actor.ts';
import { userIdOf } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, invalid, notFound } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { assertCan } from '../core/policy.ts';
import { memberships, organisations, users } from '../core/tables.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { addMember } from '../orgs/members.command.ts';
import { canManageMembers } from '../orgs/policy.ts';
import { invitation as invitationMail } from './emails.ts';
import { invitations } from './tables.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
export type LinkDeps = { publicUrl: string };

const ROLE_NAMES: Record<OrgRole, Record<string, string>> = {
  org_admin: { en: 'organisation administrator', es: 'administrador de la organización', pt: 'administrador da organização', fr: "administrateur de l'organisation" },
  member: { en: 'member', es: 'miembro', pt: 'membro', fr: 'membre' },
  observer: { en: 'observer', es: 'observador', pt: 'observador', fr: 'observateur' },
};

async function sendInvitationMail(tx: Tx, deps: LinkDeps, inv: { email: string; role: OrgRole; locale: string; expiresAt: Date }, orgName: string, token: string) {
  const expires = inv.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
  await queueMail(tx, renderMail(invitationMail, inv.locale, {
    org: orgName, role: ROLE_NAMES[inv.role][inv.locale] ?? ROLE_NAMES[inv.role].en!, expires,
    link: `${deps.publicUrl}/invitations/accept?token=${token}`,
  }, inv.email, { tag: 'invitation' }));
}

/** Inside the caller's transaction (approval of an application, or an org admin inviting). */
export async function createInvitation(
  tx: Tx, deps: LinkDeps, meta: AuditMeta,
  input: { orgId: string; email: string; role: OrgRole; locale: string; displayName?: string | null; applicationId?: string | null },
) {
  const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, input.orgId));
  if (!org) throw notFound('Organisation');
  const [pending] = await tx.select({ id: invitations.id }).from(invitations).where(and(
    eq(invitations.orgId, input.orgId), sql`lower(${invitations.email}) = lower(${input.email})`,
    isNull(invitations.acceptedAt), isNull(invitations.revokedAt),
  ));
  if (pending) throw conflict('A pending invitation for this email exists; re-send or revoke it');
  const token = randomSecret();
  const row = {
    id: newId(), orgId: input.orgId, email: input.email, displayName: input.displayName ?? null, role: input.role,
    locale: input.locale, tokenHash: sha256(token), invitedBy: userIdOf(meta.actor), applicationId: input.applicationId ?? null,
    expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
  };
  await tx.insert(invitations).values(row);
  await appendAudit(tx, meta, {
    action: 'invitation.create', targetType: 'invitation', targetId: row.id, orgId: input.orgId,
    after: { email: row.email, role: row.role, expiresAt: row.expiresAt, applicationId: row.applicationId },
  });
  await sendInvitationMail(tx, deps, row, org.name, token);
  return { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt };
}

export async function inviteMember(db: DbOrTx, deps: LinkDeps, meta: AuditMeta, orgId: string, input: { email: string; role: OrgRole; locale: string; displayName?: string }) {
  assertCan(canManageMembers(meta.actor, orgId), 'Only an org admin invites people');
  return inTx(db, async (tx) => {
    const [already] = await tx.select({ id: users.id }).from(users).innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(eq(memberships.orgId, orgId), sql`lower(${users.email}) = lower(${input.email})`));
    if (already) throw conflict('This person already belongs to the organisation');
    return createInvitation(tx, deps, meta, { orgId, ...input });
  });
}

async function lockPending(tx: Tx, meta: AuditMeta, id: string) {
  const [inv] = await tx.select().from(invitations).where(eq(invitations.id, id)).for('update');
  if (!inv) throw notFound('Invitation');
  assertCan(canManageMembers(meta.actor, inv.orgId), 'Only an org admin manages invitations');
  if (inv.acceptedAt) throw new DomainError('invalid_transition', 'This invitation was already accepted');
  if (inv.revokedAt) throw new DomainError('invalid_transition', 'This invitation was revoked');
  return inv;
}

export async function resendInvitation(db: DbOrTx, deps: LinkDeps, meta: AuditMeta, id: string) {
  return inTx(db, async (tx) => {
    const inv = await lockPending(tx, meta, id);
    const token = randomSecret();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    await tx.update(invitations).set({ tokenHash: sha256(token), expiresAt, sendCount: inv.sendCount + 1 }).where(eq(invitations.id, id));
    await appendAudit(tx, meta, {
      action: 'invitation.resend', targetType: 'invitation', targetId: id, orgId: inv.orgId,
      before: { expiresAt: inv.expiresAt, sendCount: inv.sendCount }, after: { expiresAt, sendCount: inv.sendCount + 1 },
    });
    const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, inv.orgId));
    await sendInvitationMail(tx, deps, { ...inv, role: inv.role as OrgRole, expiresAt }, org!.name, token);
    return { id, expiresAt, sendCount: inv.sendCount + 1 };
  });
}

export async function revokeInvitation(db: DbOrTx, meta: AuditMeta, id: string) {
  return inTx(db, async (tx) => {
    const inv = await lockPending(tx, meta, id);
    const revokedAt = new Date();
    await tx.update(invitations).set({ revokedAt }).where(eq(invitations.id, id));
    await appendAudit(tx, meta, { action: 'invitation.revoke', targetType: 'invitation', targetId: id, orgId: inv.orgId, after: { revokedAt } });
    return { id, revokedAt };
  });
}

const goneLink = () => new DomainError('gone', 'This invitation link is invalid, expired, revoked or already used');

export async function acceptInvitation(db: DbOrTx, meta: AuditMeta, input: { token: string; password: string; displayName?: string; locale?: string }) {
  const newHash = await hashPassword(input.password);
  return inTx(db, async (tx) => {
    const [inv] = await tx.select().from(invitations).where(eq(invitations.tokenHash, sha256(input.token))).for('update');
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt < new Date()) throw goneLink();
    const [existing] = await tx.select().from(users).where(sql`lower(${users.email}) = lower(${inv.email})`);
    let userId: string;
    let created = false;
    if (existing) {
      if (existing.disabledAt) throw new DomainError('forbidden', 'This account is disabled');
      if (existing.passwordHash && !(await verifyPassword(existing.passwordHash, input.password))) {
        throw new DomainError('unauthenticated', 'This email already has an account: give its password to accept');
      }
      if (!existing.passwordHash) await tx.update(users).set({ passwordHash: newHash }).where(eq(users.id, existing.id));
      userId = existing.id;
    } else {
      const displayName = input.displayName ?? inv.displayName;
      if (!displayName) throw invalid('Your name is required', [{ path: 'displayName', message: 'required for a new account' }]);
      userId = newId();
      await tx.insert(users).values({
        id: userId, email: inv.email, displayName, passwordHash: newHash, locale: input.locale ?? inv.locale, emailVerifiedAt: new Date(),
      });
      created = true;
    }
    const acting: AuditMeta = { ...meta, actor: meta.actor.kind === 'anonymous' ? { kind: 'system', reason: 'invitation' } : meta.actor };
    if (created) {
      await appendAudit(tx, acting, { action: 'user.create', targetType: 'user', targetId: userId, after: { email: inv.email, via: 'invitation' } });
    }
    await addMember(tx, acting, { orgId: inv.orgId, userId, role: inv.role as OrgRole });
    await tx.update(invitations).set({ acceptedAt: new Date(), acceptedUserId: userId }).where(eq(invitations.id, inv.id));
    await appendAudit(tx, acting, {
      action: 'invitation.accept', targetType: 'invitation', targetId: inv.id, orgId: inv.orgId, after: { userId, created },
    });
    return { userId, orgId: inv.orgId, role: inv.role, email: inv.email, accountCreated: created };
  });
}
