/**
 * Bench-only: an embedded data directory holding N audit rows, built once and cached under
 * .tmp/bench (keyed by the migration set). The rows are written with the same hash chain as
 * appendAudit (rowHash over the previous hash), in multi-row INSERT batches instead of one
 * transaction per row, then the whole chain is checked once with verifyAudit.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { GENESIS_HASH, rowHash, verifyAudit } from '../src/core/audit.ts';
import { auditHead, auditLog } from '../src/core/tables.ts';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../src/db/client.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { newId } from '../src/core/ids.ts';
import { TMP } from '../test/harness.ts';

const BATCH = 1000;
const ACTIONS = ['user.login', 'org.update', 'membership.add', 'incident.create', 'incident.comment', 'token.create'];

export function fixtureDir(rowsWanted: number): string {
  const key = crypto.createHash('sha256').update(readMigrations().map((m) => m.hash).join(',')).digest('hex').slice(0, 12);
  return path.join(TMP, 'bench', `audit-${rowsWanted}-${key}`);
}

/**
 * Appends `count` audit rows after the current head, chained exactly as appendAudit chains them,
 * in multi-row INSERTs of BATCH rows (one transaction per batch, head updated with each).
 */
export async function writeAuditRows(db: Db, count: number): Promise<void> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  const base = head?.seq ?? 0;
  const rowsWanted = base + count;
  const orgs = Array.from({ length: 20 }, () => newId());
  const actors = Array.from({ length: 200 }, () => newId());
  let prev = head?.hash ?? GENESIS_HASH;
  const t0 = Date.now() - rowsWanted * 1000;
  for (let first = base + 1; first <= rowsWanted; first += BATCH) {
    const batch: (typeof auditLog.$inferInsert)[] = [];
    for (let seq = first; seq < Math.min(first + BATCH, rowsWanted + 1); seq++) {
      const row = {
        seq, at: new Date(t0 + seq * 1000), actorType: 'user', actorId: actors[seq % actors.length]!,
        orgId: orgs[seq % orgs.length]!, ip: `10.0.${(seq >> 8) & 255}.${seq & 255}`, requestId: newId(),
        action: ACTIONS[seq % ACTIONS.length]!, targetType: 'bench', targetId: String(seq),
        before: seq % 3 === 0 ? { title: `before ${seq}`, tlp: 'amber' } : null,
        after: { title: `after ${seq}`, tlp: 'green', tags: ['bench', `n${seq % 7}`] },
      };
      const hash = rowHash(prev, row);
      batch.push({ ...row, prevHash: prev, hash });
      prev = hash;
    }
    await db.transaction(async (tx) => {
      await tx.insert(auditLog).values(batch);
      const top = { seq: batch[batch.length - 1]!.seq, hash: batch[batch.length - 1]!.hash };
      await tx.insert(auditHead).values({ id: 1, ...top }).onConflictDoUpdate({ target: auditHead.id, set: top });
    });
  }
}

/** Returns the DATA_DIR of a migrated embedded database with `rowsWanted` audit rows. */
export async function auditFixture(rowsWanted: number, log = console.log): Promise<string> {
  const dir = fixtureDir(rowsWanted);
  if (fs.existsSync(path.join(dir, 'pgdata', 'PG_VERSION'))) return dir;
  const staging = `${dir}.building-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  log(`Building the fixture (${rowsWanted} audit rows) in ${dir} — once; later runs reuse it.`);
  const started = Date.now();
  const database = await openDatabase({ dataDir: staging });
  try {
    await migrate(database);
    await writeAuditRows(database.db, rowsWanted);
    const verdict = await verifyAudit(database.db);
    if (!verdict.ok || verdict.checked !== rowsWanted) {
      throw new Error(`fixture chain is not valid: ${JSON.stringify(verdict.problems.slice(0, 3))}`);
    }
    log(`  ${rowsWanted} rows written and verified in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await database.close();
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}
