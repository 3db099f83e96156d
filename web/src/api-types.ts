/**
 * Types of the public API, taken from the server's own zod schemas and query functions at build
 * time (type-only imports: nothing from src/ ends up in the bundle).
 */
import type { z } from 'zod';
import type { AuditQuery } from '../../src/admin/routes.ts';
import type { SetupInput } from '../../src/auth/setup.command.ts';
import type { LoginInput } from '../../src/auth/login.command.ts';
import type { queryAudit } from '../../src/core/audit.ts';
import type { outboxStats } from '../../src/core/outbox.ts';
import type { OutboxMail } from '../../src/mail/mailer.ts';
import type { Membership, PlatformRole } from '../../src/core/actor.ts';

/** What a value looks like after JSON.stringify/parse (dates become strings). */
export type Jsonified<T> = T extends Date ? string
  : T extends (infer U)[] ? Jsonified<U>[]
  : T extends object ? { [K in keyof T]: Jsonified<T[K]> }
  : T;

export type SetupBody = z.input<typeof SetupInput>;
export type LoginBody = z.input<typeof LoginInput>;
export type AuditFilter = z.input<typeof AuditQuery>;
export type AuditPage = Jsonified<Awaited<ReturnType<typeof queryAudit>>>;
export type AuditItem = AuditPage['items'][number];
export type OutboxStats = { stats: Awaited<ReturnType<typeof outboxStats>> };
export type MailList = { smtp: boolean; items: OutboxMail[] };

export type Me = {
  user: {
    id: string; email: string; displayName?: string | null; locale: string; timeZone?: string | null;
    platformRole: PlatformRole | null;
  };
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
  [k: string]: unknown;
};
