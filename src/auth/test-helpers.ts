/**
 * Test-only helpers (for any module's HTTP tests): create a user directly in the database with a
 * password, optional platform role, organisation membership and confirmed TOTP factor; sign in
 * over HTTP (completing the second step with a recovery code) or open a session directly; call
 * the API with the session cookie and CSRF header. Nothing here is used by the platform itself.
 *
 * Note the 2FA-required policy (REQUIRE_2FA_ROLES, default administrators, coordinators and members
 * of network organisations): such users need `twoFactor: true` to get a full session, or start the
 * test platform with `{ REQUIRE_2FA_ROLES: '' }`.
 */
import { newId, randomSecret } from '../core/ids.ts';
import type { OrgRole, PlatformRole } from '../core/actor.ts';
import { memberships, organisations, users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { hashPassword } from './passwords.ts';
import { createSession, SESSION_COOKIE } from './sessions.ts';
import { recoveryCodes, totpFactors } from './tables.ts';
import { currentStep, hashRecoveryCode, newRecoveryCode, newTotpSecret, totpCode, TOTP_PERIOD } from './totp.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export type TestUser = {
  id: string; email: string; password: string; displayName: string; locale: string;
  orgId?: string;
  /** Base32 TOTP secret when the user has a confirmed factor. */
  totpSecret?: string;
  /** Unused recovery codes; `login` consumes them from the front. */
  recoveryCodes: string[];
};

export type TestUserOptions = {
  email?: string; password?: string; displayName?: string; locale?: 'en' | 'es' | 'pt' | 'fr'; timeZone?: string;
  platformRole?: PlatformRole;
  /** Membership in an existing organisation (orgId) or in a new one (networkMember: a CSIRT). */
  org?: { orgId?: string; networkMember?: boolean; role?: OrgRole; countryCode?: string };
  twoFactor?: boolean;
  emailVerified?: boolean;
};

export async function createTestUser(db: DbOrTx, o: TestUserOptions = {}): Promise<TestUser> {
  const id = newId();
  const email = o.email ?? `user-${randomSecret(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}@example.org`;
  const password = o.password ?? TEST_PASSWORD;
  const displayName = o.displayName ?? `Test ${email.split('@')[0]}`;
  const locale = o.locale ?? 'en';
  await db.insert(users).values({
    id, email, displayName, passwordHash: await hashPassword(password), platformRole: o.platformRole ?? null, locale,
    timeZone: o.timeZone ?? 'UTC', emailVerifiedAt: o.emailVerified === false ? null : new Date(),
  });
  let orgId: string | undefined;
  if (o.org) {
    orgId = o.org.orgId;
    if (!orgId) {
      orgId = newId();
      await db.insert(organisations).values({
        id: orgId, name: `Test org ${orgId.slice(0, 8)}`, type: o.org.networkMember ? 'national_csirt' : 'private_sector',
        countryCode: o.org.countryCode ?? null, networkMember: !!o.org.networkMember,
      });
    }
    await db.insert(memberships).values({ userId: id, orgId, role: o.org.role ?? 'member' });
  }
  const user: TestUser = { id, email, password, displayName, locale, orgId, recoveryCodes: [] };
  if (o.twoFactor) {
    user.totpSecret = newTotpSecret();
    await db.insert(totpFactors).values({ userId: id, secret: user.totpSecret, confirmedAt: new Date() });
    user.recoveryCodes = Array.from({ length: 10 }, newRecoveryCode);
    await db.insert(recoveryCodes).values(user.recoveryCodes.map((c) => ({ id: newId(), userId: id, codeHash: hashRecoveryCode(c) })));
  }
  return user;
}

/** A TOTP code `stepsAhead` steps from now (the server accepts -1..+1, each step once). */
export const totpNow = (secret: string, stepsAhead = 0): string => totpCode(secret, (currentStep() + stepsAhead) * TOTP_PERIOD * 1000);

export type TestSession = { cookie: string; csrfToken: string };

export function sessionCookieOf(res: Response): string | null {
  const c = res.headers.getSetCookie().find((h) => h.startsWith(`${SESSION_COOKIE}=`));
  return c ? c.split(';')[0]! : null;
}

/** Signs in over HTTP; with a second factor, completes it with the next unused recovery code. */
export async function login(baseUrl: string, user: TestUser, headers: Record<string, string> = {}): Promise<TestSession> {
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  let res = await post('/api/auth/login', { email: user.email, password: user.password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  let body = (await res.json()) as { csrfToken?: string; challenge?: string; secondFactorRequired?: boolean };
  if (body.secondFactorRequired) {
    const code = user.recoveryCodes.shift();
    if (!code) throw new Error('login: the test user has no recovery code left');
    res = await post('/api/auth/login/second-factor', { challenge: body.challenge, code });
    if (res.status !== 200) throw new Error(`second factor failed: ${res.status} ${await res.text()}`);
    body = (await res.json()) as { csrfToken?: string };
  }
  const cookie = sessionCookieOf(res);
  if (!cookie || !body.csrfToken) throw new Error('login: no session cookie or CSRF token');
  return { cookie, csrfToken: body.csrfToken };
}

/** A session opened directly (for tests that are not about signing in). */
export async function sessionFor(db: DbOrTx, userId: string): Promise<TestSession> {
  const s = await createSession(db, userId, { ip: '127.0.0.1', userAgent: 'test' });
  return { cookie: `${SESSION_COOKIE}=${s.value}`, csrfToken: s.csrfToken };
}

/** fetch bound to a base URL and a session (cookie + X-CSRF-Token) or an API token; JSON bodies. */
export function apiClient(baseUrl: string, auth?: TestSession | { token: string }) {
  return (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (auth && 'cookie' in auth) {
      headers.cookie = auth.cookie;
      headers['x-csrf-token'] ??= auth.csrfToken;
    } else if (auth) {
      headers.authorization = `Bearer ${auth.token}`;
    }
    return fetch(`${baseUrl}${path}`, {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  };
}
