/**
 * Bounce handling: delivery status notifications (RFC 3464 multipart/report) parsed with
 * postal-mime, matched to the campaign recipient by the signed VERP token of the address they were
 * sent to — never by the DSN's Final-Recipient, which anyone can write. Rules: 5.x.x (Action:
 * failed) is hard → the address is suppressed at once; 4.x.x (or Action: delayed) is soft → suppressed after N soft bounces within
 * the window. Every list send skips suppressed addresses.
 */
import { eq, sql } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { newId } from '../core/ids.ts';
import { rows, type Database } from '../db/client.ts';
import { mailingBounces, mailingRecipients, mailingSuppressions } from './tables.ts';
import { mailingSecret, normEmail, readVerpToken } from './tokens.ts';

export type DsnRecipient = { finalRecipient: string | null; action: string; status: string; diagnostic: string };
export type BounceRules = { softBounceLimit: number; softBounceWindowDays: number };

function fieldGroups(text: string): Record<string, string>[] {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  return unfolded.split(/\n\s*\n/).map((block) => {
    const out: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
      if (m) out[m[1]!.toLowerCase()] = m[2]!.trim();
    }
    return out;
  }).filter((g) => Object.keys(g).length > 0);
}

/** The per-recipient fields of a DSN, or [] when the message is not one. */
export async function parseDsn(raw: Buffer | string): Promise<DsnRecipient[]> {
  const email = await PostalMime.parse(raw);
  const part = email.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.mimeType));
  if (!part) return [];
  const text = typeof part.content === 'string' ? part.content : Buffer.from(part.content as ArrayBuffer).toString('utf8');
  return fieldGroups(text)
    .filter((g) => g['status'] && (g['final-recipient'] || g['original-recipient'] || g['action']))
    .map((g) => ({
      finalRecipient: (g['final-recipient'] ?? g['original-recipient'] ?? '').replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '') || null,
      action: (g['action'] ?? '').toLowerCase(),
      status: (/\d\.\d{1,3}\.\d{1,3}/.exec(g['status']!) ?? [''])[0],
      diagnostic: (g['diagnostic-code'] ?? '').slice(0, 1000),
    }));
}

export const bounceKind = (r: DsnRecipient): 'hard' | 'soft' | null => {
  if (['delivered', 'relayed', 'expanded'].includes(r.action)) return null;
  if (r.status.startsWith('5.') && r.action !== 'delayed') return 'hard';
  if (r.status.startsWith('4.') || r.action === 'delayed') return 'soft';
  return null;
};

/** Apply one inbound DSN that arrived for `bounces+<verp>@…`. Returns what was recorded. */
export async function handleDsn(database: Database, rules: BounceRules, verp: string | null, raw: Buffer) {
  const db = database.db;
  const secret = await mailingSecret(db);
  const seq = verp ? readVerpToken(secret, verp) : null;
  const [rcpt] = seq ? await db.select().from(mailingRecipients).where(eq(mailingRecipients.seq, seq)) : [];
  const results: { email: string; kind: 'hard' | 'soft'; status: string; suppressed: boolean }[] = [];
  // Only a bounce of a message we sent counts, and only for the address that message went to: the
  // signed VERP token names it. A DSN without one (or naming another address in Final-Recipient)
  // could come from anyone and would let them stop any address from receiving the lists.
  if (!rcpt) return results;
  for (const r of await parseDsn(raw)) {
    const kind = bounceKind(r);
    const email = normEmail(rcpt.email);
    if (!kind || !email) continue;
    await db.transaction(async (tx) => {
      await tx.insert(mailingBounces).values({ id: newId(), email, kind, status: r.status, diagnostic: r.diagnostic, campaignId: rcpt.campaignId, recipientSeq: rcpt.seq });
      if (kind === 'hard') await tx.update(mailingRecipients).set({ status: 'bounced', lastError: `${r.status} ${r.diagnostic}`.slice(0, 500) }).where(eq(mailingRecipients.seq, rcpt.seq));
      let suppress = kind === 'hard';
      if (kind === 'soft') {
        const [n] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM mailing_bounces WHERE lower(email) = ${email} AND kind = 'soft'
          AND received_at > now() - make_interval(days => ${rules.softBounceWindowDays})`);
        suppress = (n?.n ?? 0) >= rules.softBounceLimit;
      }
      let suppressed = false;
      if (suppress) {
        const ins = await tx.insert(mailingSuppressions).values({ email, reason: kind === 'hard' ? 'hard_bounce' : 'soft_bounce', detail: `${r.status} ${r.diagnostic}`.slice(0, 500) }).onConflictDoNothing().returning();
        suppressed = true;
        if (ins.length) await appendAudit(tx, { actor: system('mailing.bounces') }, { action: 'mailing.suppress', targetType: 'mailing_suppression', targetId: email, after: { reason: ins[0]!.reason, status: r.status, campaignId: rcpt.campaignId } });
      }
      results.push({ email, kind, status: r.status, suppressed });
    });
  }
  return results;
}
