/** Applications (membership and stakeholder registration) and invitations to organisations. */
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from '../core/tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const applications = pgTable(
  'membership_applications',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(), // membership | stakeholder
    /** Who vets it: 'poc' (national point of contact, then coordinator) or 'coordinator' only. */
    route: text('route').notNull(),
    status: text('status').notNull(), // submitted | validated | declined | approved | rejected
    orgName: text('org_name').notNull(),
    orgType: text('org_type').notNull(),
    countryCode: text('country_code').notNull(),
    website: text('website'),
    constituency: text('constituency').notNull().default(''),
    headName: text('head_name').notNull(),
    headEmail: text('head_email').notNull(),
    headLocale: text('head_locale').notNull().default('en'),
    applicantEmail: text('applicant_email').notNull(),
    applicantLocale: text('applicant_locale').notNull().default('en'),
    mandateSha256: text('mandate_sha256'),
    mandateFilename: text('mandate_filename'),
    mandateContentType: text('mandate_content_type'),
    mandateSize: integer('mandate_size'),
    statusTokenHash: text('status_token_hash').notNull(),
    pocDecisionBy: uuid('poc_decision_by'),
    pocDecisionAt: tstz('poc_decision_at'),
    pocReason: text('poc_reason'),
    coordinatorDecisionBy: uuid('coordinator_decision_by'),
    coordinatorDecisionAt: tstz('coordinator_decision_at'),
    coordinatorReason: text('coordinator_reason'),
    orgId: uuid('org_id').references(() => organisations.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('membership_applications_status_token_idx').on(t.statusTokenHash),
    index('membership_applications_status_idx').on(t.status, t.countryCode),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    displayName: text('display_name'),
    role: text('role').notNull(), // org_admin | member | observer
    locale: text('locale').notNull().default('en'),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'),
    applicationId: uuid('application_id'),
    sendCount: integer('send_count').notNull().default(1),
    expiresAt: tstz('expires_at').notNull(),
    acceptedAt: tstz('accepted_at'),
    acceptedUserId: uuid('accepted_user_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: tstz('revoked_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('invitations_token_idx').on(t.tokenHash), index('invitations_org_idx').on(t.orgId)],
);
