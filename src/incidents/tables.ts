/**
 * Incident coordination: reports (from members and the public), cases with their participants,
 * tasks, timeline, links, attachments and observables, assistance requests and offers, and the
 * in-app notifications. Cases and assistance requests carry markingColumns: every read goes
 * through `visibleTo`. A case's audience is its owning organisation plus its participants
 * (scope 'orgs'); TLP:RED names its people. Items flagged `internal` are for the owner only.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markingColumns } from '../core/visibility.ts';
import { organisations, users } from '../core/tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const incidentReports = pgTable('incident_reports', {
  id: uuid('id').primaryKey(),
  /** member | public */
  source: text('source').notNull(),
  /** unverified (public, e-mail not yet confirmed) | received | triaged | rejected */
  status: text('status').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  classification: text('classification'),
  reporterName: text('reporter_name'),
  reporterEmail: text('reporter_email'),
  reporterOrgId: uuid('reporter_org_id').references(() => organisations.id),
  ip: text('ip'),
  verifyTokenHash: text('verify_token_hash'),
  verifyExpiresAt: tstz('verify_expires_at'),
  verifiedAt: tstz('verified_at'),
  locale: text('locale').notNull().default('en'),
  rejectReason: text('reject_reason'),
  caseId: uuid('case_id'),
  triagedBy: uuid('triaged_by'),
  triagedAt: tstz('triaged_at'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  /** ownerOrgId = the receiving team; createdBy = the reporting member (null for the public). */
  ...markingColumns(),
}, (t) => [index('incident_reports_owner_idx').on(t.ownerOrgId, t.status), index('incident_reports_ip_idx').on(t.ip, t.createdAt)]);

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey(),
  /** Human reference, e.g. HS-2026-K7QM4 (year and five random characters: unique, reveals no count). */
  reference: text('reference').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  classification: text('classification').notNull(),
  rsit: text('rsit'),
  severity: text('severity').notNull(),
  pap: text('pap').notNull(),
  status: text('status').notNull().default('new'),
  duplicateOfId: uuid('duplicate_of_id'),
  assigneeId: uuid('assignee_id').references(() => users.id),
  channelId: uuid('channel_id'),
  reportId: uuid('report_id'),
  openedAt: tstz('opened_at'),
  closedAt: tstz('closed_at'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
  ...markingColumns(),
}, (t) => [index('cases_owner_idx').on(t.ownerOrgId, t.status)]);

export const caseParticipants = pgTable('case_participants', {
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id),
  role: text('role').notNull(),
  addedBy: uuid('added_by'),
  addedAt: tstz('added_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.caseId, t.orgId] })]);

export const caseTasks = pgTable('case_tasks', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  assigneeId: uuid('assignee_id').references(() => users.id),
  dueAt: tstz('due_at'),
  doneAt: tstz('done_at'),
  internal: boolean('internal').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [index('case_tasks_case_idx').on(t.caseId)]);

export const caseTimeline = pgTable('case_timeline', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  /** note (manual) | auto (every change) */
  kind: text('kind').notNull(),
  /** For auto entries: what changed (status, participant, task…) and its data. */
  event: text('event'),
  data: jsonb('data').notNull().default({}),
  body: text('body').notNull().default(''),
  internal: boolean('internal').notNull().default(false),
  authorId: uuid('author_id'),
  authorOrgId: uuid('author_org_id'),
  at: tstz('at').notNull().defaultNow(),
}, (t) => [index('case_timeline_case_idx').on(t.caseId, t.at)]);

export const caseLinks = pgTable('case_links', {
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  otherCaseId: uuid('other_case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  /** related | duplicate_of | parent_of | child_of */
  relation: text('relation').notNull(),
  createdBy: uuid('created_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.caseId, t.otherCaseId] })]);

export const caseAttachments = pgTable('case_attachments', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  internal: boolean('internal').notNull().default(false),
  uploadedBy: uuid('uploaded_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [index('case_attachments_case_idx').on(t.caseId)]);

export const caseObservables = pgTable('case_observables', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  value: text('value').notNull(),
  /** Teams whose constituency matched (org ids), as found when extracted. */
  teamOrgIds: uuid('team_org_ids').array().notNull().default(sql`'{}'::uuid[]`),
  matched: text('matched'),
  notifiedOrgIds: uuid('notified_org_ids').array().notNull().default(sql`'{}'::uuid[]`),
  createdBy: uuid('created_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('case_observables_uniq').on(t.caseId, t.kind, t.value)]);

export const assistanceRequests = pgTable('assistance_requests', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  title: text('title').notNull(),
  whatHappened: text('what_happened').notNull(),
  helpKinds: text('help_kinds').array().notNull(),
  urgency: text('urgency').notNull(),
  /** open | in_progress (an offer accepted) | closed | withdrawn */
  status: text('status').notNull().default('open'),
  countryCode: text('country_code'),
  firstOfferAt: tstz('first_offer_at'),
  firstAcceptedAt: tstz('first_accepted_at'),
  closedAt: tstz('closed_at'),
  lessonsLearned: text('lessons_learned'),
  rating: integer('rating'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  ...markingColumns(),
}, (t) => [index('assistance_requests_status_idx').on(t.status, t.createdAt)]);

export const assistanceOffers = pgTable('assistance_offers', {
  id: uuid('id').primaryKey(),
  requestId: uuid('request_id').notNull().references(() => assistanceRequests.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  message: text('message').notNull(),
  helpKinds: text('help_kinds').array().notNull(),
  /** offered | accepted | declined | withdrawn */
  status: text('status').notNull().default('offered'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  decidedAt: tstz('decided_at'),
}, (t) => [uniqueIndex('assistance_offers_org_uniq').on(t.requestId, t.orgId)]);

/** In-app notifications: ids and a kind only; what they point to is read through visibility. */
export const incidentNotifications = pgTable('incident_notifications', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  caseId: uuid('case_id'),
  requestId: uuid('request_id'),
  reportId: uuid('report_id'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  readAt: tstz('read_at'),
}, (t) => [index('incident_notifications_user_idx').on(t.userId, t.createdAt)]);
