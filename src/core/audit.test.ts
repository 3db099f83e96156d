/**
 * The audit log: append-only in the database, hash-chained so that any edit, deletion, reordering
 * or truncation of the tail is detected by `verifyAudit`; readable by administrators only, with
 * filters and keyset paging.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { appendAudit, verifyAudit, type AuditProblem } from './audit.ts';
import { system } from './actor.ts';
import { inTx } from './context.ts';
import { rows, type Db } from '../db/client.ts';
import { createTestDb, startTestPlatform } from '../../test/harness.ts';
import { plainUser, setupAdmin } from '../../test/fixtures/session.ts';

async function appendN(db: Db, n: number, action = 'test.thing', targetType = 'thing'): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) {
    seqs.push(
      await inTx(db, (tx) =>
        appendAudit(tx, { actor: system('test'), requestId: `req-${i}` }, {
          action, targetType, targetId: `t-${i}`, before: { n: i, nested: { b: 2, a: 1 } }, after: { n: i + 1, when: new Date(0) },
        }),
      ),
    );
  }
  return seqs;
}

/** What a superuser could do behind the application's back: the trigger is switched off for it. */
async function tamper(db: Db, statements: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    for (const s of statements) await tx.execute(sql.raw(s));
    await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
  });
}

async function chain(t: import('node:test').TestContext, n = 6) {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const db = tdb.database.db;
  await appendN(db, n);
  const ok = await verifyAudit(db);
  assert.deepEqual(ok, { ok: true, checked: n, problems: [] });
  return db;
}

