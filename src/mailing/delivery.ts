/**
 * Campaign delivery through the outbox, at a configured rate, built for 100,000 recipients.
 *
 * 'mailing.campaign.start' materialises the recipients (one INSERT … SELECT) and starts a chain of
 * 'mailing.campaign.tick' outbox events. Each tick claims up to one second's worth of due recipients
 * (FOR UPDATE SKIP LOCKED, with a lease), sends them concurrently over a pooled SMTP transport,
 * records each recipient's status in bulk, and enqueues the next tick, delayed so the campaign keeps
 * its rate. No transaction spans more than one tick. Pause, cancel and reschedule replace the
 * campaign's chain id, so an in-flight chain stops at its next tick (at most one second's batch).
 * A worker that dies mid-tick leaves the outbox event and the recipients' leases to expire: both
 * are claimed again (at-least-once; the Message-ID `<campaign.seq@domain>` makes a repeat
 * recognisable). Temporary failures retry with backoff up to MAILING_MAX_ATTEMPTS; SMTP 5xx fails at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import * as openpgp from 'openpgp';
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { enqueue, type Handler } from '../core/outbox.ts';
import { newId } from '../core/ids.ts';
import type { Tlp } from '../core/tlp.ts';
import { tlpRank } from '../core/tlp.ts';
import { rows, type Database, type DbOrTx } from '../db/client.ts';
import { leadOrgIdsNow, markingFor, materialisedUpTo, materialiseRecipients, stillInAudience, stillSubscribed } from './audience.ts';
import { composeListMessage, type ComposeDeps, type Composed } from './compose.ts';
import type { AlertSigner } from './pgp-mime.ts';
import type { PerLocale } from './schema.ts';
import { mailingCampaigns, mailingLists } from './tables.ts';
import { mailingSecret } from './tokens.ts';

export const START_TOPIC = 'mailing.campaign.start';
export const TICK_TOPIC = 'mailing.campaign.tick';
const LEASE_SECONDS = 120;
const MAX_BATCH = 2000;

export type DeliverySettings = {
  smtpUrl?: string; outboxDir: string; publicUrl: string; domain: string; from: string;
  ratePerSecond: number; concurrency: number; maxAttempts: number; retryBaseSeconds: number;
  signer: () => Promise<AlertSigner>;
};

export type Sender = { send(m: Composed): Promise<void>; close(): void };

/** Pooled SMTP (several connections, many messages each), or .eml files when no SMTP_URL is set. */
export function createSender(s: DeliverySettings): Sender {
  if (s.smtpUrl) {
    const t = nodemailer.createTransport({ url: s.smtpUrl, pool: true, maxConnections: s.concurrency, maxMessages: Infinity } as never);
    return { send: async (m) => { await t.sendMail({ envelope: m.envelope, raw: m.raw }); }, close: () => t.close() };
  }
  return {
    async send(m) {
      fs.mkdirSync(s.outboxDir, { recursive: true });
      const id = /^Message-ID: <([^>@]+)@/m.exec(m.raw)?.[1] ?? newId();
      fs.writeFileSync(path.join(s.outboxDir, `list-${id}.eml`), m.raw);
    },
    close() {},
  };
}

type CampaignRow = typeof mailingCampaigns.$inferSelect;

export async function startChain(tx: DbOrTx, campaignId: string, chainId: string, delayMs = 0) {
  await enqueue(tx, TICK_TOPIC, { campaignId, chainId }, { delayMs });
}

/**
 * Start handler: materialise the recipients one page per outbox event (each page its own short
 * transaction, which enqueues the next page), and start the tick chain with the first page — so the
 * worker interleaves ticks with pages and the first messages leave while a large audience is still
 * being written. `recipientCount` is set with the last page; until then a tick never declares the
 * campaign sent. A retried page resumes after the highest subscriber already written.
 */
