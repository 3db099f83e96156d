/**
 * Mail goes through the outbox: `queueMail(tx, message)` in the command's transaction, and the
 * 'mail.send' handler delivers it. Default: an .eml file per message under DATA_DIR/outbox/
 * (listed by an admin endpoint); with SMTP_URL, real SMTP. The outbox event id is the Message-ID,
 * so a retried delivery is recognisable as the same message.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { DbOrTx } from '../db/client.ts';
import { enqueue, type Handler } from '../core/outbox.ts';

export const MAIL_TOPIC = 'mail.send';

export type MailMessage = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  from?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  /** SMTP envelope sender (VERP return path for lists). */
  envelopeFrom?: string;
  attachments?: { filename: string; content: string; contentType?: string; encoding?: 'base64' | 'utf8' }[];
  /** Where the message came from, for the admin outbox view (never its content in logs). */
  tag?: string;
};

export const queueMail = (tx: DbOrTx, msg: MailMessage) => enqueue(tx, MAIL_TOPIC, msg);

export type MailSettings = { smtpUrl?: string; from: string; outboxDir: string; hostname: string };

export function createMailHandler(s: MailSettings): { handler: Handler; close(): void } {
  const transport = s.smtpUrl
    ? nodemailer.createTransport(s.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const handler: Handler = async (event) => {
    const m = event.payload as MailMessage;
    const info = await transport.sendMail({
      from: m.from ?? s.from,
      to: m.to,
      replyTo: m.replyTo,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: m.headers,
      messageId: `<${event.id}@${s.hostname}>`,
      envelope: m.envelopeFrom ? { from: m.envelopeFrom, to: m.to } : undefined,
      attachments: m.attachments,
    });
    if (!s.smtpUrl) {
      const raw = (info as unknown as { message: Buffer }).message;
      fs.mkdirSync(s.outboxDir, { recursive: true });
      const file = path.join(s.outboxDir, `${event.id}.eml`);
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, raw);
      fs.renameSync(tmp, file); // atomic: a retry overwrites the same file
    }
  };
  return { handler, close: () => transport.close() };
}

export type OutboxMail = { id: string; file: string; size: number; writtenAt: string; subject: string; to: string };

/** The local mail outbox (embedded mode), newest first. */
export function listOutboxMail(outboxDir: string, limit = 100): OutboxMail[] {
  if (!fs.existsSync(outboxDir)) return [];
  return fs.readdirSync(outboxDir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => {
      const full = path.join(outboxDir, f);
      const st = fs.statSync(full);
      const head = fs.readFileSync(full, 'utf8').slice(0, 8192).split('\n\n')[0] ?? '';
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
      return { id: f.replace(/\.eml$/, ''), file: f, size: st.size, writtenAt: st.mtime.toISOString(), subject: header('Subject'), to: header('To') };
    })
    .sort((a, b) => b.writtenAt.localeCompare(a.writtenAt))
    .slice(0, limit);
}

export function readOutboxMail(outboxDir: string, id: string): string | null {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const file = path.join(outboxDir, `${id}.eml`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}
