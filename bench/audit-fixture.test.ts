/** The bench's bulk audit writer must produce exactly the chain appendAudit produces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { appendAudit, verifyAudit } from '../src/core/audit.ts';
import { system } from '../src/core/actor.ts';
import { inTx } from '../src/core/context.ts';
import { rows } from '../src/db/client.ts';
import { createTestDb } from '../test/harness.ts';
import { writeAuditRows } from './audit-fixture.ts';

test('bulk-written rows continue and are continued by appendAudit, and the whole chain verifies', async () => {
  const t = await createTestDb();
  try {
    const db = t.database.db;
    const append = (action: string) => inTx(db, (tx) => appendAudit(tx, { actor: system('bench-test') }, { action, targetType: 'test' }));
    const first = await append('before.bulk');
    await writeAuditRows(db, 2500);
    const last = await append('after.bulk');
    assert.equal(last, first + 2501);
    const verdict = await verifyAudit(db);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.checked, last);

    // The check is real: one forged row in the bulk part breaks it.
    await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE audit_log SET action = 'forged' WHERE seq = ${first + 1000}`);
    });
    const broken = await verifyAudit(db);
    assert.deepEqual(broken.problems.map((p) => [p.seq, p.kind]), [[first + 1000, 'edited']]);
    const [n] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log`);
    assert.equal(n!.n, last);
  } finally {
    await t.drop();
  }
});
