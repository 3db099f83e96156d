/**
 * The mailing module's background parts, tied to the HTTP app's life cycle (onReady/onClose):
 * its own outbox worker for campaign topics (so a long campaign never delays password-reset mail on
 * the platform worker), the pooled SMTP sender, and the inbound SMTP endpoint for bounces.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { OutboxWorker } from '../core/outbox.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { platformKey } from '../crypto/platform-key.ts';
import { TEST_TOPIC } from './campaigns.command.ts';
import { composeListMessage } from './compose.ts';
import { createSender, START_TOPIC, startHandler, TICK_TOPIC, tickHandler, type DeliverySettings } from './delivery.ts';
import { startInboundSmtp, type Inbound } from './inbound.ts';
import type { PerLocale } from './schema.ts';
import { mailingCampaigns, mailingLists } from './tables.ts';
import { mailingSecret } from './tokens.ts';
import { eq } from 'drizzle-orm';
import type { Tlp } from '../core/tlp.ts';
import type { EventBus } from '../core/bus.ts';
import { announcePublication } from './announce.ts';

export type MailingRuntime = { inboundPort(): number | null; start(): Promise<void>; stop(): Promise<void> };

export function deliverySettings(database: Database, config: Config): DeliverySettings {
  return {
    smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), publicUrl: config.publicUrl,
    domain: config.mailing.domain, from: config.mailFrom, ratePerSecond: config.mailing.ratePerSecond,
    concurrency: config.mailing.concurrency, maxAttempts: config.mailing.maxAttempts, retryBaseSeconds: config.mailing.retryBaseSeconds,
    signer: () => platformKey(database.db, config),
  };
}

export function createMailingRuntime(database: Database, config: Config, logger: Logger, bus: EventBus): MailingRuntime {
  let worker: OutboxWorker | undefined;
  const unsubscribe: (() => void)[] = [];
  let inbound: Inbound | undefined;
  const s = deliverySettings(database, config);
  const sender = createSender(s);
  return {
    inboundPort: () => inbound?.port ?? null,
    async start() {
      if (config.workers) {
        worker = new OutboxWorker(database, {
          ...config.outbox, batch: 4,
          onError: (ev, err) => logger.warn({ eventId: ev.id, topic: ev.topic, err: (err as Error)?.message }, 'mailing delivery failed'),
        });
        worker.on(START_TOPIC, startHandler(database));
        worker.on(TICK_TOPIC, tickHandler(database, s, sender));
        worker.on(TEST_TOPIC, async (ev) => {
          const { campaignId, email, locale } = ev.payload as { campaignId: string; email: string; locale: string };
          const [c] = await database.db.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, campaignId));
          if (!c) return;
          const [list] = await database.db.select().from(mailingLists).where(eq(mailingLists.id, c.listId));
          const alert = list!.kind !== 'public' && c.tlp !== 'clear';
          const m = await composeListMessage(
            { publicUrl: s.publicUrl, domain: s.domain, from: s.from, secret: await mailingSecret(database.db), signer: alert ? await s.signer() : undefined },
            list!, { id: c.id, subject: c.subject as PerLocale, body: c.body as PerLocale, tlp: c.tlp as Tlp }, { seq: 0, email, locale }, { test: true });
          await sender.send(m);
        });
        await worker.start();
        if (config.mailing.autoAnnounceList) {
          for (const [topic, kind] of [['advisory.published', 'advisory'], ['publication.published', 'publication']] as const) {
            unsubscribe.push(bus.subscribe(topic, (msg) => {
              announcePublication(database, { publicUrl: config.publicUrl, listSlug: config.mailing.autoAnnounceList }, { kind, id: msg.id })
                .then((id) => id && logger.info({ campaignId: id, [kind]: msg.id }, 'automatic announcement sent'))
                .catch((err) => logger.warn({ err: (err as Error).message, [kind]: msg.id }, 'automatic announcement failed'));
            }));
          }
        }
      }
      if (config.mailing.inboundSmtpPort !== undefined) {
        inbound = await startInboundSmtp(database, {
          port: config.mailing.inboundSmtpPort, host: config.mailing.inboundSmtpHost, domain: config.mailing.domain,
          softBounceLimit: config.mailing.softBounceLimit, softBounceWindowDays: config.mailing.softBounceWindowDays,
        }, logger);
      }
    },
    async stop() {
      unsubscribe.forEach((u) => u());
      await inbound?.close();
      await worker?.stop();
      sender.close();
    },
  };
}
