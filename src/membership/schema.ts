/** Inputs of the vetting workflow and invitations (zod), shared by HTTP and other entry points. */
import { z } from 'zod';
import { LOCALES } from '../i18n/locales.ts';
import { PasswordSchema } from '../auth/setup.command.ts';
import { CountryCodeSchema, CSIRT_TYPES, OrgRoleSchema, STAKEHOLDER_TYPES } from '../orgs/types.ts';

export const MANDATE_MAX_BYTES = 10 * 1024 * 1024;
export const MANDATE_TYPES = [
  'application/pdf', 'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/msword',
  'image/png', 'image/jpeg', 'text/plain',
] as const;

export const MandateInput = z.object({
  filename: z.string().trim().min(1).max(200),
  contentType: z.string().trim().max(200),
  /** The file, base64-encoded (multipart uploads are converted to this shape). */
  dataBase64: z.string().min(1).max(Math.ceil(MANDATE_MAX_BYTES * 1.4)).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'must be base64'),
});

const common = {
  orgName: z.string().trim().min(2).max(200),
  countryCode: CountryCodeSchema,
  website: z.string().url().max(500).optional(),
  constituency: z.string().trim().max(5000).default(''),
  headName: z.string().trim().min(1).max(120),
  headEmail: z.string().trim().email().max(254),
  headLocale: z.enum(LOCALES).optional(),
  applicantEmail: z.string().trim().email().max(254),
  locale: z.enum(LOCALES).default('en'),
};

export const ApplicationInput = z.object({
  ...common,
  orgType: z.enum(CSIRT_TYPES),
  constituency: z.string().trim().min(10).max(5000),
  mandate: MandateInput,
}).strict();
export type ApplicationInput = z.infer<typeof ApplicationInput>;

export const StakeholderInput = z.object({ ...common, orgType: z.enum(STAKEHOLDER_TYPES), mandate: MandateInput.optional() }).strict();
export type StakeholderInput = z.infer<typeof StakeholderInput>;

export const ReasonOptional = z.object({ reason: z.string().trim().max(2000).optional() }).strict();
export const ReasonRequired = z.object({ reason: z.string().trim().min(3, 'give a reason').max(2000) }).strict();

export const InviteInput = z.object({
  email: z.string().trim().email().max(254),
  role: OrgRoleSchema,
  displayName: z.string().trim().min(1).max(120).optional(),
  locale: z.enum(LOCALES).default('en'),
}).strict();

export const AcceptInput = z.object({
  token: z.string().min(10).max(200),
  password: PasswordSchema,
  displayName: z.string().trim().min(1).max(120).optional(),
  locale: z.enum(LOCALES).optional(),
}).strict();

export const APPLICATION_STATUSES = ['submitted', 'validated', 'declined', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
