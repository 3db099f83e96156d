/**
 * Boots the whole platform in one process: database (embedded or server), migrations, HTTP edge,
 * event bus and outbox workers; and shuts it down in order.
 */
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { sealStoredSecrets, secretBoxMatches } from './crypto/seal-stored.ts';
import { secretBoxFor } from './crypto/secret-box.ts';
import { migrate } from './db/migrate.ts';
import { buildApp } from './http/app.ts';
import { EventBus } from './core/bus.ts';
import { OutboxWorker } from './core/outbox.ts';
import { createMailHandler, MAIL_TOPIC } from './mail/mailer.ts';
import { issueSetupLink } from './auth/setup.command.ts';

export type Platform = {
  app: FastifyInstance;
  database: Database;
  worker: OutboxWorker | undefined;
  bus: EventBus;
  url: string;
  setupUrl: string | null;
  stop(): Promise<void>;
};

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], remove: true },
  });
}

export async function startPlatform(config: Config, opts: { logger?: Logger; database?: Database; listen?: boolean } = {}): Promise<Platform> {
  const logger = opts.logger ?? createLogger(config);
  const database = opts.database ?? (config.databaseUrl ? await openDatabase({ url: config.databaseUrl }) : await openDatabase({ dataDir: config.dataDir, initInChild: true }));
  const state = { ready: false };
  try {
    const applied = await migrate(database);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const box = secretBoxFor(config);
    if (!(await secretBoxMatches(database.db, box))) {
      logger.error('This node\'s platform passphrase is not the one the database\'s secrets were sealed with: TOTP sign-in and feed '
        + 'pulls will fail here. Give every node the same PLATFORM_KEY_PASSPHRASE (or the same DATA_DIR/platform-key.passphrase).');
    } else {
      const sealed = await sealStoredSecrets(database.db, box);
      if (sealed) logger.info({ sealed }, 'secrets stored in plain text sealed');
    }
    const bus = new EventBus(database);
    await bus.start();
    const app = await buildApp({ database, config, logger, bus, state });

    let worker: OutboxWorker | undefined;
    const mail = createMailHandler({
      smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox'),
      hostname: new URL(config.publicUrl).hostname || os.hostname(),
    });
    if (config.workers) {
      worker = new OutboxWorker(database, {
        ...config.outbox,
        onError: (ev, err) => logger.warn({ eventId: ev.id, topic: ev.topic, err: (err as Error)?.message }, 'outbox delivery failed'),
      });
      worker.on(MAIL_TOPIC, mail.handler);
      await worker.start();
    }

    if (opts.listen !== false) await app.listen({ port: config.port, host: config.host });
    else await app.ready();
    state.ready = true;
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl.includes(`:${config.port}`) && port !== config.port
      ? config.publicUrl.replace(`:${config.port}`, `:${port}`)
      : config.publicUrl;
    const setupPath = await issueSetupLink(database.db);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        state.ready = false;
        await app.close(); // stops accepting, waits for in-flight requests
        await worker?.stop(); // finishes the batch in flight
        mail.close();
        await bus.stop();
        await database.close();
      })());
    return { app, database, worker, bus, url, setupUrl: setupPath ? `${url}${setupPath}` : null, stop };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
