import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform();
});
after(() => p.close());

test('health, readiness and the first-run setup link', async () => {
  assert.equal((await fetch(`${p.url}/healthz`)).status, 200);
  const ready = await json(await fetch(`${p.url}/readyz`));
  assert.equal(ready.status, 'ready');
  assert.match(p.setupUrl ?? '', /\/setup\?token=[A-Za-z0-9_-]{40,}$/);
  const status = await json(await fetch(`${p.url}/api/setup/status`));
  assert.equal(status.needsSetup, true);
});

test('unknown routes and wrong media types get typed problems', async () => {
  const nf = await fetch(`${p.url}/api/nope`);
  assert.equal(nf.status, 404);
  assert.equal((await json(nf)).code, 'not_found');
  const media = await fetch(`${p.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
  assert.equal(media.status, 415);
  assert.equal((await json(media)).code, 'unsupported_media_type');
});