export function startHandler(database: Database, pageSize = 10_000): Handler {
  return async (ev) => {
    const { campaignId, chainId, continued } = ev.payload as { campaignId: string; chainId: string; continued?: boolean };
    await database.db.transaction(async (tx) => {
      const [c] = await tx.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, campaignId)).for('update');
      if (!c || c.chainId !== chainId || !['scheduled', 'sending'].includes(c.status)) return;
      if (!continued) {
        await tx.update(mailingCampaigns).set({ status: 'sending', startedAt: c.startedAt ?? new Date(), updatedAt: new Date() }).where(eq(mailingCampaigns.id, c.id));
        await startChain(tx, c.id, chainId);
      }
      if (c.recipientCount !== null) return;
      const [list] = await tx.select().from(mailingLists).where(eq(mailingLists.id, c.listId));
      const n = await materialiseRecipients(tx, c.id, list!, c.topic, { after: await materialisedUpTo(tx, c.id), limit: pageSize });
      if (!n.done) {
        await enqueue(tx, START_TOPIC, { campaignId, chainId, continued: true });
        return;
      }
      const counts = await rows<{ status: string; n: number }>(tx, sql`SELECT status, count(*)::int AS n FROM mailing_recipients WHERE campaign_id = ${c.id}::uuid GROUP BY status`);
      const total = counts.reduce((a, x) => a + x.n, 0);
      // The archive's audience is the one written now: the teams of the leads just materialised.
      const m = markingFor(list!, c.tlp as Tlp, c.createdBy, c.ownerOrgId, await leadOrgIdsNow(tx, list!));
      await tx.update(mailingCampaigns).set({ recipientCount: total, scope: m.scope, scopeOrgIds: m.scopeOrgIds, updatedAt: new Date() }).where(eq(mailingCampaigns.id, c.id));
      await appendAudit(tx, { actor: system('mailing') }, { action: 'mailing.campaign.start', targetType: 'mailing_campaign', targetId: c.id, after: { recipients: total, suppressed: counts.find((x) => x.status === 'suppressed')?.n ?? 0 } });
    });
  };
}

type Claimed = { seq: number; email: string; locale: string; attempts: number; user_id: string | null; subscriber_id: string | null };

/**
 * The OpenPGP key each recipient's AMBER alert is encrypted to: a valid key naming their address
 * that their own team published in the directory (newest first). A key another team published with
 * someone else's address in its user ID is never used — else any team could have others' alerts
 * encrypted to a key it holds.
 */
async function keysFor(db: DbOrTx, people: { email: string; user_id: string | null }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const known = people.filter((p): p is { email: string; user_id: string } => !!p.user_id);
  if (!known.length) return out;
  const emails = `{${known.map((p) => `"${p.email.toLowerCase().replace(/"/g, '')}"`).join(',')}}`;
  const uids = `{${known.map((p) => p.user_id).join(',')}}`;
  const found = await rows<{ email: string; armored: string }>(db, sql`
    SELECT DISTINCT ON (e.email) e.email, k.armored FROM unnest(${emails}::text[], ${uids}::uuid[]) AS e(email, user_id)
      JOIN pgp_keys k ON NOT k.revoked AND (k.expires_at IS NULL OR k.expires_at > now())
       AND EXISTS (SELECT 1 FROM unnest(k.user_ids) u WHERE lower(u) = e.email OR lower(u) LIKE '%<' || e.email || '>%')
       AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = e.user_id AND m.org_id = k.org_id)
     ORDER BY e.email, k.key_created_at DESC`);
  for (const f of found) {
    try {
      const key = await openpgp.readKey({ armoredKey: f.armored });
      if (await key.getEncryptionKey().then(() => true, () => false)) out.set(f.email, f.armored);
    } catch { /* an unreadable key counts as no key: the member gets the notice */ }
  }
  return out;
}

const transient = (err: unknown) => {
  const code = (err as { responseCode?: number }).responseCode;
  return !(typeof code === 'number' && code >= 500 && code < 600);
};

