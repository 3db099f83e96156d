import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../core/audit.ts';
import { anonymous } from '../core/actor.ts';
import { DomainError } from '../core/errors.ts';
import { users } from '../core/tables.ts';
import { inTx } from '../core/context.ts';
import type { Db } from '../db/client.ts';
import { burnPasswordTime, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';

export const LoginInput = z.object({
  email: z.string().email().max(254),
  password: z.string().min(1).max(256),
});

const badCredentials = () => new DomainError('unauthenticated', 'Wrong email or password');

export async function login(db: Db, input: z.infer<typeof LoginInput>, meta: { ip?: string | null; userAgent?: string | null; requestId?: string }) {
  const [u] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
  if (!u || !u.passwordHash || u.disabledAt) {
    await burnPasswordTime(input.password);
    throw badCredentials();
  }
  if (!(await verifyPassword(u.passwordHash, input.password))) throw badCredentials();
  return inTx(db, async (tx) => {
    const s = await createSession(tx, u.id, meta);
    await appendAudit(tx, { actor: { ...anonymous }, ip: meta.ip, requestId: meta.requestId }, {
      action: 'auth.login', targetType: 'user', targetId: u.id,
    });
    return { session: s, user: { id: u.id, email: u.email, displayName: u.displayName, platformRole: u.platformRole, locale: u.locale } };
  });
}
