/**
 * Who may see and change a case. Seeing: `visibleTo` on the case's marking (owner organisation +
 * participants; TLP:RED only named people) — the only rule. On top of it: items flagged internal
 * (notes, tasks, attachments) are for the owning organisation only; the owner's members (not
 * observers) change the case; participants add notes, tasks and attachments.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { forbidden, notFound } from '../core/errors.ts';
import { visibleTo } from '../core/visibility.ts';
import type { DbOrTx } from '../db/client.ts';
import { cases } from './tables.ts';

export type CaseRow = typeof cases.$inferSelect;

export async function loadCaseFor(db: DbOrTx, actor: Actor, id: string, opts: { lock?: boolean } = {}): Promise<CaseRow> {
  const q = db.select().from(cases).where(and(eq(cases.id, id), visibleTo(actor, cases)));
  const [c] = opts.lock ? await q.for('update') : await q;
  if (!c) throw notFound('Case');
  return c;
}

/** A member (not observer) of the owning organisation. */
export const isCaseOwner = (a: Actor, c: CaseRow): boolean =>
  a.kind === 'system' || (a.kind === 'user' && a.memberships.some((m) => m.orgId === c.ownerOrgId && m.role !== 'observer'));

/** Sees internal items: any member of the owning organisation. */
export const seesInternal = (a: Actor, c: CaseRow): boolean =>
  a.kind === 'system' || (a.kind === 'user' && a.memberships.some((m) => m.orgId === c.ownerOrgId));

/** A working member (not observer) of the owner or of a participating organisation. */
export const worksOnCase = (a: Actor, c: CaseRow): boolean =>
  isCaseOwner(a, c) || (a.kind === 'user' && a.memberships.some((m) => m.role !== 'observer' && c.scopeOrgIds.includes(m.orgId)));

export function assertOwner(a: Actor, c: CaseRow) {
  if (!isCaseOwner(a, c)) throw forbidden('Only the owning team changes this case');
}
export function assertWorks(a: Actor, c: CaseRow) {
  if (!worksOnCase(a, c)) throw forbidden('Only the teams working on this case add to it');
}
