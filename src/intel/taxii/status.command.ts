/**
 * TAXII status resources (section 4.3): the outcome of a POST, per object. Ingest runs while the
 * request is open, so a status is `complete` when it is returned; `pendings` is kept for clients
 * and for a future asynchronous mode.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../core/actor.ts';
import { appendAudit, type AuditMeta } from '../../core/audit.ts';
import { inTx } from '../../core/context.ts';
import { notFound } from '../../core/errors.ts';
import { isUuid, newId } from '../../core/ids.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { IngestReport } from '../ingest.command.ts';
import { taxiiStatuses, type StatusDetail } from './tables.ts';

export type TaxiiStatus = typeof taxiiStatuses.$inferSelect;

/** Successes are objects now stored (added, or already there unchanged); failures carry the reason. */
export function statusDetails(report: IngestReport): { successes: StatusDetail[]; failures: StatusDetail[] } {
  const successes: StatusDetail[] = [];
  const failures: StatusDetail[] = [];
  for (const r of report.results) {
    const id = r.id ?? `(object #${r.index})`;
    const version = r.version ?? undefined;
    if (r.status === 'added' || r.status === 'unchanged') {
      successes.push({ id, ...(version ? { version } : {}), ...(r.status === 'unchanged' ? { message: 'already stored' } : {}) });
    } else {
      const message = (r.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') || r.status;
      failures.push({ id, ...(version ? { version } : {}), message });
    }
  }
  return { successes, failures };
}

export async function recordStatus(db: DbOrTx, meta: AuditMeta, input: { userId: string; collectionId: string; requestTimestamp: Date; report: IngestReport }): Promise<TaxiiStatus> {
  const { successes, failures } = statusDetails(input.report);
  const c = input.report.counts;
  return inTx(db, async (tx) => {
    const [row] = await tx.insert(taxiiStatuses).values({
      id: newId(), userId: input.userId, collectionId: input.collectionId, status: 'complete', requestTimestamp: input.requestTimestamp,
      totalCount: input.report.total, successCount: c.added + c.unchanged, failureCount: c.rejected + c.conflict, pendingCount: 0,
      successes, failures, pendings: [],
    }).returning();
    await appendAudit(tx, meta, {
      action: 'taxii.objects_posted', targetType: 'taxii_status', targetId: row!.id,
      after: { collectionId: input.collectionId, total: row!.totalCount, successes: row!.successCount, failures: row!.failureCount },
    });
    return row!;
  });
}

/** A status is readable only by the user who posted. */
export async function getStatus(db: DbOrTx, actor: Actor, id: string): Promise<TaxiiStatus> {
  if (actor.kind !== 'user' || !isUuid(id)) throw notFound('Status');
  const [row] = await db.select().from(taxiiStatuses).where(and(eq(taxiiStatuses.id, id), eq(taxiiStatuses.userId, actor.userId)));
  if (!row) throw notFound('Status');
  return row;
}

export const presentStatus = (s: TaxiiStatus) => ({
  id: s.id, status: s.status, request_timestamp: s.requestTimestamp.toISOString(),
  total_count: s.totalCount, success_count: s.successCount, failure_count: s.failureCount, pending_count: s.pendingCount,
  successes: s.successes, failures: s.failures, pendings: s.pendings,
});
