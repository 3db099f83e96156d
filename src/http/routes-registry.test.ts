/**
 * Default deny: a route without a declared permission stops the app from starting, and every route
 * of the real app declares a valid one — and anonymous callers are refused on every non-public one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import pino from 'pino';
import { buildApp, type Module } from './app.ts';
import { UndeclaredRouteError } from './routes-registry.ts';
import { EventBus } from '../core/bus.ts';
import { PERMISSIONS } from '../core/policy.ts';
import { loadConfig } from '../config.ts';
import { createTestDb, startTestPlatform, tempDir } from '../../test/harness.ts';

async function appWith(t: import('node:test').TestContext, extra: Module[]) {
  const tdb = await createTestDb();
  const dir = tempDir('routes');
  t.after(async () => {
    await tdb.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const deps = { database: tdb.database, config, logger: pino({ level: 'silent' }), bus: new EventBus(tdb.database), state: { ready: true } };
  const app = await buildApp(deps, extra);
  t.after(() => app.close().catch(() => {}));
  return app;
}

test('a route without config.access makes ready() fail, naming the route', async (t) => {
  const sneaky: Module = (app) => {
    app.get('/api/test/sneaky/:id', async () => ({ secret: true }));
    app.post('/api/test/declared', { config: { access: { permission: 'admin' } } }, async () => ({}));
  };
  const app = await appWith(t, [sneaky]);
  await assert.rejects(async () => { await app.ready(); }, (err: unknown) => {
    assert.ok(err instanceof UndeclaredRouteError, String(err));
    assert.match(err.message, /GET \/api\/test\/sneaky\/:id/);
    assert.doesNotMatch(err.message, /\/api\/test\/declared/);
    assert.deepEqual(err.routes.map((r) => `${r.method} ${r.url}`), ['GET /api/test/sneaky/:id']);
    return true;
  });
});

test('a route declaring an unknown permission is refused too', async (t) => {
  const typo: Module = (app) => {
    app.delete('/api/test/typo', { config: { access: { permission: 'admins' as never } } }, async () => ({}));
  };
  const app = await appWith(t, [typo]);
  await assert.rejects(async () => { await app.ready(); }, (err: unknown) => err instanceof UndeclaredRouteError && /DELETE \/api\/test\/typo/.test(err.message));
});

test('every route of the real app declares a valid access rule, and non-public ones refuse anonymous callers', async (t) => {
  const p = await startTestPlatform();
  t.after(() => p.close());
  const routes = p.app.declaredRoutes;
  assert.ok(routes.length > 5, 'the walk covers the registered routes');
  const ours = routes.filter((r) => !r.url.startsWith('/api/docs'));
  for (const r of ours) {
    assert.ok(r.access, `${r.method} ${r.url} declares config.access`);
    assert.ok((PERMISSIONS as readonly string[]).includes(r.access.permission), `${r.method} ${r.url}: ${r.access.permission}`);
  }
  const uuid = crypto.randomUUID();
  // fetch cannot send CONNECT/TRACE/TRACK (registered by catch-all `app.all` routes); every other method is walked.
  const unsendable = new Set(['HEAD', 'CONNECT', 'TRACE', 'TRACK']);
  for (const r of ours.filter((x) => x.access!.permission !== 'public' && !unsendable.has(x.method))) {
    const url = r.url.replace(/:[A-Za-z_]+/g, uuid).replace(/\*$/, 'x');
    const res = await fetch(`${p.url}${url}`, {
      method: r.method,
      headers: r.method === 'GET' || r.method === 'DELETE' ? {} : { 'content-type': 'application/json' },
      body: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
    });
    assert.equal(res.status, 401, `${r.method} ${r.url} answers 401 to an anonymous caller`);
    const body = (await res.json()) as { code?: string; error_code?: string };
    // TAXII routes answer with the TAXII error resource (error_code) instead of problem+json.
    assert.equal(body.code ?? body.error_code, 'unauthenticated', `${r.method} ${r.url}: ${JSON.stringify(body)}`);
  }
});