/** Tick handler: one rate-limited batch of one campaign. */
export function tickHandler(database: Database, s: DeliverySettings, sender: Sender): Handler {
  return async (ev) => {
    const { campaignId, chainId } = ev.payload as { campaignId: string; chainId: string };
    const db = database.db;
    const began = Date.now();
    const [c] = await db.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, campaignId));
    if (!c || c.status !== 'sending' || c.chainId !== chainId) return; // paused, cancelled or superseded
    const [list] = await db.select().from(mailingLists).where(eq(mailingLists.id, c.listId));
    const rate = c.ratePerSecond ?? s.ratePerSecond;
    const batch = Math.max(1, Math.min(rate, MAX_BATCH));
    const claimed = await rows<Claimed>(db, sql`
      UPDATE mailing_recipients r SET status = 'sending', attempts = r.attempts + 1,
             locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
       WHERE r.seq IN (
         SELECT seq FROM mailing_recipients
          WHERE campaign_id = ${campaignId}::uuid
            AND ((status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
                 OR (status = 'sending' AND locked_until < now()))
          ORDER BY seq LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING r.seq::int AS seq, r.email, r.locale, r.attempts, r.user_id, r.subscriber_id`);
    if (claimed.length) await deliverBatch(database, s, sender, c, list!, claimed);
    await db.transaction(async (tx) => {
      const [state] = await rows<{ open: number; next: Date | null }>(tx, sql`
        SELECT count(*) FILTER (WHERE status IN ('queued', 'sending'))::int AS open,
               min(COALESCE(next_attempt_at, now())) FILTER (WHERE status = 'queued') AS next
          FROM mailing_recipients WHERE campaign_id = ${campaignId}::uuid`);
      const [now] = await tx.select({ status: mailingCampaigns.status, chainId: mailingCampaigns.chainId }).from(mailingCampaigns).where(eq(mailingCampaigns.id, campaignId)).for('update');
      if (now?.status !== 'sending' || now.chainId !== chainId) return;
      const [{ complete }] = await rows<{ complete: boolean }>(tx, sql`SELECT recipient_count IS NOT NULL AS complete FROM mailing_campaigns WHERE id = ${campaignId}::uuid`) as [{ complete: boolean }];
      if (complete && (!state || state.open === 0)) {
        const finishedAt = new Date();
        await tx.update(mailingCampaigns).set({ status: 'sent', finishedAt, updatedAt: finishedAt }).where(eq(mailingCampaigns.id, campaignId));
        const counts = await rows<{ status: string; n: number }>(tx, sql`SELECT status, count(*)::int AS n FROM mailing_recipients WHERE campaign_id = ${campaignId}::uuid GROUP BY status`);
        await appendAudit(tx, { actor: system('mailing') }, { action: 'mailing.campaign.sent', targetType: 'mailing_campaign', targetId: campaignId, after: Object.fromEntries(counts.map((x) => [x.status, x.n])) });
        return;
      }
      const paceMs = Math.max(0, (claimed.length * 1000) / rate - (Date.now() - began));
      const retryMs = claimed.length === 0 && state?.next ? Math.max(0, new Date(state.next).getTime() - Date.now()) : 0;
      await startChain(tx, campaignId, chainId, Math.max(paceMs, Math.min(retryMs, 60_000), claimed.length === 0 ? 200 : 0));
    });
  };
}

