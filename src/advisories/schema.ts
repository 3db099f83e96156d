/** Inputs of the advisory editor and workflow (zod), shared by HTTP, the demo loader and tests. */
import { z } from 'zod';
import { LOCALES } from '../i18n/locales.ts';
import { SCOPES } from '../core/visibility.ts';
import { TLP_LEVELS } from '../core/tlp.ts';

export const ADVISORY_STATUSES = ['draft', 'review', 'published'] as const;
export type AdvisoryStatus = (typeof ADVISORY_STATUSES)[number];
export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityLevel = (typeof SEVERITIES)[number];

const line = (max: number) => z.string().trim().min(1).max(max);

export const VulnerabilityInput = z.object({
  cve: z.string().trim().regex(/^CVE-[0-9]{4}-[0-9]{4,}$/, 'must look like CVE-2024-12345').optional(),
  title: line(300),
  cwe: z.string().trim().regex(/^CWE-[1-9][0-9]{0,5}$/, 'must look like CWE-79').optional(),
  cvssV3: z.string().trim().max(200).optional(),
  cvssV4: z.string().trim().max(300).optional(),
  /** The v4.0 score as published by the CNA (v4 scores are not computed here; see cvss40.ts). */
  cvssV4Score: z.number().min(0).max(10).optional(),
}).strict();

export const AffectedInput = z.object({
  vendor: line(200),
  product: line(200),
  versions: z.array(line(100)).min(1).max(100),
  fixedIn: z.array(line(100)).max(100).default([]),
}).strict();

export const ReferenceInput = z.object({ url: z.string().url().max(2000), summary: line(300) }).strict();

export const TextInput = z.object({
  title: line(300),
  summary: z.string().trim().min(1).max(5000),
  body: z.string().max(100_000).default(''),
  remediation: z.string().max(20_000).default(''),
}).strict();
export type TextInput = z.infer<typeof TextInput>;

export const MarkingInput = z.object({
  tlp: z.enum(TLP_LEVELS),
  scope: z.enum(SCOPES),
  scopeOrgIds: z.array(z.string().uuid()).max(500).default([]),
  sharingGroupId: z.string().uuid().nullable().default(null),
  recipientUserIds: z.array(z.string().uuid()).max(500).default([]),
}).strict();

const fields = {
  severity: z.enum(SEVERITIES).optional(),
  audience: z.string().trim().max(500).default(''),
  vulnerabilities: z.array(VulnerabilityInput).min(1).max(200),
  affected: z.array(AffectedInput).min(1).max(200),
  references: z.array(ReferenceInput).max(100).default([]),
  marking: MarkingInput,
};

export const CreateAdvisoryInput = z.object({
  trackingId: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 _:#.+\-]{2,60}$/, 'letters, digits and - _ : # . + only').optional(),
  sourceLang: z.enum(LOCALES),
  ownerOrgId: z.string().uuid().optional(),
  text: TextInput,
  ...fields,
}).strict();
export type CreateAdvisoryInput = z.infer<typeof CreateAdvisoryInput>;

export const UpdateAdvisoryInput = z.object({
  severity: fields.severity,
  audience: z.string().trim().max(500).optional(),
  vulnerabilities: fields.vulnerabilities.optional(),
  affected: fields.affected.optional(),
  references: z.array(ReferenceInput).max(100).optional(),
  marking: MarkingInput.optional(),
}).strict();
export type UpdateAdvisoryInput = z.infer<typeof UpdateAdvisoryInput>;

export const PublishInput = z.object({ summary: z.string().trim().min(3).max(1000) }).strict();
export const ReturnInput = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
