/** Creating organisations (from an approved application, the demo, operators) and editing profiles. */
import { eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { assertCan } from '../core/policy.ts';
import { organisations } from '../core/tables.ts';
import type { Tx, DbOrTx } from '../db/client.ts';
import { assertCountry } from './countries.query.ts';
import { canEditOrg } from './policy.ts';
import { isNetworkMemberType, type OrgType } from './types.ts';

export type NewOrganisation = {
  id?: string; name: string; shortName?: string | null; type: OrgType; countryCode: string;
  website?: string | null; description?: string;
};

/** Inside the caller's transaction; the caller has checked who may create it. */
export async function createOrganisation(tx: Tx, meta: AuditMeta, input: NewOrganisation) {
  await assertCountry(tx, input.countryCode);
  const row = {
    id: input.id ?? newId(), name: input.name, shortName: input.shortName ?? null, type: input.type,
    countryCode: input.countryCode, networkMember: isNetworkMemberType(input.type),
    website: input.website ?? null, description: input.description ?? '',
  };
  await tx.insert(organisations).values(row);
  await appendAudit(tx, meta, { action: 'org.create', targetType: 'organisation', targetId: row.id, orgId: row.id, after: row });
  return row;
}

export async function updateOrganisation(db: DbOrTx, meta: AuditMeta, id: string, patch: { description?: string; website?: string | null }) {
  return inTx(db, async (tx) => {
    const [before] = await tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
    if (!before) throw notFound('Organisation');
    assertCan(canEditOrg(meta.actor, id), 'Observers cannot change the organisation');
    const set: Partial<typeof organisations.$inferInsert> = {};
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.website !== undefined) set.website = patch.website;
    if (Object.keys(set).length) await tx.update(organisations).set(set).where(eq(organisations.id, id));
    await appendAudit(tx, meta, {
      action: 'org.update', targetType: 'organisation', targetId: id, orgId: id,
      before: { description: before.description, website: before.website }, after: set,
    });
    return { id, ...set };
  });
}
