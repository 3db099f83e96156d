/** Automatic timeline entries: one for every change of a case, written in the change's transaction. */
import type { AuditMeta } from '../core/audit.ts';
import { newId } from '../core/ids.ts';
import type { DbOrTx } from '../db/client.ts';
import { caseTimeline } from './tables.ts';

export async function autoEntry(tx: DbOrTx, meta: AuditMeta, caseId: string, event: string, data: Record<string, unknown> = {}, internal = false) {
  const a = meta.actor;
  await tx.insert(caseTimeline).values({
    id: newId(), caseId, kind: 'auto', event, data, internal,
    authorId: a.kind === 'user' ? a.userId : null, authorOrgId: a.kind === 'user' ? (a.memberships[0]?.orgId ?? null) : null,
  });
}
