/**
 * Bad input on every endpoint: for each POST/PUT/PATCH route of the real app (whatever modules are
 * registered), malformed JSON, a body of the wrong type and a wrong content type each get a typed
 * 4xx with a JSON error code — never a 500 — and change nothing (audit log and outbox untouched).
 * Sent as the platform administrator with a valid CSRF token, so authorisation is not what refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { startTestPlatform } from '../../test/harness.ts';
import { setupAdmin } from '../../test/fixtures/session.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const INPUT_ERRORS = new Set(['invalid_json', 'validation_failed', 'unsupported_media_type', 'bad_request']);

test('malformed, wrong-type and wrong-media-type bodies get typed 4xx on every write route and change nothing', async (t) => {
  // Without a second factor an administrator's session is limited to enrolment (refused before the
  // body is even read), so the 2FA policy is off here: this test is about input handling.
  const p = await startTestPlatform({ WORKERS: 'false', REQUIRE_2FA_ROLES: '' });
  t.after(() => p.close());
  const admin = await setupAdmin(p);
  const db = p.testDb.database.db;
  const counts = async () =>
    (await rows<{ audit: number; outbox: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM audit_log) AS audit, (SELECT count(*)::int FROM outbox_events) AS outbox`,
    ))[0]!;
  const before = await counts();

  const routes = p.app.declaredRoutes.filter((r) => WRITE_METHODS.has(r.method));
  assert.ok(routes.length >= 3, `write routes found: ${routes.map((r) => r.url).join(', ')}`);
  const cases: { name: string; contentType: string; body: string; only?: (r: { hasBody: boolean }) => boolean }[] = [
    { name: 'malformed JSON', contentType: 'application/json', body: '{"email": "a@b.c", ' },
    { name: 'a number instead of an object', contentType: 'application/json', body: '42', only: (r) => r.hasBody },
    { name: 'a string instead of an object', contentType: 'application/json', body: '"just text"', only: (r) => r.hasBody },
    { name: 'an unsupported content type', contentType: 'application/x-hemisphere-wrong', body: 'a=b' },
  ];
  const failures: string[] = [];
  let checked = 0;
  for (const r of routes) {
    const url = r.url.replace(/:[A-Za-z_]+/g, crypto.randomUUID()).replace(/\*$/, 'x');
    for (const c of cases) {
      if (c.only && !c.only(r)) continue;
      checked++;
      const res = await fetch(`${p.url}${url}`, { method: r.method, headers: admin.headers({ 'content-type': c.contentType }), body: c.body });
      const text = await res.text();
      let code: unknown;
      try {
        const parsed = JSON.parse(text) as { code?: unknown; error_code?: unknown };
        code = parsed.code ?? parsed.error_code; // TAXII routes answer with the TAXII error resource
      } catch {
        code = undefined;
      }
      // The input itself must be what is refused — not authorisation, CSRF or a handler running.
      if (res.status < 400 || res.status >= 500 || typeof code !== 'string' || !INPUT_ERRORS.has(code)) {
        failures.push(`${r.method} ${r.url} with ${c.name}: ${res.status} ${text.slice(0, 200)}`);
      }
    }
  }
  assert.deepEqual(failures, [], `every bad request is a typed 4xx (${checked} checked)`);
  assert.deepEqual(await counts(), before, 'no audit entry and no outbox event came from refused requests');
  // The session used throughout is still valid: nothing was signed out by a bad request.
  const me = await fetch(`${p.url}/api/auth/me`, { headers: admin.headers() });
  assert.equal(me.status, 200);
});
