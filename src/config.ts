/**
 * The one place that reads the environment. Everything else imports `loadConfig()`'s result.
 * Defaults serve the embedded single-machine start: data under ./data, mail to data/outbox.
 */
import { z } from 'zod';
import path from 'node:path';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Hemisphere <no-reply@hemisphere.localhost>'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  WORKERS: bool.default(true),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60000).default(1000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  /** Who must use a second factor: platform roles and/or 'network_member' (members of CSIRT organisations). */
  REQUIRE_2FA_ROLES: z
    .string()
    .default('administrator,coordinator,network_member')
    .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['administrator', 'coordinator', 'network_member']))),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(100000).default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(100000).default(60),
  /** Passphrase protecting the platform OpenPGP private key (default: a generated file in DATA_DIR). */
  PLATFORM_KEY_PASSPHRASE: z.string().min(12).optional(),
  /** The issuing party named in CSAF documents and the provider metadata. */
  PUBLISHER_NAME: z.string().min(1).default('Hemisphere CSIRT Network'),
  PUBLISHER_NAMESPACE: z.string().url().optional(),
  PUBLISHER_CONTACT: z.string().default('csirt@hemisphere.localhost'),
  /** TAXII 2.1: the largest POST body accepted (advertised as max_content_length in the API root). */
  TAXII_MAX_CONTENT_LENGTH: z.coerce.number().int().min(1024).max(2 ** 40).default(100 * 1024 * 1024),
  /** Mailing lists: domain of List-Id, VERP bounce and mailto-unsubscribe addresses (default: PUBLIC_URL's host). */
  MAILING_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i).optional(),
  MAILING_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100000).default(50),
  MAILING_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  MAILING_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** First retry of a temporarily failed recipient after this many seconds, doubling each time (capped at one hour). */
  MAILING_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  MAILING_CONFIRM_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  MAILING_SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  MAILING_SOFT_BOUNCE_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Inbound SMTP for bounces and mailto unsubscribes; off unless set (0 = any free port). */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().default('0.0.0.0'),
  /** Slug of a public list that announces every public advisory/report on first publication (off when unset). */
  MAILING_AUTO_ANNOUNCE_LIST: z.string().optional(),
  /** Messaging: largest attachment, and how often the digest job looks for people due a digest. */
  MESSAGING_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
  MESSAGING_DIGEST_TICK_SECONDS: z.coerce.number().int().min(1).max(86400).default(300),
  /** Directory: org admins re-confirm their entry every N months; stale entries are flagged. */
  DIRECTORY_RECONFIRM_MONTHS: z.coerce.number().int().min(1).max(60).default(6),
  /** Directory: how often each node runs the periodic jobs (scheduled checks, key expiry, staleness). */
  DIRECTORY_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86400).default(3600),
  CONTACT_CHECK_DEADLINE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Remote feeds: private/loopback targets allowed (hosts, IPs, CIDRs, comma-separated; '*' = any). Default: none. */
  FEEDS_ALLOW_PRIVATE: z.string().default('').transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean)),
  FEEDS_MAX_BYTES: z.coerce.number().int().min(1024).max(2 ** 34).default(256 * 1024 * 1024),
  FEEDS_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  FEEDS_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  /** How often each node looks for feeds due a scheduled pull. */
  FEEDS_TICK_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  workers: boolean;
  outbox: { leaseSeconds: number; pollMs: number; maxAttempts: number };
  shutdownTimeoutMs: number;
  auth: {
    require2faRoles: ('administrator' | 'coordinator' | 'network_member')[];
    maxFailures: number;
    ipMaxFailures: number;
    windowMinutes: number;
    lockoutMinutes: number;
  };
  platformKeyPassphrase: string | undefined;
  /** CSAF publisher: name, namespace (a URL; defaults to PUBLIC_URL) and contact. */
  publisher: { name: string; namespace: string; contact: string };
  taxii: { maxContentLength: number };
  mailing: {
    domain: string;
    ratePerSecond: number;
    concurrency: number;
    maxAttempts: number;
    retryBaseSeconds: number;
    confirmTtlHours: number;
    softBounceLimit: number;
    softBounceWindowDays: number;
    inboundSmtpPort: number | undefined;
    inboundSmtpHost: string;
    autoAnnounceList: string | undefined;
  };
  messaging: { attachmentMaxBytes: number; digestTickSeconds: number };
  directory: { reconfirmMonths: number; jobsIntervalSeconds: number; checkDeadlineDays: number };
  feeds: { allowPrivate: string[]; maxBytes: number; timeoutMs: number; maxRedirects: number; tickSeconds: number };
};

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  return {
    port,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    workers: e.WORKERS,
    outbox: { leaseSeconds: e.OUTBOX_LEASE_SECONDS, pollMs: e.OUTBOX_POLL_MS, maxAttempts: e.OUTBOX_MAX_ATTEMPTS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    auth: {
      require2faRoles: e.REQUIRE_2FA_ROLES,
      maxFailures: e.LOGIN_MAX_FAILURES,
      ipMaxFailures: e.LOGIN_IP_MAX_FAILURES,
      windowMinutes: e.LOGIN_WINDOW_MINUTES,
      lockoutMinutes: e.LOCKOUT_MINUTES,
    },
    platformKeyPassphrase: e.PLATFORM_KEY_PASSPHRASE,
    publisher: {
      name: e.PUBLISHER_NAME,
      namespace: (e.PUBLISHER_NAMESPACE ?? e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
      contact: e.PUBLISHER_CONTACT,
    },
    taxii: { maxContentLength: e.TAXII_MAX_CONTENT_LENGTH },
    mailing: {
      domain: e.MAILING_DOMAIN ?? (new URL(e.PUBLIC_URL ?? 'http://localhost').hostname || 'localhost'),
      ratePerSecond: e.MAILING_RATE_PER_SECOND,
      concurrency: e.MAILING_CONCURRENCY,
      maxAttempts: e.MAILING_MAX_ATTEMPTS,
      retryBaseSeconds: e.MAILING_RETRY_BASE_SECONDS,
      confirmTtlHours: e.MAILING_CONFIRM_TTL_HOURS,
      softBounceLimit: e.MAILING_SOFT_BOUNCE_LIMIT,
      softBounceWindowDays: e.MAILING_SOFT_BOUNCE_WINDOW_DAYS,
      inboundSmtpPort: e.INBOUND_SMTP_PORT,
      inboundSmtpHost: e.INBOUND_SMTP_HOST,
      autoAnnounceList: e.MAILING_AUTO_ANNOUNCE_LIST,
    },
    messaging: { attachmentMaxBytes: e.MESSAGING_ATTACHMENT_MAX_BYTES, digestTickSeconds: e.MESSAGING_DIGEST_TICK_SECONDS },
    directory: {
      reconfirmMonths: e.DIRECTORY_RECONFIRM_MONTHS, jobsIntervalSeconds: e.DIRECTORY_JOBS_INTERVAL_SECONDS, checkDeadlineDays: e.CONTACT_CHECK_DEADLINE_DAYS,
    },
    feeds: {
      allowPrivate: e.FEEDS_ALLOW_PRIVATE, maxBytes: e.FEEDS_MAX_BYTES, timeoutMs: e.FEEDS_TIMEOUT_MS, maxRedirects: e.FEEDS_MAX_REDIRECTS,
      tickSeconds: e.FEEDS_TICK_SECONDS,
    },
    ...overrides,
  };
}

/** Test-only knob read here so that nothing else touches process.env. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}
