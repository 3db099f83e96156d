/** The suppression list as coordinators see it (newest first), with the bounces behind each entry. */
import { desc, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { mailingSuppressions } from './tables.ts';

export async function listSuppressions(db: DbOrTx, limit = 500) {
  return db.select({
    email: mailingSuppressions.email, reason: mailingSuppressions.reason, detail: mailingSuppressions.detail, createdAt: mailingSuppressions.createdAt,
    bounces: sql<number>`(SELECT count(*)::int FROM mailing_bounces b WHERE lower(b.email) = ${mailingSuppressions.email})`,
  }).from(mailingSuppressions).orderBy(desc(mailingSuppressions.createdAt)).limit(limit);
}
