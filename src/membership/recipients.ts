/** Who gets told: the hub coordinators (administrators when no coordinator exists yet). */
import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';

export async function coordinatorRecipients(db: DbOrTx): Promise<{ id: string; email: string; locale: string }[]> {
  const pick = (role: string) => db.select({ id: users.id, email: users.email, locale: users.locale }).from(users)
    .where(and(eq(users.platformRole, role), isNull(users.disabledAt)));
  const coordinators = await pick('coordinator');
  return coordinators.length ? coordinators : pick('administrator');
}
