/** Helpers shared by the mailing tests (not used by the platform). */
import { and, eq } from 'drizzle-orm';
import { newId } from '../core/ids.ts';
import type { DbOrTx } from '../db/client.ts';
import type { SinkMessage, SmtpSink } from '../../test/smtp.ts';
import { outboxEvents } from '../core/tables.ts';
import { mailingCampaigns, mailingSubscribers } from './tables.ts';

export async function mailsTo(sink: SmtpSink, email: string, n = 1, timeoutMs = 15_000): Promise<SinkMessage[]> {
  const deadline = Date.now() + timeoutMs;
  let got: SinkMessage[] = [];
  while ((got = sink.messages.filter((m) => m.envelope.to.includes(email))).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} mail(s) to ${email}, got ${got.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return got;
}

export async function untilStatus(db: DbOrTx, campaignId: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [c] = await db.select({ status: mailingCampaigns.status }).from(mailingCampaigns).where(eq(mailingCampaigns.id, campaignId));
    if (c?.status === status) return;
    if (Date.now() > deadline) throw new Error(`campaign ${campaignId} is ${c?.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Confirmed subscribers written directly (the opt-in flow itself is tested separately). */
export async function addConfirmed(db: DbOrTx, listId: string, people: { email: string; locale: string; topics?: string[] }[]) {
  await db.insert(mailingSubscribers).values(people.map((p) => ({
    id: newId(), listId, email: p.email, locale: p.locale, topics: p.topics ?? [], status: 'confirmed', confirmedAt: new Date(),
  })));
}

export async function subscriberStatus(db: DbOrTx, listId: string, email: string) {
  const [s] = await db.select({ status: mailingSubscribers.status }).from(mailingSubscribers).where(and(eq(mailingSubscribers.listId, listId), eq(mailingSubscribers.email, email)));
  return s?.status;
}

export const header = (m: SinkMessage, name: string) => m.email.headers.find((h) => h.key === name.toLowerCase())?.value;
export const uniq = (p: string) => `${p}-${newId().slice(0, 8)}@example.org`;

type OutboxHandler = (ev: { id: string; topic: string; payload: unknown; attempts: number }) => Promise<void>;

/** Runs the pending outbox events of one topic through a handler, as the worker would; returns how many. */
export async function runPending(db: DbOrTx, topic: string, handler: OutboxHandler): Promise<number> {
  const evs = await db.select().from(outboxEvents).where(and(eq(outboxEvents.topic, topic), eq(outboxEvents.status, 'pending')));
  for (const ev of evs) {
    await db.update(outboxEvents).set({ status: 'done' }).where(eq(outboxEvents.id, ev.id));
    await handler({ id: ev.id, topic, payload: ev.payload, attempts: 1 });
  }
  return evs.length;
}
