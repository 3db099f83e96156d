/** Coordinators create and archive mailing lists; the public list takes subscribers, member lists resolve from the directory. */
import { eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { sharingGroups } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import type { ListInput } from './schema.ts';
import { mailingLists } from './tables.ts';

export async function createList(db: DbOrTx, meta: AuditMeta, input: ListInput) {
  assertCan(isCoordinator(meta.actor), 'Only coordinators manage mailing lists');
  if (input.kind === 'members' && !input.audience) throw invalid('A member list needs an audience', [{ path: 'audience', message: 'required for kind members' }]);
  if (input.kind === 'public' && input.audience) throw invalid('A public list has subscribers, not an audience', [{ path: 'audience', message: 'only for kind members' }]);
  return inTx(db, async (tx) => {
    if (input.audience?.type === 'sharing_group') {
      const [g] = await tx.select({ id: sharingGroups.id }).from(sharingGroups).where(eq(sharingGroups.id, input.audience.groupId));
      if (!g) throw notFound('Sharing group');
    }
    const [dup] = await tx.select({ id: mailingLists.id }).from(mailingLists).where(eq(mailingLists.slug, input.slug));
    if (dup) throw conflict(`A list named "${input.slug}" exists`);
    const row = { id: newId(), slug: input.slug, kind: input.kind, name: input.name, description: input.description, audience: input.audience ?? null, topics: input.topics };
    await tx.insert(mailingLists).values(row);
    await appendAudit(tx, meta, { action: 'mailing.list.create', targetType: 'mailing_list', targetId: row.id, after: row });
    return row;
  });
}

export async function archiveList(db: DbOrTx, meta: AuditMeta, id: string) {
  assertCan(isCoordinator(meta.actor), 'Only coordinators manage mailing lists');
  return inTx(db, async (tx) => {
    const [list] = await tx.select().from(mailingLists).where(eq(mailingLists.id, id)).for('update');
    if (!list) throw notFound('Mailing list');
    if (list.archivedAt) throw new DomainError('invalid_transition', 'This list is already archived');
    const archivedAt = new Date();
    await tx.update(mailingLists).set({ archivedAt }).where(eq(mailingLists.id, id));
    await appendAudit(tx, meta, { action: 'mailing.list.archive', targetType: 'mailing_list', targetId: id, after: { archivedAt } });
    return { id, archivedAt };
  });
}
