/**
 * `npm run bench -- mailing [--recipients N] [--driver pglite|postgres|both] [--pg URL] [--concurrency N]`:
 * a campaign to N (default 100,000) confirmed subscribers of the public list, delivered end to end
 * by the real platform (outbox start event → recipient materialisation → rate-limited ticks →
 * pooled SMTP) to a local smtp-server sink (its own process) that accepts and counts each message. Reports
 * messages/s from "send" to the last 250, and the time to the first message, per database driver.
 * The PostgreSQL run uses a fresh database on the server (default postgres://postgres@127.0.0.1:5432/test).
 */
import { openBenchDatabase } from './bench-db.ts';
import os from 'node:os';
import path from 'node:path';
import { sql, eq } from 'drizzle-orm';
import pino from 'pino';
import { fork } from 'node:child_process';
import { loadConfig } from '../src/config.ts';
import { rows, type Database } from '../src/db/client.ts';
import { startPlatform } from '../src/platform.ts';
import { system } from '../src/core/actor.ts';
import { createList } from '../src/mailing/lists.command.ts';
import { createCampaign, sendCampaign } from '../src/mailing/campaigns.command.ts';
import { mailingCampaigns } from '../src/mailing/tables.ts';
import { ROOT } from '../test/harness.ts';

type Sink = { url: string; count(): Promise<number>; first: Promise<number>; done: Promise<number>; close(): Promise<void> };

/** The sink runs in its own process (bench/mailing-sink.ts); times are taken here when it reports. */
async function sinkProcess(expect: number): Promise<Sink> {
  const child = fork(path.join(ROOT, 'bench/mailing-sink.ts'), [String(expect)], { execArgv: ['--import', 'tsx'] });
  let onCount: ((n: number) => void) | undefined;
  let firstResolve!: (t: number) => void;
  let doneResolve!: (t: number) => void;
  const first = new Promise<number>((r) => (firstResolve = r));
  const done = new Promise<number>((r) => (doneResolve = r));
  const port = await new Promise<number>((resolve) => {
    child.on('message', (m: { type: string; port?: number; count?: number }) => {
      if (m.type === 'port') resolve(m.port!);
      if (m.type === 'first') firstResolve(performance.now());
      if (m.type === 'done') doneResolve(performance.now());
      if (m.type === 'count') onCount?.(m.count!);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`, first, done,
    count: () => new Promise<number>((r) => { onCount = r; child.send({ type: 'count' }); }),
    close: () => new Promise<void>((r) => { child.once('exit', () => r()); child.send({ type: 'close' }); }),
  };
}

async function seed(database: Database, n: number): Promise<string> {
  const meta = { actor: system('bench') };
  const list = await createList(database.db, meta, { slug: 'bench-news', name: 'Bench News', description: '', kind: 'public', topics: [] });
  const locales = `ARRAY['en','es','pt','fr']`;
  for (let from = 1; from <= n; from += 50_000) {
    const to = Math.min(n, from + 49_999);
    await database.db.execute(sql.raw(`INSERT INTO mailing_subscribers (id, list_id, email, locale, status, confirmed_at)
      SELECT gen_random_uuid(), '${list.id}', 'sub' || i || '@bench.example.org', (${locales})[1 + i % 4], 'confirmed', now()
        FROM generate_series(${from}, ${to}) AS i`));
  }
  const c = await createCampaign(database.db, meta, {
    listId: list.id, topic: null, tlp: 'clear', ratePerSecond: 100_000,
    subject: { en: 'Quarterly report', es: 'Informe trimestral', pt: 'Relatório trimestral', fr: 'Rapport trimestriel' },
    body: { en: 'The report is out.', es: 'El informe está publicado.', pt: 'O relatório foi publicado.', fr: 'Le rapport est publié.' },
  });
  return c.id;
}

async function run(driver: 'pglite' | 'postgres', n: number, concurrency: number, pgUrl: string) {
  const { database, dataDir, drop } = await openBenchDatabase(driver, 'mailing', pgUrl);
  const sink = await sinkProcess(n);
  const seedStart = performance.now();
  const campaignId = await seed(database, n);
  const seedMs = performance.now() - seedStart;
  const config = loadConfig({
    DATA_DIR: dataDir, LOG_LEVEL: 'silent', SMTP_URL: sink.url, OUTBOX_POLL_MS: '50', REQUIRE_2FA_ROLES: '',
    MAILING_RATE_PER_SECOND: '100000', MAILING_CONCURRENCY: String(concurrency), PUBLIC_URL: 'http://bench.example.org',
  }, { port: 0, host: '127.0.0.1' });
  const platform = await startPlatform(config, { database, logger: pino({ level: 'warn' }, pino.destination(2)) });
  const t0 = performance.now();
  await sendCampaign(database.db, { actor: system('bench') }, campaignId);
  let lastAt: number | undefined;
  void sink.done.then((t) => (lastAt = t));
  let status = '';
  while (status !== 'sent') {
    [{ status }] = (await database.db.select({ status: mailingCampaigns.status }).from(mailingCampaigns).where(eq(mailingCampaigns.id, campaignId))) as [{ status: string }];
    if (performance.now() - t0 > 30 * 60_000) throw new Error('bench: gave up after 30 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
  const firstAt = await sink.first;
  lastAt ??= performance.now(); // not every message was accepted: see recipientStatus
  const doneMs = performance.now() - t0;
  const counts = await rows<{ status: string; n: number }>(database.db, sql`SELECT status, count(*)::int AS n FROM mailing_recipients GROUP BY status`);
  const deliverMs = lastAt - t0;
  const accepted = await sink.count();
  await platform.stop();
  await sink.close();
  await drop();
  return {
    driver, recipients: n, concurrency, seedSeconds: +(seedMs / 1000).toFixed(1),
    firstMessageMs: Math.round(firstAt - t0), lastMessageSeconds: +(deliverMs / 1000).toFixed(1),
    messagesPerSecond: Math.round(n / (deliverMs / 1000)), campaignSentSeconds: +(doneMs / 1000).toFixed(1),
    accepted, recipientStatus: Object.fromEntries(counts.map((c) => [c.status, c.n])),
  };
}

export async function main(args: string[]) {
  const arg = (k: string, d: string) => { const i = args.indexOf(`--${k}`); return i >= 0 ? args[i + 1]! : d; };
  const n = Number(arg('recipients', '100000'));
  const driver = arg('driver', 'both');
  const concurrency = Number(arg('concurrency', '16'));
  const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
  console.log(`mailing bench: ${n} recipients, ${concurrency} SMTP connections; ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const d of driver === 'both' ? ['pglite', 'postgres'] as const : [driver as 'pglite' | 'postgres']) {
    const r = await run(d, n, concurrency, pgUrl);
    console.log(JSON.stringify(r));
  }
}