async function deliverBatch(database: Database, s: DeliverySettings, sender: Sender, c: CampaignRow, list: typeof mailingLists.$inferSelect, claimed: Claimed[]) {
  const db = database.db;
  const suppressed = new Set((await rows<{ email: string }>(db, sql`SELECT email FROM mailing_suppressions WHERE email = ANY(${`{${claimed.map((r) => `"${r.email.toLowerCase().replace(/"/g, '')}"`).join(',')}}`}::text[])`)).map((r) => r.email));
  const tlp = c.tlp as Tlp;
  const alert = list.kind !== 'public' && tlp !== 'clear';
  const keys = alert && tlpRank(tlp) >= tlpRank('amber') ? await keysFor(db, claimed) : new Map<string, string>();
  const d: ComposeDeps = { publicUrl: s.publicUrl, domain: s.domain, from: s.from, secret: await mailingSecret(db), signer: alert ? await s.signer() : undefined };
  const sent: { seq: number; variant: string }[] = [];
  const retry: { seq: number; error: string; delayS: number }[] = [];
  const failed: { seq: number; error: string }[] = [];
  const skip: number[] = [];
  // Whoever left the audience since the recipients were written is not sent the campaign; their row
  // ends 'cancelled'. Member lists: removed from the team, disabled. The public list: unsubscribed,
  // or no longer following the campaign's topic.
  const live = list.kind !== 'public'
    ? await stillInAudience(db, list, claimed.flatMap((r) => (r.user_id ? [r.user_id] : [])))
    : await stillSubscribed(db, list.id, c.topic, claimed.flatMap((r) => (r.subscriber_id ? [r.subscriber_id] : [])));
  const gone: number[] = [];
  let i = 0;
  const campaign = { id: c.id, subject: c.subject as PerLocale, body: c.body as PerLocale, tlp };
  const worker = async () => {
    while (i < claimed.length) {
      const r = claimed[i++]!;
      if (suppressed.has(r.email.toLowerCase())) { skip.push(r.seq); continue; }
      const who = list.kind !== 'public' ? r.user_id : r.subscriber_id;
      if (!(who && live.has(who))) { gone.push(r.seq); continue; }
      try {
        const m = await composeListMessage(d, list, campaign, { ...r, key: keys.get(r.email.toLowerCase()) ?? null });
        await sender.send(m);
        sent.push({ seq: r.seq, variant: m.variant });
      } catch (err) {
        const error = String((err as Error)?.message ?? err).slice(0, 500);
        if (transient(err) && r.attempts < s.maxAttempts) retry.push({ seq: r.seq, error, delayS: Math.min(s.retryBaseSeconds * 2 ** (r.attempts - 1), 3600) });
        else failed.push({ seq: r.seq, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(s.concurrency, claimed.length) }, worker));
  const arr = (xs: (string | number)[]) => `{${xs.map((x) => `"${String(x).replace(/["\\]/g, '')}"`).join(',')}}`;
  await db.transaction(async (tx) => {
    if (sent.length) {
      await tx.execute(sql`UPDATE mailing_recipients r SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL, variant = v.variant
        FROM unnest(${arr(sent.map((x) => x.seq))}::bigint[], ${arr(sent.map((x) => x.variant))}::text[]) AS v(seq, variant) WHERE r.seq = v.seq`);
    }
    if (skip.length) await tx.execute(sql`UPDATE mailing_recipients SET status = 'suppressed', locked_until = NULL WHERE seq = ANY(${arr(skip)}::bigint[])`);
    if (gone.length) {
      await tx.execute(sql`UPDATE mailing_recipients SET status = 'cancelled', locked_until = NULL, last_error = 'no longer in the audience'
        WHERE seq = ANY(${arr(gone)}::bigint[])`);
    }
    if (failed.length) {
      await tx.execute(sql`UPDATE mailing_recipients r SET status = 'failed', locked_until = NULL, last_error = v.err
        FROM unnest(${arr(failed.map((x) => x.seq))}::bigint[], ${arr(failed.map((x) => x.error))}::text[]) AS v(seq, err) WHERE r.seq = v.seq`);
    }
    if (retry.length) {
      await tx.execute(sql`UPDATE mailing_recipients r SET status = 'queued', locked_until = NULL, last_error = v.err, next_attempt_at = now() + make_interval(secs => v.delay)
        FROM unnest(${arr(retry.map((x) => x.seq))}::bigint[], ${arr(retry.map((x) => x.error))}::text[], ${arr(retry.map((x) => x.delayS))}::int[]) AS v(seq, err, delay) WHERE r.seq = v.seq`);
    }
  });
}

/** A fresh chain id (pause/resume/reschedule). */
export const newChain = () => newId();
