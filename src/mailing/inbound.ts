/**
 * The inbound SMTP endpoint (smtp-server on INBOUND_SMTP_PORT, off by default): accepts mail only
 * for `bounces+<verp>@<domain>` (DSNs → bounces.ts) and `unsubscribe+<verp>@<domain>` (the mailto
 * form of List-Unsubscribe); anything else is refused at RCPT TO.
 */
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { system } from '../core/actor.ts';
import type { Database } from '../db/client.ts';
import { handleDsn, type BounceRules } from './bounces.ts';
import { unsubscribeByToken } from './subscriptions.command.ts';
import { mailingCampaigns, mailingRecipients } from './tables.ts';
import { mailingSecret, readVerpToken, unsubscribeToken } from './tokens.ts';

export type InboundSettings = BounceRules & { port: number; host: string; domain: string };
export type Inbound = { port: number; close(): Promise<void> };

const ADDRESS = /^(bounces|unsubscribe)\+([0-9a-z]+-[0-9a-f]{12})@(.+)$/i;

export async function startInboundSmtp(database: Database, s: InboundSettings, logger: Logger): Promise<Inbound> {
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 2 * 1024 * 1024,
    logger: false,
    banner: 'Hemisphere list bounces',
    onRcptTo(address, _session, cb) {
      const m = ADDRESS.exec(address.address);
      if (!m || m[3]!.toLowerCase() !== s.domain.toLowerCase()) return cb(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', cb);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void (async () => {
          for (const r of session.envelope.rcptTo) {
            const m = ADDRESS.exec(r.address)!;
            if (m[1]!.toLowerCase() === 'bounces') {
              const res = await handleDsn(database, s, m[2]!, raw);
              logger.info({ bounces: res.length, suppressed: res.filter((x) => x.suppressed).length }, 'inbound DSN');
            } else {
              await unsubscribeByMailto(database, m[2]!);
            }
          }
        })().then(() => cb(null, 'Accepted'), (err) => {
          logger.warn({ err: (err as Error).message }, 'inbound mail failed');
          cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        });
      });
    },
  });
  server.on('error', (err) => logger.warn({ err: err.message }, 'inbound SMTP error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(s.port, s.host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : s.port;
  logger.info({ port }, 'inbound SMTP for list bounces listening');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function unsubscribeByMailto(database: Database, verp: string) {
  const db = database.db;
  const secret = await mailingSecret(db);
  const seq = readVerpToken(secret, verp);
  if (!seq) return;
  const [r] = await db.select({ email: mailingRecipients.email, listId: mailingCampaigns.listId }).from(mailingRecipients)
    .innerJoin(mailingCampaigns, eq(mailingCampaigns.id, mailingRecipients.campaignId)).where(eq(mailingRecipients.seq, seq));
  if (!r) return;
  await unsubscribeByToken(db, { actor: system('mailing.mailto') }, unsubscribeToken(secret, r.listId, r.email), 'mailto');
}
