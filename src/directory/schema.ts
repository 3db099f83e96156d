/** Input shapes of the directory API (zod), shared by routes and the CLI. */
import { z } from 'zod';
import { CountryCodeSchema } from '../orgs/types.ts';
import { LEVELS, PROFILE_FIELDS, type ProfileField } from './field-visibility.ts';

export const LevelSchema = z.enum(LEVELS);
const short = (n: number) => z.string().trim().max(n);

export const ProfileInput = z.object({
  officialName: short(300).min(1).nullable().optional(),
  additionalCountries: z.array(CountryCodeSchema).max(50).optional(),
  established: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY, YYYY-MM or YYYY-MM-DD').nullable().optional(),
  website: z.string().url().max(500).nullable().optional(),
  roleEmail: z.string().email().max(254).nullable().optional(),
  phones: z.array(short(50).min(3)).max(10).optional(),
  emergencyPhone: short(50).min(3).nullable().optional(),
  businessHours: short(200).nullable().optional(),
  timeZone: short(64).refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'unknown IANA time zone').nullable().optional(),
  constituencyDescription: short(5000).optional(),
  sectors: z.array(short(60).min(1)).max(30).optional(),
  fieldVisibility: z.partialRecord(z.enum(PROFILE_FIELDS as [ProfileField, ...ProfileField[]]), LevelSchema).optional(),
}).strict();
export type ProfileInputT = z.infer<typeof ProfileInput>;

export const ConstituencyBody = z.object({
  asns: z.array(z.string().max(20)).max(10_000).optional(),
  ipv4: z.array(z.string().max(50)).max(200_000).optional(),
  ipv6: z.array(z.string().max(60)).max(200_000).optional(),
  domains: z.array(z.string().max(300)).max(100_000).optional(),
}).strict();

export const ContactInput = z.object({
  kind: z.enum(['person', 'role']),
  name: short(200).min(1),
  function: short(200).default(''),
  email: z.string().email().max(254),
  phone: short(50).min(3).nullable().optional(),
  visibility: LevelSchema.default('members'),
}).strict();
export const ContactPatch = ContactInput.partial().strict();

export const KeyInput = z.object({
  armored: z.string().min(20).max(200_000),
  contactId: z.string().uuid().nullable().optional(),
  visibility: LevelSchema.default('public'),
}).strict();

export const SharingGroupInput = z.object({
  name: short(120).min(1),
  description: short(2000).default(''),
  releasability: short(2000).default(''),
  ownerOrgId: z.string().uuid().nullable().optional(),
}).strict();

export const CheckScope = z.object({
  scope: z.enum(['all', 'group']),
  sharingGroupId: z.string().uuid().optional(),
}).strict().refine((b) => (b.scope === 'group') === !!b.sharingGroupId, { message: 'sharingGroupId is required for scope group, and only then' });
