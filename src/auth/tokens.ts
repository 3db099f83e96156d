/**
 * Personal API tokens: `hs_<random>`; only the sha256 is stored. A token acts as its user narrowed
 * to its scopes. Accepted as `Authorization: Bearer <token>` or HTTP Basic with the token as the
 * password (what TAXII and MISP clients send).
 */
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { UserActor } from '../core/actor.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { apiTokens } from '../core/tables.ts';
import type { TokenScope } from '../core/policy.ts';
import type { DbOrTx } from '../db/client.ts';
import { loadUserActor } from './actor-loader.ts';

export async function createApiToken(
  db: DbOrTx,
  input: { userId: string; name: string; scopes: TokenScope[]; expiresAt?: Date | null },
) {
  const secret = `hs_${randomSecret(30)}`;
  const id = newId();
  await db.insert(apiTokens).values({
    id, userId: input.userId, name: input.name, tokenHash: sha256(secret), prefix: secret.slice(0, 8),
    scopes: input.scopes, expiresAt: input.expiresAt ?? null,
  });
  return { id, token: secret, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ?? null };
}

export function credentialFromHeader(authorization: string): string | null {
  const [kind, value] = authorization.trim().split(/\s+/, 2);
  if (!kind || !value) return null;
  if (kind.toLowerCase() === 'bearer') return value;
  if (kind.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

export async function resolveApiToken(db: DbOrTx, authorization: string): Promise<UserActor | null> {
  const secret = credentialFromHeader(authorization);
  if (!secret || !secret.startsWith('hs_')) return null;
  const [t] = await db.select().from(apiTokens).where(and(
    eq(apiTokens.tokenHash, sha256(secret)),
    isNull(apiTokens.revokedAt),
    or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
  ));
  if (!t) return null;
  if (!t.lastUsedAt || Date.now() - t.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, t.id));
  }
  return loadUserActor(db, t.userId, { via: 'token', tokenId: t.id, scopes: t.scopes });
}

export async function listApiTokens(db: DbOrTx, userId: string) {
  return db.select({
    id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, scopes: apiTokens.scopes,
    expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt, createdAt: apiTokens.createdAt,
  }).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(db: DbOrTx, tokenId: string, userId?: string): Promise<boolean> {
  const res = await db.update(apiTokens).set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(userId ? and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)) : eq(apiTokens.id, tokenId))
    .returning({ id: apiTokens.id });
  return res.length > 0;
}
