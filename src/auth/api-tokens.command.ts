/**
 * Audited creation and revocation of personal API tokens (routes and `cli token`). The secret is
 * returned once; only its sha256 is kept. The 'admin' scope is only granted to administrators
 * (a token never carries more than its user's rights: it acts as the user narrowed to its scopes).
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { forbidden, notFound } from '../core/errors.ts';
import { users } from '../core/tables.ts';
import { TOKEN_SCOPES } from '../core/policy.ts';
import type { DbOrTx } from '../db/client.ts';
import { apiTokens } from '../core/tables.ts';
import { createApiToken, revokeApiToken } from './tokens.ts';

export const CreateTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length).transform((s) => [...new Set(s)]),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
});

export async function createTokenFor(db: DbOrTx, userId: string, input: z.infer<typeof CreateTokenInput>, meta: AuditMeta) {
  return inTx(db, async (tx) => {
    const [u] = await tx.select({ id: users.id, platformRole: users.platformRole, disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
    if (!u || u.disabledAt) throw notFound('User');
    if (input.scopes.includes('admin') && u.platformRole !== 'administrator') {
      throw forbidden('Only administrators can hold a token with the "admin" scope');
    }
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
    const t = await createApiToken(tx, { userId, name: input.name, scopes: input.scopes, expiresAt });
    await appendAudit(tx, meta, {
      action: 'api_token.created', targetType: 'api_token', targetId: t.id,
      after: { userId, name: t.name, scopes: t.scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return t;
  });
}

/** Revokes a token; with `userId`, only one of that user's tokens. */
export async function revokeTokenCommand(db: DbOrTx, tokenId: string, userId: string | undefined, meta: AuditMeta): Promise<void> {
  await inTx(db, async (tx) => {
    const [t] = await tx.select({ userId: apiTokens.userId }).from(apiTokens).where(eq(apiTokens.id, tokenId));
    if (!t || (userId && t.userId !== userId)) throw notFound('API token');
    await revokeApiToken(tx, tokenId, userId);
    await appendAudit(tx, meta, { action: 'api_token.revoked', targetType: 'api_token', targetId: tokenId, after: { userId: t.userId } });
  });
}
