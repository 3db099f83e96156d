/**
 * Types of the public API, taken from the server's own zod schemas and query functions at build
 * time (type-only imports: nothing from src/ ends up in the bundle).
 */
import type { z } from 'zod';
import type { SetupInput } from '../../src/auth/setup.command.ts';
import type { LoginInput } from '../../src/auth/login.command.ts';
import type { AuditFilter as ServerAuditFilter, queryAudit } from '../../src/core/audit.ts';
import type { outboxStats } from '../../src/core/outbox.ts';
import type { OutboxMail } from '../../src/mail/mailer.ts';
import type { Membership, PlatformRole } from '../../src/core/actor.ts';
import type { SecondFactorInput } from '../../src/auth/login.command.ts';
import type { ConfirmInput, DisableInput, startEnrolment } from '../../src/auth/two-factor.command.ts';
import type { ResetCompleteInput, ResetRequestInput } from '../../src/auth/password-reset.command.ts';
import type { VerifyEmailInput } from '../../src/auth/email-verification.command.ts';
import type { ChangePasswordInput, getProfile, listSessions, ProfilePatch } from '../../src/auth/profile.command.ts';
import type { CreateTokenInput } from '../../src/auth/api-tokens.command.ts';
import type { listApiTokens } from '../../src/auth/tokens.ts';
import type { TOKEN_SCOPES } from '../../src/core/policy.ts';

/** What a value looks like after JSON.stringify/parse (dates become strings). */
export type Jsonified<T> = T extends Date ? string
  : T extends (infer U)[] ? Jsonified<U>[]
  : T extends object ? { [K in keyof T]: Jsonified<T[K]> }
  : T;

export type SetupBody = z.input<typeof SetupInput>;
export type SecondFactorBody = z.input<typeof SecondFactorInput>;
export type ConfirmBody = z.input<typeof ConfirmInput>;
export type DisableBody = z.input<typeof DisableInput>;
export type Enrolment = Awaited<ReturnType<typeof startEnrolment>>;
export type RecoveryCodes = { recoveryCodes: string[] };
export type ResetRequestBody = z.input<typeof ResetRequestInput>;
export type ResetCompleteBody = z.input<typeof ResetCompleteInput>;
export type VerifyEmailBody = z.input<typeof VerifyEmailInput>;
export type ProfilePatchBody = z.input<typeof ProfilePatch>;
export type ChangePasswordBody = z.input<typeof ChangePasswordInput>;
export type Profile = Jsonified<Awaited<ReturnType<typeof getProfile>>>;
export type SessionItem = Jsonified<Awaited<ReturnType<typeof listSessions>>[number]>;
export type CreateTokenBody = z.input<typeof CreateTokenInput>;
export type TokenItem = Jsonified<Awaited<ReturnType<typeof listApiTokens>>[number]>;
export type CreatedToken = { id: string; token: string; name: string; scopes: string[]; expiresAt: string | null };
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export type LoginBody = z.input<typeof LoginInput>;
/** GET /api/admin/audit query (dates as ISO strings on the wire). */
export type AuditFilter = Partial<Jsonified<ServerAuditFilter>>;
export type AuditPage = Jsonified<Awaited<ReturnType<typeof queryAudit>>>;
export type AuditItem = AuditPage['items'][number];
export type OutboxStats = { stats: Awaited<ReturnType<typeof outboxStats>> };
export type MailList = { smtp: boolean; items: OutboxMail[] };

export type Me = {
  user: {
    id: string; email: string; displayName?: string | null; locale: string; timeZone?: string | null;
    platformRole: PlatformRole | null; emailVerified?: boolean;
  };
  twoFactorEnabled?: boolean;
  /** The role requires a second factor that is not set up yet: only enrolment is open. */
  mustEnrol2fa?: boolean;
  memberships: Membership[];
  via: 'session' | 'token';
  csrfToken?: string;
  /** When the server states permissions explicitly they win over what the app derives. */
  permissions?: string[];
};

export type LoginResponse = {
  user?: { id: string; email: string; displayName: string; platformRole: PlatformRole | null; locale: string };
  csrfToken?: string;
  secondFactorRequired?: boolean;
  challenge?: string;
  expiresAt?: string;
};

// Membership vetting, invitations and the organisation directory.
import type { AcceptInput, ApplicationInput } from '../../src/membership/schema.ts';
import type { applicationStatusByToken, getApplication } from '../../src/membership/applications.query.ts';
import type { invitationByToken } from '../../src/membership/invitations.query.ts';
import type { getOrganisation, listOrganisations } from '../../src/orgs/organisations.query.ts';
import type { listCountries } from '../../src/orgs/countries.query.ts';
import type { CSIRT_TYPES, ORG_TYPES } from '../../src/orgs/types.ts';

export type ApplicationBody = z.input<typeof ApplicationInput>;
export type Submitted = { id: string; kind: string; status: string; route: string; statusToken: string; statusUrl: string };
export type ApplicantStatus = Jsonified<Awaited<ReturnType<typeof applicationStatusByToken>>>;
export type Application = Jsonified<Awaited<ReturnType<typeof getApplication>>>;
export type InvitationLookup = Jsonified<Awaited<ReturnType<typeof invitationByToken>>>;
export type AcceptBody = z.input<typeof AcceptInput>;
export type Country = Awaited<ReturnType<typeof listCountries>>[number];
export type OrgSummary = Jsonified<Awaited<ReturnType<typeof listOrganisations>>[number]>;
export type OrgDetail = Jsonified<Awaited<ReturnType<typeof getOrganisation>>> & { members?: { userId: string; displayName: string | null; email: string; role: string; since: string }[] };
export type CsirtType = (typeof CSIRT_TYPES)[number];
export type OrgType = (typeof ORG_TYPES)[number];
