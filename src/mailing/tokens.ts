/**
 * Signed, stateless per-recipient tokens: the one-click/mailto unsubscribe token (list + address)
 * and the VERP token of a return path (campaign recipient row). HMAC-SHA256 with a secret the
 * platform generates once and keeps in platform_settings, so every node verifies the same tokens.
 */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { platformSettings } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';

const KEY = 'mailing.token_secret';
let cached: Buffer | undefined;
let cachedFor: unknown;

export async function mailingSecret(db: DbOrTx): Promise<Buffer> {
  if (cached && cachedFor === db) return cached;
  await db.insert(platformSettings).values({ key: KEY, value: crypto.randomBytes(32).toString('base64') }).onConflictDoNothing();
  const [row] = await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, KEY));
  cached = Buffer.from(String(row!.value), 'base64');
  cachedFor = db;
  return cached;
}

const mac = (secret: Buffer, data: string, len: number) => crypto.createHmac('sha256', secret).update(data).digest('base64url').slice(0, len);

/** Lower-case only: some MTAs fold the case of local parts. */
const macHex = (secret: Buffer, data: string) => crypto.createHmac('sha256', secret).update(data).digest('hex').slice(0, 12);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** `<base64url(listId \n email)>.<mac>`: identifies the address on the list, unforgeable. */
export function unsubscribeToken(secret: Buffer, listId: string, email: string): string {
  const payload = Buffer.from(`${listId}\n${email.toLowerCase()}`).toString('base64url');
  return `${payload}.${mac(secret, `unsub:${payload}`, 22)}`;
}

export function readUnsubscribeToken(secret: Buffer, token: string): { listId: string; email: string } | null {
  const [payload, sig] = token.split('.');
  if (!payload || !sig || !safeEqual(sig, mac(secret, `unsub:${payload}`, 22))) return null;
  const [listId, email] = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
  return listId && email ? { listId, email } : null;
}

/** VERP local-part suffix: `<recipient seq in base 36>-<mac>` (short enough for any MTA). */
export function verpToken(secret: Buffer, seq: number): string {
  const id = seq.toString(36);
  return `${id}-${macHex(secret, `verp:${id}`)}`;
}

export function readVerpToken(secret: Buffer, token: string): number | null {
  const m = /^([0-9a-z]+)-([0-9a-f]{12})$/.exec(token.toLowerCase());
  if (!m || !safeEqual(m[2]!, macHex(secret, `verp:${m[1]}`))) return null;
  return parseInt(m[1]!, 36);
}

export const normEmail = (e: string) => e.trim().toLowerCase();
export const suppressedSql = (emailCol: unknown) => sql`EXISTS (SELECT 1 FROM mailing_suppressions s WHERE s.email = lower(${emailCol}))`;
