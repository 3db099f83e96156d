/**
 * Demo data of real-time messaging (fictional): a network-wide channel, a channel of a demo
 * sharing group (energy sector) and a bilateral channel between two CSIRTs, with messages in four
 * languages at various TLP — a thread, a TLP:RED message to one named person, an urgent one.
 * Written the way the platform writes them (server-rendered Markdown, per-language search vector,
 * seq and delivery-log position under the event lock), with fixed ids and ON CONFLICT DO NOTHING:
 * a second load adds nothing (no event either).
 */
import { sql } from 'drizzle-orm';
import { sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import type { Tlp } from '../core/tlp.ts';
import type { Scope } from '../core/visibility.ts';
import type { Tx } from '../db/client.ts';
import { appendEvent, lockEventOrder, nextMessageSeq } from '../messaging/events.ts';
import { renderMarkdown } from '../messaging/markdown.ts';
import { tsConfigOf } from '../messaging/messages.command.ts';
import { channelMembers, channels, messages } from '../messaging/tables.ts';
import { demoId } from './data.ts';

const u = (key: string) => demoId(`user:${key}`);

type DemoChannel = {
  key: string; kind: 'network' | 'group' | 'bilateral'; name: string; topic: string; defaultTlp: Exclude<Tlp, 'red'>;
  owner: string; ownerOrg: string; scope: Scope; orgs?: string[]; group?: string; members: string[];
};
type DemoMessage = {
  key: string; channel: string; author: string; authorOrg: string; lang: 'en' | 'es' | 'pt' | 'fr'; tlp: Tlp; body: string;
  replyTo?: string; recipients?: string[]; urgent?: boolean; minutesAgo: number;
};

export const DEMO_SHARING_GROUP = { key: 'group:energy', name: 'Energy sector trust group (demo)', orgs: ['sec-energy', 'csirt-CL', 'csirt-CO', 'st-grid'] };

export const DEMO_CHANNELS: DemoChannel[] = [
  {
    key: 'channel:ransomware-watch', kind: 'network', name: 'ransomware-watch', topic: 'Ransomware campaigns seen across the region (demo)', defaultTlp: 'green',
    owner: 'coordinator', ownerOrg: 'hub', scope: 'network', members: ['coordinator', 'admin-co', 'admin-br', 'admin-mx', 'analyst-jm', 'analyst-ht'],
  },
  {
    key: 'channel:energy', kind: 'group', name: 'energy-sector', topic: 'Grid operators and their CSIRTs (demo)', defaultTlp: 'amber',
    owner: 'energy', ownerOrg: 'sec-energy', scope: 'group', group: DEMO_SHARING_GROUP.key, members: ['energy', 'admin-cl', 'admin-co'],
  },
  {
    key: 'channel:jm-ht', kind: 'bilateral', name: 'jamaica-haiti', topic: 'Bilateral coordination, CSIRT of Jamaica and CSIRT of Haiti (demo)', defaultTlp: 'amber',
    owner: 'analyst-jm', ownerOrg: 'csirt-JM', scope: 'orgs', orgs: ['csirt-JM', 'csirt-HT'], members: ['analyst-jm', 'analyst-ht', 'admin-ht'],
  },
];

export const DEMO_MESSAGES: DemoMessage[] = [
  { key: 'msg:rw-1', channel: 'channel:ransomware-watch', author: 'coordinator', authorOrg: 'hub', lang: 'es', tlp: 'green', minutesAgo: 180,
    body: 'Vemos una **ola de ransomware** contra hospitales de la región. Compartan indicadores aquí (todo es ficticio: 203.0.113.0/24).' },
  { key: 'msg:rw-2', channel: 'channel:ransomware-watch', author: 'admin-br', authorOrg: 'csirt-BR', lang: 'pt', tlp: 'green', minutesAgo: 170, replyTo: 'msg:rw-1',
    body: 'Confirmado no Brasil: dois hospitais afetados, nota de resgate idêntica. Domínio de pagamento `pay.ransom.example`.' },
  { key: 'msg:rw-3', channel: 'channel:ransomware-watch', author: 'admin-co', authorOrg: 'csirt-CO', lang: 'es', tlp: 'amber', minutesAgo: 150, urgent: true,
    body: 'TLP:AMBER — el acceso inicial fue una VPN sin parche. Servidor de mando: 198.51.100.23 (ficticio). Revisen sus registros de las últimas 72 horas.' },
  { key: 'msg:rw-4', channel: 'channel:ransomware-watch', author: 'analyst-jm', authorOrg: 'csirt-JM', lang: 'en', tlp: 'clear', minutesAgo: 60,
    body: 'Public guidance for hospitals is ready: see the [demo advisory](https://hub.example.org/advisories) — feel free to share it.' },
  { key: 'msg:en-1', channel: 'channel:energy', author: 'energy', authorOrg: 'sec-energy', lang: 'es', tlp: 'amber', minutesAgo: 120,
    body: 'Escaneo dirigido a interfaces HMI expuestas (puerto 502) desde 192.0.2.77 (ficticio). ¿Alguien más lo observa?' },
  { key: 'msg:en-2', channel: 'channel:energy', author: 'admin-cl', authorOrg: 'csirt-CL', lang: 'es', tlp: 'amber', minutesAgo: 110, replyTo: 'msg:en-1',
    body: 'Sí, en dos operadores chilenos desde ayer. Bloqueado en el perímetro.' },
  { key: 'msg:jh-1', channel: 'channel:jm-ht', author: 'analyst-jm', authorOrg: 'csirt-JM', lang: 'en', tlp: 'amber', minutesAgo: 90,
    body: 'We received a phishing kit targeting a bank operating in both countries. Sample attached to our ticket JM-2025-042 (demo).' },
  { key: 'msg:jh-2', channel: 'channel:jm-ht', author: 'analyst-ht', authorOrg: 'csirt-HT', lang: 'fr', tlp: 'amber', minutesAgo: 80,
    body: 'Merci ! Nous voyons le même kit côté Haïti, hébergé sur `login-banque.example.net`. Nous prévenons la banque.' },
  { key: 'msg:jh-3', channel: 'channel:jm-ht', author: 'analyst-jm', authorOrg: 'csirt-JM', lang: 'en', tlp: 'red', minutesAgo: 70, recipients: ['admin-ht'],
    body: 'For your team lead only: the name of the affected customer is in our case file; call me on the 24/7 line.' },
];

export async function loadMessagingDemo(tx: Tx, inserted: Record<string, number>) {
  inserted.channels = 0;
  inserted.messages = 0;
  const g = demoId(DEMO_SHARING_GROUP.key);
  await tx.insert(sharingGroups).values({ id: g, name: DEMO_SHARING_GROUP.name, description: 'Fictional trust group of the demo network.', ownerOrgId: demoId('sec-energy') })
    .onConflictDoNothing();
  for (const o of DEMO_SHARING_GROUP.orgs) await tx.insert(sharingGroupMembers).values({ groupId: g, orgId: demoId(o) }).onConflictDoNothing();

  const byKey = new Map(DEMO_CHANNELS.map((c) => [c.key, c]));
  for (const c of DEMO_CHANNELS) {
    const id = demoId(c.key);
    const r = await tx.insert(channels).values({
      id, kind: c.kind, name: c.name, topic: c.topic, access: 'open', defaultTlp: c.defaultTlp,
      tlp: c.defaultTlp, scope: c.scope, ownerOrgId: demoId(c.ownerOrg), createdBy: u(c.owner),
      scopeOrgIds: (c.orgs ?? []).map(demoId), sharingGroupId: c.group ? demoId(c.group) : null, recipientUserIds: [],
    }).onConflictDoNothing().returning({ id: channels.id });
    inserted.channels += r.length;
    for (const m of c.members) {
      await tx.insert(channelMembers).values({ channelId: id, userId: u(m), role: m === c.owner ? 'owner' : 'member' }).onConflictDoNothing();
    }
  }
  for (const m of DEMO_MESSAGES) {
    const id = demoId(m.key);
    const [exists] = await tx.select({ id: messages.id }).from(messages).where(sql`${messages.id} = ${id}::uuid`);
    if (exists) continue;
    const c = byKey.get(m.channel)!;
    await lockEventOrder(tx);
    const seq = await nextMessageSeq(tx);
    const at = new Date(Date.now() - m.minutesAgo * 60_000);
    const root = m.replyTo ? demoId(m.replyTo) : null;
    await tx.insert(messages).values({
      id, seq, channelId: demoId(c.key), threadRootId: root, replyToId: root, authorId: u(m.author), authorOrgId: demoId(m.authorOrg),
      body: m.body, html: renderMarkdown(m.body), lang: m.lang, searchVector: sql`to_tsvector(${tsConfigOf(m.lang)}::regconfig, ${m.body})`,
      urgentAt: m.urgent ? at : null, urgentBy: m.urgent ? u(m.author) : null, createdAt: at,
      tlp: m.tlp, scope: c.scope, ownerOrgId: demoId(c.ownerOrg), createdBy: u(m.author), scopeOrgIds: (c.orgs ?? []).map(demoId),
      sharingGroupId: c.group ? demoId(c.group) : null, recipientUserIds: (m.recipients ?? []).map(u),
    });
    await appendEvent(tx, id, demoId(c.key), 'created');
    inserted.messages++;
  }
}
