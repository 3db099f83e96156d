/** Input shapes of the incident API (zod), shared by routes and commands. */
import { z } from 'zod';
import { TLP_LEVELS } from '../core/tlp.ts';
import { HELP_KINDS, PAP_LEVELS, PARTICIPANT_ROLES, REGIONAL_CLASSES, RSIT_VALUES, SEVERITIES, URGENCIES } from './taxonomy.ts';
import { CASE_ACTIONS } from './workflow.ts';

const Text = (max: number) => z.string().trim().min(1).max(max);
export const Classification = z.enum(REGIONAL_CLASSES);
export const Rsit = z.string().refine((v) => RSIT_VALUES.includes(v), { message: 'not an RSIT class:type value' });

export const CreateCaseInput = z.object({
  title: Text(300),
  description: z.string().max(50_000).default(''),
  classification: Classification,
  rsit: Rsit.optional(),
  severity: z.enum(SEVERITIES).default('medium'),
  tlp: z.enum(TLP_LEVELS).default('amber'),
  pap: z.enum(PAP_LEVELS).default('amber'),
  ownerOrgId: z.string().uuid().optional(),
  /** TLP:RED: the people who may read it (the creator is always added). */
  recipientUserIds: z.array(z.string().uuid()).max(200).default([]),
  assigneeId: z.string().uuid().nullable().optional(),
}).strict();
export type CreateCaseInput = z.input<typeof CreateCaseInput>;

export const UpdateCaseInput = z.object({
  title: Text(300).optional(),
  description: z.string().max(50_000).optional(),
  classification: Classification.optional(),
  rsit: Rsit.nullable().optional(),
  severity: z.enum(SEVERITIES).optional(),
  tlp: z.enum(TLP_LEVELS).optional(),
  pap: z.enum(PAP_LEVELS).optional(),
  assigneeId: z.string().uuid().nullable().optional(),
  recipientUserIds: z.array(z.string().uuid()).max(200).optional(),
}).strict();
export type UpdateCaseInput = z.infer<typeof UpdateCaseInput>;

export const TransitionInput = z.object({
  action: z.enum(CASE_ACTIONS),
  reason: z.string().trim().max(5000).optional(),
  duplicateOfId: z.string().uuid().optional(),
}).strict();

export const ParticipantInput = z.object({
  orgId: z.string().uuid(),
  role: z.enum(PARTICIPANT_ROLES).default('helper'),
  /** TLP:RED cases: the people of that organisation who may read it. */
  userIds: z.array(z.string().uuid()).max(100).default([]),
}).strict();

export const NoteInput = z.object({ body: Text(20_000), internal: z.boolean().default(false) }).strict();
export const TaskInput = z.object({
  title: Text(300), dueAt: z.coerce.date().optional(), assigneeId: z.string().uuid().optional(), internal: z.boolean().default(false),
}).strict();
export const TaskUpdateInput = z.object({ done: z.boolean().optional(), title: Text(300).optional(), dueAt: z.coerce.date().nullable().optional() }).strict();
export const LinkInput = z.object({ otherCaseId: z.string().uuid(), relation: z.enum(['related', 'parent_of', 'child_of']).default('related') }).strict();
export const ExtractInput = z.object({ text: z.string().min(1).max(200_000) }).strict();
export const NotifyTeamsInput = z.object({ orgIds: z.array(z.string().uuid()).min(1).max(50) }).strict();

export const MemberReportInput = z.object({
  toOrgId: z.string().uuid(),
  title: Text(300),
  description: Text(50_000),
  classification: Classification.optional(),
  tlp: z.enum(TLP_LEVELS).default('amber').refine((t) => t !== 'red', { message: 'report TLP:RED matters directly to a person' }),
}).strict();

export const PublicReportInput = z.object({
  toOrgId: z.string().uuid().optional(),
  name: z.string().trim().max(200).optional(),
  email: z.string().trim().email().max(320),
  title: Text(300),
  description: Text(20_000),
  classification: Classification.optional(),
  locale: z.enum(['en', 'es', 'pt', 'fr']).default('en'),
}).strict();

export const TriageInput = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('case'),
    title: Text(300).optional(), classification: Classification.optional(), severity: z.enum(SEVERITIES).default('medium'),
    tlp: z.enum(TLP_LEVELS).default('amber'), pap: z.enum(PAP_LEVELS).default('amber'), existingCaseId: z.string().uuid().optional(),
  }).strict(),
  z.object({ decision: z.literal('reject'), reason: Text(5000) }).strict(),
]);

export const AssistanceInput = z.object({
  title: Text(300),
  whatHappened: Text(50_000),
  helpKinds: z.array(z.enum(HELP_KINDS)).min(1).max(HELP_KINDS.length),
  urgency: z.enum(URGENCIES).default('normal'),
  classification: Classification.default('other'),
  tlp: z.enum(TLP_LEVELS).default('amber').refine((t) => t !== 'red', { message: 'an assistance request reaches teams: TLP:RED is for named people' }),
  pap: z.enum(PAP_LEVELS).default('amber'),
  audience: z.enum(['network', 'group', 'teams']),
  sharingGroupId: z.string().uuid().optional(),
  teamOrgIds: z.array(z.string().uuid()).max(100).default([]),
  orgId: z.string().uuid().optional(),
}).strict();
export type AssistanceInput = z.infer<typeof AssistanceInput>;

export const OfferInput = z.object({ message: Text(10_000), helpKinds: z.array(z.enum(HELP_KINDS)).min(1).max(HELP_KINDS.length), orgId: z.string().uuid().optional() }).strict();
export const CloseAssistanceInput = z.object({ lessonsLearned: Text(50_000), rating: z.number().int().min(1).max(5) }).strict();
