/** Test-only: wait for the real SMTP sink to receive a message for an address. */
import type { SmtpSink } from '../../../test/smtp.ts';

export async function mailTo(sink: SmtpSink, address: string, pred: (subject: string) => boolean = () => true, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = sink.messages.find((x) => x.envelope.to.map((t) => t.toLowerCase()).includes(address.toLowerCase()) && pred(x.email.subject ?? ''));
    if (m) return m.email;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms (got ${sink.messages.length})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
