/**
 * Account-security tables: the TOTP second factor, its one-time recovery codes, failed sign-in
 * attempts (counted in the database so that every app node sees the same numbers) and locks.
 */
import { bigint, bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../core/tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One TOTP factor per user; confirmedAt null while enrolment is pending. */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  confirmedAt: tstz('confirmed_at'),
  /** The last accepted 30-second time step: a code is accepted only for a later step (no replay). */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/** One-time recovery codes, stored as sha256. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: tstz('used_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Failed sign-in attempts (wrong password, unknown account, wrong second factor). */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(), // lower-cased
    ip: text('ip'),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('login_failures_email_idx').on(t.email, t.at), index('login_failures_ip_idx').on(t.ip, t.at)],
);

/** A locked account: sign-in is refused until lockedUntil or until the emailed unlock link is used. */
export const accountLocks = pgTable('account_locks', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  lockedAt: tstz('locked_at').notNull().defaultNow(),
  lockedUntil: tstz('locked_until').notNull(),
});
