/** Editing a team's profile (fields and their visibility) and re-confirming the entry. */
import { eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { userIdOf } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { assertCan } from '../core/policy.ts';
import { organisations } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { canEditOrg, canManageMembers } from '../orgs/policy.ts';
import { levelsOf } from './field-visibility.ts';
import { bumpGeneration } from './lookup.query.ts';
import { assertTeam } from './profile.query.ts';
import type { ProfileInputT } from './schema.ts';
import { teamProfiles } from './tables.ts';

export async function updateProfile(db: DbOrTx, meta: AuditMeta, orgId: string, input: ProfileInputT) {
  assertCan(canEditOrg(meta.actor, orgId), "Only the team's members or a coordinator edit its entry");
  return inTx(db, async (tx) => {
    const org = await assertTeam(tx, orgId);
    const [before] = await tx.select().from(teamProfiles).where(eq(teamProfiles.orgId, orgId)).for('update');
    const { website, fieldVisibility, ...fields } = input;
    const visibility = fieldVisibility ? { ...levelsOf(before?.fieldVisibility), ...fieldVisibility } : levelsOf(before?.fieldVisibility);
    const set = { ...fields, fieldVisibility: visibility, updatedAt: new Date() };
    await tx.insert(teamProfiles).values({ orgId, ...set }).onConflictDoUpdate({ target: teamProfiles.orgId, set });
    if (website !== undefined) await tx.update(organisations).set({ website }).where(eq(organisations.id, orgId));
    const constituencyLevels = ['asns', 'ipv4', 'ipv6', 'domains'] as const;
    const old = levelsOf(before?.fieldVisibility);
    if (constituencyLevels.some((f) => old[f] !== visibility[f])) await bumpGeneration(tx);
    await appendAudit(tx, meta, {
      action: 'directory.profile.update', targetType: 'organisation', targetId: orgId, orgId,
      before: before ? { ...before, website: org.website } : null, after: { ...set, ...(website !== undefined ? { website } : {}) },
    });
  });
}

/** An org admin (or a coordinator) confirms the entry is still right; resets the staleness clock. */
export async function confirmEntry(db: DbOrTx, meta: AuditMeta, orgId: string) {
  assertCan(canManageMembers(meta.actor, orgId), "Only the team's administrators confirm its entry");
  return inTx(db, async (tx) => {
    await assertTeam(tx, orgId);
    const at = new Date();
    const set = { lastConfirmedAt: at, lastConfirmedBy: userIdOf(meta.actor), staleNotifiedAt: null };
    await tx.insert(teamProfiles).values({ orgId, ...set }).onConflictDoUpdate({ target: teamProfiles.orgId, set });
    await appendAudit(tx, meta, { action: 'directory.profile.confirm', targetType: 'organisation', targetId: orgId, orgId, after: { at } });
    return { lastConfirmedAt: at };
  });
}
