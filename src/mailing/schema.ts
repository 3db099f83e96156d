/** Input shapes of the mailing API (zod), shared by routes and commands. */
import { z } from 'zod';
import { LOCALES } from '../i18n/locales.ts';

export const Locale = z.enum(LOCALES);
export const Topic = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes');
export const Audience = z.discriminatedUnion('type', [
  z.object({ type: z.literal('national_csirt_leads') }).strict(),
  z.object({ type: z.literal('network_members') }).strict(),
  z.object({ type: z.literal('sharing_group'), groupId: z.string().uuid() }).strict(),
]);
export type Audience = z.infer<typeof Audience>;

export const ListInput = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
  name: z.string().trim().min(2).max(120),
  description: z.string().max(2000).default(''),
  kind: z.enum(['public', 'members']),
  audience: Audience.optional(),
  topics: z.array(Topic).max(30).default([]),
}).strict();
export type ListInput = z.infer<typeof ListInput>;

export const SubscribeInput = z.object({
  email: z.string().trim().email().max(254),
  locale: Locale.default('en'),
  topics: z.array(Topic).max(30).default([]),
}).strict();

export const TokenBody = z.object({ token: z.string().min(10).max(400) }).strict();
export const PreferencesInput = z.object({
  token: z.string().min(10).max(400),
  locale: Locale,
  topics: z.array(Topic).max(30),
}).strict();

const PerLocale = (max: number) => z.object({
  en: z.string().max(max).optional(), es: z.string().max(max).optional(),
  pt: z.string().max(max).optional(), fr: z.string().max(max).optional(),
}).strict();
export type PerLocale = Partial<Record<(typeof LOCALES)[number], string>>;

export const CampaignInput = z.object({
  listId: z.string().uuid(),
  subject: PerLocale(300),
  body: PerLocale(200_000),
  topic: Topic.nullable().default(null),
  tlp: z.enum(['clear', 'green', 'amber', 'amber+strict']).default('clear'),
  ratePerSecond: z.number().int().min(1).max(100_000).nullable().default(null),
}).strict();
export type CampaignInput = z.infer<typeof CampaignInput>;
export const CampaignPatch = CampaignInput.omit({ listId: true }).partial().strict();
export const ScheduleInput = z.object({ at: z.coerce.date() }).strict();
export const TestSendInput = z.object({ email: z.string().trim().email(), locale: Locale.optional() }).strict();
