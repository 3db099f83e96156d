/** National points of contact: who they are, and whether a user is one for a country. */
import { and, asc, eq } from 'drizzle-orm';
import { users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { pointsOfContact } from './tables.ts';

export async function listPointsOfContact(db: DbOrTx, countryCode: string) {
  return db.select({ userId: users.id, displayName: users.displayName, email: users.email, since: pointsOfContact.createdAt })
    .from(pointsOfContact).innerJoin(users, eq(users.id, pointsOfContact.userId))
    .where(eq(pointsOfContact.countryCode, countryCode)).orderBy(asc(users.displayName));
}

/** Recipients for notifications: enabled PoCs of the country, with their language. */
export async function pocRecipients(db: DbOrTx, countryCode: string) {
  const r = await db.select({ id: users.id, email: users.email, locale: users.locale, disabledAt: users.disabledAt })
    .from(pointsOfContact).innerJoin(users, eq(users.id, pointsOfContact.userId))
    .where(eq(pointsOfContact.countryCode, countryCode));
  return r.filter((u) => !u.disabledAt);
}

export async function isPointOfContact(db: DbOrTx, userId: string, countryCode: string): Promise<boolean> {
  const [r] = await db.select({ u: pointsOfContact.userId }).from(pointsOfContact)
    .where(and(eq(pointsOfContact.userId, userId), eq(pointsOfContact.countryCode, countryCode)));
  return !!r;
}

export async function pocCountriesOf(db: DbOrTx, userId: string): Promise<string[]> {
  const r = await db.select({ c: pointsOfContact.countryCode }).from(pointsOfContact).where(eq(pointsOfContact.userId, userId));
  return r.map((x) => x.c);
}
