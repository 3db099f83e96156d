/** Uploading and removing a team's (or a contact's) OpenPGP public keys. */
import { and, eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { userIdOf } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { assertCan } from '../core/policy.ts';
import type { DbOrTx } from '../db/client.ts';
import { canEditOrg } from '../orgs/policy.ts';
import { parsePublicKey } from './pgp.ts';
import { assertTeam, presentKey } from './profile.query.ts';
import { pgpKeys, teamContacts } from './tables.ts';

export async function uploadKey(db: DbOrTx, meta: AuditMeta, orgId: string, input: { armored: string; contactId?: string | null; visibility: string }) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator upload its keys");
  const parsed = await parsePublicKey(input.armored);
  return inTx(db, async (tx) => {
    await assertTeam(tx, orgId);
    if (input.contactId) {
      const [c] = await tx.select({ id: teamContacts.id }).from(teamContacts).where(and(eq(teamContacts.id, input.contactId), eq(teamContacts.orgId, orgId)));
      if (!c) throw notFound('Contact');
    }
    const [row] = await tx.insert(pgpKeys).values({
      id: newId(), orgId, contactId: input.contactId ?? null, fingerprint: parsed.fingerprint, userIds: parsed.userIds,
      algorithm: parsed.algorithm, bits: parsed.bits, keyCreatedAt: parsed.createdAt, expiresAt: parsed.expiresAt,
      revoked: parsed.revoked, armored: parsed.armored, visibility: input.visibility, uploadedBy: userIdOf(meta.actor),
    }).onConflictDoNothing().returning();
    if (!row) throw conflict(`The key ${parsed.fingerprint} is already published for this team`);
    const { armored: _a, ...summary } = row;
    await appendAudit(tx, meta, { action: 'directory.key.upload', targetType: 'pgp_key', targetId: row.id, orgId, after: summary });
    return presentKey(row);
  });
}

export async function removeKey(db: DbOrTx, meta: AuditMeta, orgId: string, id: string) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator remove its keys");
  return inTx(db, async (tx) => {
    const [row] = await tx.delete(pgpKeys).where(and(eq(pgpKeys.id, id), eq(pgpKeys.orgId, orgId))).returning();
    if (!row) throw notFound('Key');
    const { armored: _a, ...summary } = row;
    await appendAudit(tx, meta, { action: 'directory.key.remove', targetType: 'pgp_key', targetId: id, orgId, before: summary });
  });
}

/** The armoured key, when the actor may see it (same rule as the team page). */
export async function armoredKey(db: DbOrTx, id: string) {
  const [row] = await db.select().from(pgpKeys).where(eq(pgpKeys.id, id));
  if (!row) throw notFound('Key');
  return row;
}
