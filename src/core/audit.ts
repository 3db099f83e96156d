/**
 * Append-only, hash-chained audit log. Each row's hash covers its content and the previous hash;
 * `audit_head` holds the newest (seq, hash) so deleting the tail is detected as well. Appends are
 * serialised by a transaction-level advisory lock, taken in the caller's transaction: the audit
 * row commits or rolls back with the change it records.
 */
import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from './actor.ts';
import { orgIdsOf } from './actor.ts';
import { sha256 } from './ids.ts';
import { auditHead, auditLog } from './tables.ts';
import type { Db, Tx } from '../db/client.ts';

const AUDIT_LOCK = 7_224_601_002;
export const GENESIS_HASH = '0'.repeat(64);

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  orgId?: string | null;
};
export type AuditMeta = { actor: Actor; ip?: string | null; requestId?: string | null };

/** JSON with sorted keys, so the hash does not depend on how jsonb reorders objects. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (v === undefined) return null;
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(norm);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = norm(x);
    }
    return out;
  };
  return JSON.stringify(norm(value));
}

type Hashable = {
  seq: number; at: Date; actorType: string; actorId: string | null; orgId: string | null; ip: string | null;
  requestId: string | null; action: string; targetType: string; targetId: string | null; before: unknown; after: unknown;
};

export function rowHash(prevHash: string, r: Hashable): string {
  return sha256(
    prevHash + '\n' +
      canonicalJson({
        seq: r.seq, at: r.at.toISOString(), actorType: r.actorType, actorId: r.actorId, orgId: r.orgId, ip: r.ip,
        requestId: r.requestId, action: r.action, targetType: r.targetType, targetId: r.targetId,
        before: r.before ?? null, after: r.after ?? null,
      }),
  );
}

/** The advisory-lock key that serialises appends (for callers that take it together with their own lock). */
export const AUDIT_LOCK_KEY = AUDIT_LOCK;
export type AuditHead = { seq: number; hash: string };
export type AuditRow = Hashable & { prevHash: string; hash: string };

/** Record a state change inside the transaction that makes it. */
export async function appendAudit(tx: Tx, meta: AuditMeta, e: AuditEntry): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [head] = await tx.select({ seq: auditHead.seq, hash: auditHead.hash }).from(auditHead).where(eq(auditHead.id, 1));
  const row = nextAuditRow(head, meta, e);
  await writeAuditRow(tx, row);
  return row.seq;
}

/**
 * The row that follows `head` (null/undefined: the chain is empty). Pure; for callers that read the
 * head themselves — after taking the audit lock, in a later statement than the one that took it —
 * and then write the row with `writeAuditRow` in the same transaction.
 */
export function nextAuditRow(head: AuditHead | null | undefined, meta: AuditMeta, e: AuditEntry): AuditRow {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const a = meta.actor;
  // Values go through JSON once so that what is hashed is exactly what jsonb stores.
  const before = e.before === undefined ? null : JSON.parse(JSON.stringify(e.before));
  const after = e.after === undefined ? null : JSON.parse(JSON.stringify(e.after));
  const row: Hashable = {
    seq,
    at: new Date(),
    actorType: a.kind === 'system' ? `system:${a.reason}` : a.kind,
    actorId: a.kind === 'user' ? a.userId : null,
    orgId: e.orgId ?? orgIdsOf(a)[0] ?? null,
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    before,
    after,
  };
  return { ...row, prevHash, hash: rowHash(prevHash, row) };
}

/** Write a row made by `nextAuditRow` and move the head to it, in one statement (the caller holds the audit lock). */
export async function writeAuditRow(tx: Tx, r: AuditRow): Promise<void> {
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  await tx.execute(sql`WITH appended AS (
    INSERT INTO ${auditLog} (seq, at, actor_type, actor_id, org_id, ip, request_id, action, target_type, target_id, before, after, prev_hash, hash)
    VALUES (${r.seq}, ${r.at.toISOString()}::timestamptz, ${r.actorType}, ${r.actorId}::uuid, ${r.orgId}::uuid, ${r.ip}, ${r.requestId},
            ${r.action}, ${r.targetType}, ${r.targetId}, ${json(r.before)}::jsonb, ${json(r.after)}::jsonb, ${r.prevHash}, ${r.hash}))
    INSERT INTO ${auditHead} (id, seq, hash) VALUES (1, ${r.seq}, ${r.hash})
    ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`);
}

export type AuditProblem = { seq: number; kind: 'edited' | 'missing' | 'reordered' | 'head_mismatch'; detail: string };
export type AuditVerdict = { ok: boolean; checked: number; problems: AuditProblem[] };

/** Walk the whole chain in seq order and report every break. */
export async function verifyAudit(db: Db, batch = 5000): Promise<AuditVerdict> {
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  let after = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(sql`${auditLog.seq} > ${after}`).orderBy(auditLog.seq).limit(batch);
    for (const r of page) {
      checked++;
      if (r.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, kind: 'missing', detail: `rows ${expectedSeq}..${r.seq - 1} are missing` });
      }
      if (r.prevHash !== prev) {
        problems.push({ seq: r.seq, kind: 'reordered', detail: 'previous-hash link does not match the row before it' });
      }
      const recomputed = rowHash(r.prevHash, { ...r, before: r.before, after: r.after });
      if (recomputed !== r.hash) problems.push({ seq: r.seq, kind: 'edited', detail: 'content does not match its hash' });
      prev = r.hash;
      expectedSeq = r.seq + 1;
      after = r.seq;
    }
    if (page.length < batch) break;
  }
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  const headSeq = head?.seq ?? 0;
  if (headSeq !== expectedSeq - 1 || (head && head.hash !== prev)) {
    problems.push({
      seq: headSeq, kind: 'head_mismatch',
      detail: `chain ends at ${expectedSeq - 1} but the head records ${headSeq}: rows at the end were deleted or altered`,
    });
  }
  return { ok: problems.length === 0, checked, problems };
}

export type AuditFilter = {
  actorId?: string; orgId?: string; action?: string; targetType?: string; targetId?: string;
  from?: Date; to?: Date; before?: number; limit: number;
};

/** Newest first, keyset-paged by seq (`before` = the last seq of the previous page). */
export async function queryAudit(db: Db, f: AuditFilter) {
  const conds: SQL[] = [];
  if (f.actorId) conds.push(eq(auditLog.actorId, f.actorId));
  if (f.orgId) conds.push(eq(auditLog.orgId, f.orgId));
  if (f.action) conds.push(eq(auditLog.action, f.action));
  if (f.targetType) conds.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) conds.push(eq(auditLog.targetId, f.targetId));
  if (f.from) conds.push(gte(auditLog.at, f.from));
  if (f.to) conds.push(lte(auditLog.at, f.to));
  if (f.before) conds.push(lt(auditLog.seq, f.before));
  const items = await db.select().from(auditLog).where(conds.length ? and(...conds) : undefined).orderBy(desc(auditLog.seq)).limit(f.limit + 1);
  const more = items.length > f.limit;
  const page = more ? items.slice(0, f.limit) : items;
  return { items: page, nextBefore: more ? page[page.length - 1]!.seq : null };
}
