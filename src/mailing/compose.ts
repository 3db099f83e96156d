/**
 * One list message for one recipient: their language (else English, else the first written),
 * the RFC 2369/8058 headers (List-Id, List-Unsubscribe with mailto and a per-recipient signed
 * https URL, List-Unsubscribe-Post), a VERP return path, and for member alerts the OpenPGP/MIME
 * form the TLP calls for (GREEN+: signed; AMBER+: encrypted to the recipient's key, or a notice
 * with a link when they have none).
 */
import crypto from 'node:crypto';
import { fill, toLocale, type Locale } from '../i18n/locales.ts';
import type { Tlp } from '../core/tlp.ts';
import { tlpLabel, tlpRank } from '../core/tlp.ts';
import { encryptedAlertNotice, listFooter, testPrefix } from './emails.ts';
import { encodeHeader, encryptedEntity, rawMessage, signedEntity, textEntity, type AlertSigner } from './pgp-mime.ts';
import type { PerLocale } from './schema.ts';
import { unsubscribeToken, verpToken } from './tokens.ts';

export type ComposeDeps = { publicUrl: string; domain: string; from: string; secret: Buffer; signer?: AlertSigner };
export type ComposeList = { id: string; slug: string; name: string; kind: string };
export type ComposeCampaign = { id: string; subject: PerLocale; body: PerLocale; tlp: Tlp };
export type ComposeRecipient = { seq: number; email: string; locale: string; key?: string | null };
export type Composed = { envelope: { from: string; to: string }; raw: string; variant: 'plain' | 'signed' | 'encrypted' | 'notice'; locale: Locale };

export function pickLocale(c: { subject: PerLocale; body: PerLocale }, wanted: string): Locale {
  const has = (l: Locale) => !!c.subject[l]?.trim() && !!c.body[l]?.trim();
  const w = toLocale(wanted);
  if (has(w)) return w;
  if (has('en')) return 'en';
  return (['es', 'pt', 'fr'] as const).find(has) ?? 'en';
}

export const unsubscribeUrl = (d: ComposeDeps, token: string) => `${d.publicUrl}/api/mailing/one-click?token=${token}`;

export async function composeListMessage(
  d: ComposeDeps, list: ComposeList, c: ComposeCampaign, r: ComposeRecipient, opts: { test?: boolean } = {},
): Promise<Composed> {
  const locale = pickLocale(c, r.locale);
  const token = unsubscribeToken(d.secret, list.id, r.email);
  const verp = verpToken(d.secret, r.seq);
  const vars = { list: list.name, unsubscribe: `${d.publicUrl}/lists/unsubscribe?token=${token}`, manage: `${d.publicUrl}/lists/preferences?token=${token}` };
  const footer = fill(listFooter[list.kind === 'public' ? 'public' : 'members'][locale], vars);
  const alert = list.kind !== 'public' && c.tlp !== 'clear';
  const tlpTag = alert ? `[${tlpLabel(c.tlp)}] ` : '';
  let subject = `${opts.test ? testPrefix[locale] : ''}${tlpTag}${c.subject[locale] ?? ''}`;
  let text = `${alert ? `${tlpLabel(c.tlp)}\n\n` : ''}${c.body[locale] ?? ''}\n\n${footer}`;
  let variant: Composed['variant'] = 'plain';
  let entity: string;
  if (alert && tlpRank(c.tlp) >= tlpRank('amber') && !r.key) {
    variant = 'notice';
    const v = { tlp: tlpLabel(c.tlp), list: list.name, link: `${d.publicUrl}/lists/archive/${c.id}` };
    subject = `${opts.test ? testPrefix[locale] : ''}${fill(encryptedAlertNotice.subject[locale], v)}`;
    text = `${fill(encryptedAlertNotice.text[locale], v)}\n${footer}`;
  }
  const inner = textEntity(text, locale);
  if (!alert) entity = inner;
  else {
    if (!d.signer) throw new Error('Member alerts need the platform OpenPGP key');
    if (variant !== 'notice' && tlpRank(c.tlp) >= tlpRank('amber')) {
      variant = 'encrypted';
      entity = await encryptedEntity(inner, [r.key!], d.signer);
    } else {
      if (variant !== 'notice') variant = 'signed';
      entity = await signedEntity(inner, d.signer);
    }
  }
  const headers: [string, string][] = [
    ['From', d.from],
    ['To', r.email],
    ['Subject', encodeHeader(subject)],
    ['Date', new Date().toUTCString().replace('GMT', '+0000')],
    ['Message-ID', `<${opts.test ? `test-${crypto.randomUUID()}` : `${c.id}.${r.seq}`}@${d.domain}>`],
    ['List-Id', `${encodeHeader(list.name.replace(/["\\]/g, ''))} <${list.slug}.${d.domain}>`],
    ['List-Unsubscribe', `<mailto:unsubscribe+${verp}@${d.domain}?subject=unsubscribe>,\r\n <${unsubscribeUrl(d, token)}>`],
    ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
    ['Precedence', 'list'],
  ];
  if (list.kind === 'public') headers.push(['List-Archive', `<${d.publicUrl}/lists/archive>`]);
  return { envelope: { from: `bounces+${verp}@${d.domain}`, to: r.email }, raw: rawMessage(headers, entity), variant, locale };
}
