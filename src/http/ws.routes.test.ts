/** The per-tab WebSocket: session-cookie authenticated, hello with the user id, 4401 for anonymous. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { WS_CLOSE_FORBIDDEN_ORIGIN, WS_CLOSE_UNAUTHENTICATED } from './ws.routes.ts';

let p: TestPlatform;
let cookie = '';
let userId = '';
before(async () => {
  p = await startTestPlatform();
  const token = new URL(p.setupUrl!).searchParams.get('token')!;
  const setup = await fetch(`${p.url}/api/setup`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, email: 'ws-admin@example.org', displayName: 'WS Admin', password: 'correct horse battery' }),
  });
  assert.equal(setup.status, 201);
  const login = await fetch(`${p.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ws-admin@example.org', password: 'correct horse battery' }),
  });
  assert.equal(login.status, 200);
  userId = (await json(login)).user.id;
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.match(cookie, /^hs_session=/);
});
after(() => p.close());

const wsUrl = () => `${p.url.replace('http', 'ws')}/api/ws`;

function closeOf(ws: WebSocket): Promise<{ code: number; messages: unknown[] }> {
  const messages: unknown[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  return new Promise((resolve, reject) => {
    ws.on('close', (code) => resolve({ code, messages }));
    ws.on('error', reject);
  });
}

test('anonymous connections are closed with 4401', async () => {
  const { code, messages } = await closeOf(new WebSocket(wsUrl()));
  assert.equal(code, WS_CLOSE_UNAUTHENTICATED);
  assert.deepEqual(messages, []);
});

test('a signed-in session gets hello with its user id, and pong for ping', async () => {
  const ws = new WebSocket(wsUrl(), { headers: { cookie, origin: p.url } });
  const got: { type: string; userId?: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as { type: string; userId?: string };
      got.push(msg);
      if (msg.type === 'hello') ws.send(JSON.stringify({ type: 'ping' }));
      if (msg.type === 'pong') resolve();
    });
    ws.on('close', (code) => reject(new Error(`closed ${code}`)));
    ws.on('error', reject);
  });
  assert.equal(got[0]!.type, 'hello');
  assert.equal(got[0]!.userId, userId);
  ws.close();
});

test('a cross-origin page cannot use the session', async () => {
  const { code } = await closeOf(new WebSocket(wsUrl(), { headers: { cookie, origin: 'https://evil.example' } }));
  assert.equal(code, WS_CLOSE_FORBIDDEN_ORIGIN);
});

test('after logout the same cookie is refused', async () => {
  const csrf = await fetch(`${p.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ws-admin@example.org', password: 'correct horse battery' }),
  });
  const c2 = (csrf.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = (await json(csrf)).csrfToken as string;
  const out = await fetch(`${p.url}/api/auth/logout`, { method: 'POST', headers: { cookie: c2, 'x-csrf-token': token } });
  assert.equal(out.status, 204);
  const { code } = await closeOf(new WebSocket(wsUrl(), { headers: { cookie: c2 } }));
  assert.equal(code, WS_CLOSE_UNAUTHENTICATED);
});
