/**
 * A real SMTP peer for tests: `smtp-server` on a random 127.0.0.1 port (no TLS, AUTH optional),
 * every accepted message parsed with postal-mime. A message counts as accepted only when the sink
 * actually answered 250 to a still-connected client; `holdData` lets a test delay that answer
 * (e.g. to kill the sending process while the sink holds DATA).
 */
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import PostalMime, { type Email } from 'postal-mime';

export type SinkMessage = {
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
  email: Email;
  /** The Message-ID header, as sent (with angle brackets). */
  messageId: string | undefined;
};

export type SmtpSinkOptions = {
  /**
   * Called once the whole DATA of a message was received, before answering. `index` counts DATA
   * commands from 0. Return milliseconds to hold the answer (0/undefined: answer at once).
   */
  holdData?: (index: number, session: SMTPServerSession) => number | undefined;
  /** Answer DATA with this error instead of 250 (message not accepted). */
  rejectData?: (index: number) => string | undefined;
};

export type SmtpSink = {
  url: string;
  port: number;
  /** Messages answered with 250. */
  messages: SinkMessage[];
  /** How many DATA transfers reached the sink (accepted or not). */
  readonly dataReceived: number;
  waitFor(n: number, timeoutMs?: number): Promise<SinkMessage[]>;
  waitForData(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`SMTP sink: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const closedSessions = new Set<string>();
  let dataReceived = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, cb) {
      cb(null, { user: 'test' });
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => cb(err));
      stream.on('end', () => {
        const index = dataReceived++;
        const raw = Buffer.concat(chunks);
        const hold = opts.holdData?.(index, session) ?? 0;
        setTimeout(() => {
          void (async () => {
            const rejection = opts.rejectData?.(index);
            if (rejection) return cb(Object.assign(new Error(rejection), { responseCode: 451 }));
            // The client went away while we held the answer: it never saw a 250, nothing was accepted.
            if (closedSessions.has(session.id)) return cb(new Error('client gone'));
            try {
              const email = await PostalMime.parse(raw);
              messages.push({
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                  to: session.envelope.rcptTo.map((r) => r.address),
                },
                raw,
                email,
                messageId: email.messageId,
              });
              cb(null, 'Queued');
            } catch (err) {
              cb(err as Error);
            }
          })();
        }, hold);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {
    /* a client vanishing mid-session is expected in some tests */
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get dataReceived() {
      return dataReceived;
    },
    async waitFor(n, timeoutMs = 120_000) {
      await until(() => messages.length >= n, timeoutMs, `${n} accepted message(s), have ${messages.length}`);
      return messages;
    },
    async waitForData(n, timeoutMs = 120_000) {
      await until(() => dataReceived >= n, timeoutMs, `${n} DATA transfer(s)`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
