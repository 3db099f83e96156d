/**
 * The directory's periodic duties, run by one node at a time (transaction-level advisory lock):
 * scheduled contact checks that are due; 30-day expiry notices for OpenPGP keys; entries not
 * re-confirmed within DIRECTORY_RECONFIRM_MONTHS flagged to their org admins and the hub.
 */
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { system } from '../core/actor.ts';
import { appendAudit } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { memberships, organisations, users } from '../core/tables.ts';
import { rows, type Db } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { coordinatorRecipients } from '../membership/recipients.ts';
import { startCheck, type CheckDeps } from './contact-checks.command.ts';
import { entryStale, keyExpiring } from './emails.ts';
import { contactCheckSchedules, directoryNotices, pgpKeys, teamProfiles } from './tables.ts';

const JOB_LOCK = 7_224_601_505;
export const KEY_NOTICE_DAYS = 30;
export type JobDeps = CheckDeps & { reconfirmMonths: number };
export type JobSummary = { checksStarted: number; keyNotices: number; staleFlagged: number };

async function orgAdmins(db: Db | Parameters<Parameters<typeof inTx>[1]>[0], orgId: string) {
  return db.select({ id: users.id, email: users.email, locale: users.locale }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'org_admin'), isNull(users.disabledAt)));
}

export async function runDirectoryJobs(db: Db, deps: JobDeps, now = new Date()): Promise<JobSummary> {
  const summary: JobSummary = { checksStarted: 0, keyNotices: 0, staleFlagged: 0 };
  await inTx(db, async (tx) => {
    const [lock] = await rows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${JOB_LOCK}) AS ok`);
    if (!lock?.ok) return;
    const meta = { actor: system('directory-jobs') };

    for (const s of await tx.select().from(contactCheckSchedules).where(and(eq(contactCheckSchedules.active, true), lte(contactCheckSchedules.nextRunAt, now))).for('update')) {
      await startCheck(tx, deps, meta, { scope: s.scope as 'all' | 'group', sharingGroupId: s.sharingGroupId ?? undefined }, s.id);
      const next = new Date(s.nextRunAt);
      while (next <= now) next.setMonth(next.getMonth() + s.everyMonths);
      await tx.update(contactCheckSchedules).set({ nextRunAt: next }).where(eq(contactCheckSchedules.id, s.id));
      summary.checksStarted++;
    }

    const soon = new Date(now.getTime() + KEY_NOTICE_DAYS * 86_400_000);
    const expiring = await tx.select({ key: pgpKeys, team: organisations.name }).from(pgpKeys)
      .innerJoin(organisations, eq(organisations.id, pgpKeys.orgId))
      .where(and(eq(pgpKeys.revoked, false), gt(pgpKeys.expiresAt, now), lte(pgpKeys.expiresAt, soon), isNull(pgpKeys.expiryNoticeSentAt)));
    for (const { key, team } of expiring) {
      const owners = new Map((await orgAdmins(tx, key.orgId)).map((u) => [u.id, u]));
      if (key.uploadedBy) {
        const [u] = await tx.select({ id: users.id, email: users.email, locale: users.locale }).from(users).where(and(eq(users.id, key.uploadedBy), isNull(users.disabledAt)));
        if (u) owners.set(u.id, u);
      }
      const vars = { team, fingerprint: key.fingerprint, userIds: key.userIds.join(', '), date: key.expiresAt!.toISOString().slice(0, 10), link: `${deps.publicUrl}/directory/teams/${key.orgId}` };
      for (const u of owners.values()) {
        await queueMail(tx, { ...renderMail(keyExpiring, u.locale, vars, u.email), tag: 'directory.key-expiring' });
        await tx.insert(directoryNotices).values({ id: newId(), userId: u.id, kind: 'key_expiring', data: { orgId: key.orgId, keyId: key.id, fingerprint: key.fingerprint, expiresAt: key.expiresAt } });
      }
      await tx.update(pgpKeys).set({ expiryNoticeSentAt: now }).where(eq(pgpKeys.id, key.id));
      await appendAudit(tx, meta, { action: 'directory.key.expiry_notice', targetType: 'pgp_key', targetId: key.id, orgId: key.orgId, after: { recipients: [...owners.keys()] } });
      summary.keyNotices++;
    }

    const limit = new Date(now);
    limit.setMonth(limit.getMonth() - deps.reconfirmMonths);
    const stale = await rows<{ id: string; name: string; last: Date | null }>(tx, sql`
      SELECT o.id, o.name, p.last_confirmed_at AS last FROM organisations o LEFT JOIN team_profiles p ON p.org_id = o.id
       WHERE o.network_member AND (p.last_confirmed_at IS NULL OR p.last_confirmed_at < ${limit.toISOString()}::timestamptz)
         AND (p.stale_notified_at IS NULL OR p.stale_notified_at < ${limit.toISOString()}::timestamptz)`);
    const hub = stale.length ? await coordinatorRecipients(tx) : [];
    for (const t of stale) {
      const since = t.last ? new Date(t.last).toISOString().slice(0, 10) : 'never';
      const vars = { team: t.name, since, months: deps.reconfirmMonths, link: `${deps.publicUrl}/directory/teams/${t.id}` };
      for (const u of await orgAdmins(tx, t.id)) {
        await queueMail(tx, { ...renderMail(entryStale, u.locale, vars, u.email), tag: 'directory.stale' });
        await tx.insert(directoryNotices).values({ id: newId(), userId: u.id, kind: 'stale_entry', data: { orgId: t.id, team: t.name, lastConfirmedAt: t.last } });
      }
      for (const u of hub) await tx.insert(directoryNotices).values({ id: newId(), userId: u.id, kind: 'stale_entry', data: { orgId: t.id, team: t.name, lastConfirmedAt: t.last } });
      await tx.insert(teamProfiles).values({ orgId: t.id, staleNotifiedAt: now }).onConflictDoUpdate({ target: teamProfiles.orgId, set: { staleNotifiedAt: now } });
      summary.staleFlagged++;
    }
    if (summary.staleFlagged) await appendAudit(tx, meta, { action: 'directory.stale.flag', targetType: 'platform', after: { teams: stale.map((t) => t.id) } });
  });
  return summary;
}

/** Starts the periodic runner on this node; returns a stop function. */
export function startDirectoryJobs(db: Db, deps: JobDeps, intervalMs: number, onError: (err: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = runDirectoryJobs(db, deps).catch(onError).finally(() => { running = undefined; });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
