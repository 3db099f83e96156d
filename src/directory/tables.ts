/**
 * The CSIRT directory: one profile per team (organisation) with a visibility per field, contacts,
 * OpenPGP keys, constituency entries (normalised for the lookup index), contact checks and their
 * per-contact requests, check schedules, and in-app notices.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, sharingGroups, users } from '../core/tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const teamProfiles = pgTable('team_profiles', {
  orgId: uuid('org_id').primaryKey().references(() => organisations.id, { onDelete: 'cascade' }),
  officialName: text('official_name'),
  additionalCountries: text('additional_countries').array().notNull().default(sql`'{}'::text[]`),
  established: text('established'), // ISO date (YYYY-MM-DD)
  roleEmail: text('role_email'),
  phones: text('phones').array().notNull().default(sql`'{}'::text[]`),
  emergencyPhone: text('emergency_phone'),
  businessHours: text('business_hours'),
  timeZone: text('time_zone'),
  constituencyDescription: text('constituency_description').notNull().default(''),
  sectors: text('sectors').array().notNull().default(sql`'{}'::text[]`),
  /** Field name → 'public' | 'members' | 'hub'; missing fields take the defaults of visibility.ts. */
  fieldVisibility: jsonb('field_visibility').notNull().default({}),
  lastConfirmedAt: tstz('last_confirmed_at'),
  lastConfirmedBy: uuid('last_confirmed_by'),
  staleNotifiedAt: tstz('stale_notified_at'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const teamContacts = pgTable('team_contacts', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(), // person | role
  name: text('name').notNull(),
  function: text('function').notNull().default(''),
  email: text('email').notNull(),
  phone: text('phone'),
  visibility: text('visibility').notNull().default('members'),
  lastVerifiedAt: tstz('last_verified_at'),
  lastVerifiedBy: text('last_verified_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [index('team_contacts_org_idx').on(t.orgId)]);

export const pgpKeys = pgTable('pgp_keys', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  contactId: uuid('contact_id').references(() => teamContacts.id, { onDelete: 'cascade' }),
  fingerprint: text('fingerprint').notNull(),
  userIds: text('user_ids').array().notNull(),
  algorithm: text('algorithm').notNull(),
  bits: integer('bits'),
  keyCreatedAt: tstz('key_created_at').notNull(),
  expiresAt: tstz('expires_at'),
  revoked: boolean('revoked').notNull().default(false),
  armored: text('armored').notNull(),
  visibility: text('visibility').notNull().default('public'),
  uploadedBy: uuid('uploaded_by'),
  uploadedAt: tstz('uploaded_at').notNull().defaultNow(),
  expiryNoticeSentAt: tstz('expiry_notice_sent_at'),
}, (t) => [uniqueIndex('pgp_keys_org_fpr_idx').on(t.orgId, t.fingerprint), index('pgp_keys_expiry_idx').on(t.expiresAt)]);

/** One row per ASN, IPv4/IPv6 prefix or domain a team is responsible for (normalised value). */
export const constituencyEntries = pgTable('constituency_entries', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(), // asn | ipv4 | ipv6 | domain
  value: text('value').notNull(),
}, (t) => [uniqueIndex('constituency_entries_uniq').on(t.orgId, t.kind, t.value), index('constituency_entries_value_idx').on(t.kind, t.value)]);

/** Bumped in every transaction that changes what the lookup index holds; nodes rebuild on change. */
export const directoryGeneration = pgTable('directory_generation', {
  id: integer('id').primaryKey().default(1),
  generation: bigint('generation', { mode: 'number' }).notNull(),
});

export const contactChecks = pgTable('contact_checks', {
  id: uuid('id').primaryKey(),
  scope: text('scope').notNull(), // all | group
  sharingGroupId: uuid('sharing_group_id').references(() => sharingGroups.id, { onDelete: 'set null' }),
  scheduleId: uuid('schedule_id'),
  startedBy: uuid('started_by'),
  startedAt: tstz('started_at').notNull().defaultNow(),
  deadlineAt: tstz('deadline_at').notNull(),
});

export const contactCheckRequests = pgTable('contact_check_requests', {
  id: uuid('id').primaryKey(),
  checkId: uuid('check_id').notNull().references(() => contactChecks.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  contactId: uuid('contact_id').references(() => teamContacts.id, { onDelete: 'set null' }),
  email: text('email').notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  tokenHash: text('token_hash').notNull(),
  answeredAt: tstz('answered_at'),
  answeredBy: text('answered_by'),
}, (t) => [uniqueIndex('contact_check_requests_token_idx').on(t.tokenHash), index('contact_check_requests_check_idx').on(t.checkId)]);

export const contactCheckSchedules = pgTable('contact_check_schedules', {
  id: uuid('id').primaryKey(),
  scope: text('scope').notNull(),
  sharingGroupId: uuid('sharing_group_id').references(() => sharingGroups.id, { onDelete: 'cascade' }),
  everyMonths: integer('every_months').notNull(),
  nextRunAt: tstz('next_run_at').notNull(),
  createdBy: uuid('created_by'),
  active: boolean('active').notNull().default(true),
});

/** In-app notices of the directory (contact-check requests, stale entries, expiring keys). */
export const directoryNotices = pgTable('directory_notices', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  data: jsonb('data').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  readAt: tstz('read_at'),
}, (t) => [index('directory_notices_user_idx').on(t.userId, t.createdAt)]);
