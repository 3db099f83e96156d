/** Coordinators designate (and withdraw) national points of contact. */
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { userIdOf } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { conflict, notFound } from '../core/errors.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { assertCountry } from './countries.query.ts';
import { pointsOfContact } from './tables.ts';

export async function designatePointOfContact(db: DbOrTx, meta: AuditMeta, input: { countryCode: string; userId?: string; email?: string }) {
  assertCan(isCoordinator(meta.actor), 'Only a coordinator designates points of contact');
  return inTx(db, async (tx) => {
    await assertCountry(tx, input.countryCode);
    const [u] = await tx.select({ id: users.id, email: users.email }).from(users).where(
      input.userId ? eq(users.id, input.userId) : sql`lower(${users.email}) = lower(${input.email ?? ''})`,
    );
    if (!u) throw notFound('User');
    const inserted = await tx.insert(pointsOfContact)
      .values({ countryCode: input.countryCode, userId: u.id, designatedBy: userIdOf(meta.actor) })
      .onConflictDoNothing().returning({ userId: pointsOfContact.userId });
    if (!inserted.length) throw conflict('This user already is a point of contact for this country');
    await appendAudit(tx, meta, {
      action: 'country.poc.designate', targetType: 'country', targetId: input.countryCode, after: { userId: u.id, email: u.email },
    });
    return { countryCode: input.countryCode, userId: u.id };
  });
}

export async function withdrawPointOfContact(db: DbOrTx, meta: AuditMeta, input: { countryCode: string; userId: string }) {
  assertCan(isCoordinator(meta.actor), 'Only a coordinator withdraws points of contact');
  return inTx(db, async (tx) => {
    const removed = await tx.delete(pointsOfContact)
      .where(and(eq(pointsOfContact.countryCode, input.countryCode), eq(pointsOfContact.userId, input.userId)))
      .returning({ userId: pointsOfContact.userId });
    if (!removed.length) throw notFound('Point of contact');
    await appendAudit(tx, meta, {
      action: 'country.poc.withdraw', targetType: 'country', targetId: input.countryCode, before: { userId: input.userId },
    });
  });
}