const kinds = (problems: AuditProblem[]) => problems.map((p) => p.kind);
const pgMessage = (err: unknown): string => {
  const e = err as { message?: string; cause?: { message?: string } };
  return `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
};

test('appends form a verifiable chain, also across small verification batches', async (t) => {
  const db = await chain(t, 7);
  const paged = await verifyAudit(db, 2);
  assert.deepEqual(paged, { ok: true, checked: 7, problems: [] });
  const [head] = await rows<{ seq: number }>(db, sql`SELECT seq::int AS seq FROM audit_head`);
  assert.equal(head!.seq, 7);
});

test('a rolled-back change leaves no audit entry', async (t) => {
  const db = await chain(t, 2);
  await assert.rejects(
    inTx(db, async (tx) => {
      await appendAudit(tx, { actor: system('test') }, { action: 'test.rolled_back', targetType: 'thing' });
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  const v = await verifyAudit(db);
  assert.deepEqual(v, { ok: true, checked: 2, problems: [] });
});

test('UPDATE, DELETE and TRUNCATE on audit_log are refused by the database', async (t) => {
  const db = await chain(t, 3);
  for (const stmt of ["UPDATE audit_log SET action = 'x' WHERE seq = 2", 'DELETE FROM audit_log WHERE seq = 3', 'TRUNCATE audit_log']) {
    await assert.rejects(db.execute(sql.raw(stmt)), (err) => /append-only/.test(pgMessage(err)), stmt);
  }
  assert.deepEqual(await verifyAudit(db), { ok: true, checked: 3, problems: [] });
});

test('an edited row is detected', async (t) => {
  const db = await chain(t);
  await tamper(db, [`UPDATE audit_log SET "after" = '{"n": 999}'::jsonb WHERE seq = 3`]);
  const v = await verifyAudit(db);
  assert.equal(v.ok, false);
  assert.deepEqual(v.problems.filter((p) => p.kind === 'edited').map((p) => p.seq), [3]);
});

test('an edit that also recomputes the row hash is still detected by the next link', async (t) => {
  const db = await chain(t);
  await tamper(db, [`UPDATE audit_log SET action = 'test.other', hash = repeat('a', 64) WHERE seq = 3`]);
  const v = await verifyAudit(db);
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => p.seq === 3 && p.kind === 'edited'));
  assert.ok(v.problems.some((p) => p.seq === 4 && p.kind === 'reordered'));
});

test('a deleted middle row is detected as missing', async (t) => {
  const db = await chain(t);
  await tamper(db, ['DELETE FROM audit_log WHERE seq = 4']);
  const v = await verifyAudit(db);
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => p.kind === 'missing' && p.seq === 4), JSON.stringify(v.problems));
  assert.equal(v.checked, 5);
});

test('two rows swapped (seq exchanged) are detected', async (t) => {
  const db = await chain(t);
  await tamper(db, [
    'UPDATE audit_log SET seq = -1 WHERE seq = 2',
    'UPDATE audit_log SET seq = 2 WHERE seq = 3',
    'UPDATE audit_log SET seq = 3 WHERE seq = -1',
  ]);
  const v = await verifyAudit(db);
  assert.equal(v.ok, false);
  assert.ok(kinds(v.problems).includes('reordered'), JSON.stringify(v.problems));
  assert.ok(kinds(v.problems).includes('edited'), 'seq is covered by the row hash');
});

test('rows swapped by content (seq kept) are detected', async (t) => {
  const db = await chain(t);
  const cols = 'at, actor_type, actor_id, org_id, ip, request_id, action, target_type, target_id, "before", "after", prev_hash, hash';
  await tamper(db, [
    `CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE seq IN (2, 5)`,
    `UPDATE audit_log a SET (${cols}) = (SELECT ${cols} FROM swap s WHERE s.seq = 7 - a.seq) WHERE a.seq IN (2, 5)`,
    'DROP TABLE swap',
  ]);
  const v = await verifyAudit(db);
  assert.equal(v.ok, false);
  assert.ok(v.problems.some((p) => p.seq === 2), JSON.stringify(v.problems));
  assert.ok(v.problems.some((p) => p.seq === 5), JSON.stringify(v.problems));
});

test('a deleted last row is detected by the head', async (t) => {
  const db = await chain(t);
  await tamper(db, ['DELETE FROM audit_log WHERE seq = 6']);
  const v = await verifyAudit(db);
  assert.equal(v.ok, false);
  assert.deepEqual(kinds(v.problems), ['head_mismatch']);
});

test('GET /api/admin/audit: administrators only, with filters and keyset paging', async (t) => {
  const p = await startTestPlatform({ WORKERS: 'false', REQUIRE_2FA_ROLES: '' }); // 2FA has its own tests
  t.after(() => p.close());
  const admin = await setupAdmin(p);
  const user = await plainUser(p);
  const db = p.testDb.database.db;
  const tag = crypto.randomUUID().slice(0, 8);
  await appendN(db, 5, `test.${tag}.a`, 'widget');
  await appendN(db, 3, `test.${tag}.b`, 'gadget');

  assert.equal((await fetch(`${p.url}/api/admin/audit`)).status, 401);
  const denied = await fetch(`${p.url}/api/admin/audit`, { headers: user.headers() });
  assert.equal(denied.status, 403);
  assert.equal(((await denied.json()) as { code: string }).code, 'forbidden');

  type Page = { items: { seq: number; action: string; targetType: string; targetId: string }[]; nextBefore: number | null };
  const get = async (qs: string): Promise<Page> => {
    const res = await fetch(`${p.url}/api/admin/audit?${qs}`, { headers: admin.headers() });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Page;
  };
  const seen: number[] = [];
  let page = await get(`action=test.${tag}.a&limit=2`);
  for (let guard = 0; guard < 10; guard++) {
    assert.ok(page.items.every((i) => i.action === `test.${tag}.a` && i.targetType === 'widget'));
    seen.push(...page.items.map((i) => i.seq));
    if (page.nextBefore === null) break;
    assert.equal(page.nextBefore, page.items[page.items.length - 1]!.seq);
    page = await get(`action=test.${tag}.a&limit=2&before=${page.nextBefore}`);
  }
  assert.equal(seen.length, 5);
  assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');
  assert.equal(new Set(seen).size, 5, 'pages do not overlap');

  const gadgets = await get(`targetType=gadget&targetId=t-1`);
  assert.deepEqual(gadgets.items.map((i) => [i.action, i.targetId]), [[`test.${tag}.b`, 't-1']]);
  const setup = await get('action=platform.setup');
  assert.equal(setup.items.length, 1, 'the setup itself was audited');
  const none = await get(`action=test.${tag}.a&from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
  assert.deepEqual(none.items, []);

  for (const bad of ['limit=0', 'limit=abc', 'before=-3', 'actorId=not-a-uuid', 'unknown=1']) {
    const res = await fetch(`${p.url}/api/admin/audit?${bad}`, { headers: admin.headers() });
    assert.equal(res.status, 400, bad);
    assert.equal(((await res.json()) as { code: string }).code, 'validation_failed');
  }
  const verify = await fetch(`${p.url}/api/admin/audit/verify`, { method: 'POST', headers: admin.headers() });
  assert.equal(verify.status, 200);
  assert.equal(((await verify.json()) as { ok: boolean }).ok, true);
});
