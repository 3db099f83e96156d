/**
 * Server-sent emails in the recipient's language. Each module keeps its templates (all four
 * languages, checked by the type) beside its code in `emails.ts` and renders them with this.
 */
import { fill, toLocale, type Localized } from '../i18n/locales.ts';
import type { MailMessage } from './mailer.ts';

export type MailTemplate = { subject: Localized; text: Localized };

export function renderMail(
  tpl: MailTemplate,
  locale: string,
  vars: Record<string, string | number>,
  to: string,
  extra: Partial<MailMessage> = {},
): MailMessage {
  const l = toLocale(locale);
  return { to, subject: fill(tpl.subject[l], vars), text: fill(tpl.text[l], vars), headers: { 'Content-Language': l }, ...extra };
}
