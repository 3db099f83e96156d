/** Messaging API types, taken from the server's own query functions (type-only imports). */
import type { Jsonified } from '../../api-types.ts';
import type { listChannels, MessageDto } from '../../../../src/messaging/messages.query.ts';
import type { CHANNEL_KINDS } from '../../../../src/messaging/channels.command.ts';
import type { DIGEST_FREQUENCIES } from '../../../../src/messaging/digest.job.ts';

export type Channel = Jsonified<Awaited<ReturnType<typeof listChannels>>[number]>;
export type Message = MessageDto & { replyCount?: number; channelName?: string };
export type HistoryPage = { items: Message[]; nextBefore: number | null };
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
export type Prefs = { digest: DigestFrequency; lastDigestAt: string | null };
export type Member = { userId: string; role: string; displayName: string; joinedAt: string };
export type Attachment = MessageDto['attachments'][number];

export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];
export const tlpRank = (t: string) => TLPS.indexOf(t as Tlp);
export const tlpLabel = (t: string) => `TLP:${t.toUpperCase()}`;

/** TLP colours on white/dark backgrounds with enough contrast (FIRST TLP 2.0 colours, darkened for text). */
export const TLP_CLASS: Record<string, string> = {
  clear: 'border-slate-500 bg-white text-slate-900',
  green: 'border-green-800 bg-green-50 text-green-900',
  amber: 'border-amber-700 bg-amber-50 text-amber-900',
  'amber+strict': 'border-amber-800 bg-amber-100 text-amber-950',
  red: 'border-red-800 bg-red-50 text-red-900',
};
