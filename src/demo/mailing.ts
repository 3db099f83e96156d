/**
 * Demo data of the mailing lists (fictional): the public announcement list with a few confirmed
 * subscribers in each language, member lists built from the directory (national CSIRT leads, the
 * whole network), one sent announcement in the archive and one draft. Fixed ids, ON CONFLICT DO NOTHING.
 */
import { markingFor } from '../mailing/audience.ts';
import { mailingCampaigns, mailingLists, mailingSubscribers } from '../mailing/tables.ts';
import type { Tx } from '../db/client.ts';
import { demoId } from './data.ts';

const LISTS = [
  { key: 'list:announcements', slug: 'announcements', kind: 'public', name: 'Hemisphere announcements', description: 'News of the network: events, trainings and new reports (demo).', audience: null, topics: ['events', 'reports'] },
  { key: 'list:csirt-leads', slug: 'csirt-leads', kind: 'members', name: 'National CSIRT leads', description: 'Heads of the national CSIRTs (demo).', audience: { type: 'national_csirt_leads' }, topics: [] },
  { key: 'list:network', slug: 'network', kind: 'members', name: 'Whole network', description: 'Every member of the trusted network (demo).', audience: { type: 'network_members' }, topics: [] },
] as const;

const SUBSCRIBERS = [['ana', 'es'], ['bruno', 'pt'], ['chloe', 'fr'], ['dave', 'en']] as const;

export async function loadMailingDemo(tx: Tx, inserted: Record<string, number>) {
  inserted.mailingLists = 0;
  inserted.mailingSubscribers = 0;
  inserted.mailingCampaigns = 0;
  for (const l of LISTS) {
    const r = await tx.insert(mailingLists).values({ id: demoId(l.key), slug: l.slug, kind: l.kind, name: l.name, description: l.description, audience: l.audience, topics: [...l.topics] })
      .onConflictDoNothing().returning({ id: mailingLists.id });
    inserted.mailingLists += r.length;
  }
  const listId = demoId('list:announcements');
  for (const [name, locale] of SUBSCRIBERS) {
    const r = await tx.insert(mailingSubscribers).values({ id: demoId(`subscriber:${name}`), listId, email: `${name}@subscriber.example.net`, locale, status: 'confirmed', confirmedAt: new Date() })
      .onConflictDoNothing().returning({ id: mailingSubscribers.id });
    inserted.mailingSubscribers += r.length;
  }
  const marking = markingFor({ id: listId, kind: 'public', audience: null }, 'clear', demoId('user:coordinator'), demoId('hub'));
  const sentAt = new Date('2025-03-01T14:00:00Z');
  const campaigns = [
    {
      id: demoId('campaign:workshop'), status: 'sent', startedAt: sentAt, finishedAt: sentAt, recipientCount: 0,
      subject: { en: 'Regional incident response workshop (demo)', es: 'Taller regional de respuesta a incidentes (demo)', pt: 'Oficina regional de resposta a incidentes (demo)', fr: 'Atelier régional de réponse aux incidents (démo)' },
      body: {
        en: 'Registrations are open for the regional workshop. This announcement is fictional demo data.',
        es: 'Las inscripciones para el taller regional están abiertas. Este anuncio es un dato de demostración ficticio.',
        pt: 'As inscrições para a oficina regional estão abertas. Este anúncio é um dado de demonstração fictício.',
        fr: 'Les inscriptions à l’atelier régional sont ouvertes. Cette annonce est une donnée de démonstration fictive.',
      },
    },
    {
      id: demoId('campaign:report-draft'), status: 'draft', startedAt: null, finishedAt: null, recipientCount: null,
      subject: { en: 'New report: state of incident response (demo)', es: 'Nuevo informe: estado de la respuesta a incidentes (demo)' },
      body: { en: 'Draft announcement of the yearly report (demo).', es: 'Borrador del anuncio del informe anual (demo).' },
    },
  ];
  for (const c of campaigns) {
    const r = await tx.insert(mailingCampaigns).values({ ...c, listId, topic: null, ...marking }).onConflictDoNothing().returning({ id: mailingCampaigns.id });
    inserted.mailingCampaigns += r.length;
  }
}
