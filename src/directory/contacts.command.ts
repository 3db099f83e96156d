/** A team's contacts (people and role addresses, with their function and visibility). */
import { and, eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { assertCan } from '../core/policy.ts';
import type { DbOrTx } from '../db/client.ts';
import { canEditOrg } from '../orgs/policy.ts';
import { assertTeam } from './profile.query.ts';
import { teamContacts } from './tables.ts';

type ContactFields = { kind: string; name: string; function: string; email: string; phone?: string | null; visibility: string };

export async function addContact(db: DbOrTx, meta: AuditMeta, orgId: string, input: ContactFields) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator edit its contacts");
  return inTx(db, async (tx) => {
    await assertTeam(tx, orgId);
    const [row] = await tx.insert(teamContacts).values({ id: newId(), orgId, ...input, phone: input.phone ?? null }).returning();
    await appendAudit(tx, meta, { action: 'directory.contact.add', targetType: 'team_contact', targetId: row!.id, orgId, after: row });
    return row!;
  });
}

export async function updateContact(db: DbOrTx, meta: AuditMeta, orgId: string, id: string, patch: Partial<ContactFields>) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator edit its contacts");
  return inTx(db, async (tx) => {
    const where = and(eq(teamContacts.id, id), eq(teamContacts.orgId, orgId));
    const [before] = await tx.select().from(teamContacts).where(where).for('update');
    if (!before) throw notFound('Contact');
    // A changed address is no longer verified.
    const reset = patch.email && patch.email.toLowerCase() !== before.email.toLowerCase() ? { lastVerifiedAt: null, lastVerifiedBy: null } : {};
    const [row] = await tx.update(teamContacts).set({ ...patch, ...reset }).where(where).returning();
    await appendAudit(tx, meta, { action: 'directory.contact.update', targetType: 'team_contact', targetId: id, orgId, before, after: row });
    return row!;
  });
}

export async function removeContact(db: DbOrTx, meta: AuditMeta, orgId: string, id: string) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator edit its contacts");
  return inTx(db, async (tx) => {
    const [before] = await tx.delete(teamContacts).where(and(eq(teamContacts.id, id), eq(teamContacts.orgId, orgId))).returning();
    if (!before) throw notFound('Contact');
    await appendAudit(tx, meta, { action: 'directory.contact.remove', targetType: 'team_contact', targetId: id, orgId, before });
  });
}
