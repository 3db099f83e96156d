/**
 * Demo advisories and publications (all fictional: vendors, products and CVE ids in the year 2099).
 * Written by the demo coordinator through the real commands (create, translate, submit, publish), so
 * that revisions, CSAF files, hashes and signatures are what the platform would make. Idempotent by
 * natural key: an advisory is found by its tracking id and only the steps it still lacks are done;
 * a publication by its slug and language. Publishing needs the platform key and public URL
 * (`publish` option); without it the advisories meant to be published stop in review.
 */
import { and, eq } from 'drizzle-orm';
import type { AuditMeta } from '../core/audit.ts';
import type { Db } from '../db/client.ts';
import type { BlobStore } from '../blobs/store.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import { createAdvisory, saveText } from '../advisories/advisories.command.ts';
import type { CreateAdvisoryInput, TextInput } from '../advisories/schema.ts';
import { advisories, advisoryTexts } from '../advisories/tables.ts';
import { publishAdvisory, submitForReview, type PublishDeps } from '../advisories/workflow.command.ts';
import { createPublication, type CreatePublicationInput } from '../reports/publications.command.ts';
import { publications } from '../reports/tables.ts';
import type { Locale } from '../i18n/locales.ts';
import { demoId } from './data.ts';

type DemoAdvisory = { target: 'review' | 'published'; input: CreateAdvisoryInput & { trackingId: string }; translations: Partial<Record<Locale, TextInput>> };

const gridlink = {
  vulnerabilities: [
    { cve: 'CVE-2099-10001', title: 'Authentication bypass in the GridLink RTU web console (fictional)', cwe: 'CWE-287', cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    { cve: 'CVE-2099-10002', title: 'Stored cross-site scripting in the event log (fictional)', cwe: 'CWE-79', cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N' },
  ],
  affected: [{ vendor: 'Example Industrial (fictional)', product: 'GridLink RTU', versions: ['4.0', '4.1', '4.2.0'], fixedIn: ['4.2.1'] }],
  references: [{ url: 'https://vendor.example.com/security/EI-2099-01', summary: 'Vendor bulletin (fictional)' }],
};

export const DEMO_ADVISORIES: DemoAdvisory[] = [
  {
    target: 'published',
    input: {
      trackingId: 'DEMO-2099-0001', sourceLang: 'en', ownerOrgId: demoId('hub'), audience: 'Operators of GridLink RTU in electricity distribution', ...gridlink,
      marking: { tlp: 'clear', scope: 'public', scopeOrgIds: [], sharingGroupId: null, recipientUserIds: [] },
      text: {
        title: 'Critical vulnerabilities in GridLink RTU (demo)',
        summary: 'An unauthenticated attacker on the network can take control of GridLink RTU remote terminal units. This advisory is fictional.',
        body: '## Details\n\nThe web console of **GridLink RTU** accepts a crafted session cookie without checking it (CVE-2099-10001), and stores event log entries without encoding them (CVE-2099-10002).\n\n## Exposure\n\nUnits whose console is reachable from outside the substation network are at risk.',
        remediation: '- Update to firmware **4.2.1**.\n- Until then, restrict the console to the management network.',
      },
    },
    translations: {
      es: {
        title: 'Vulnerabilidades críticas en GridLink RTU (demo)',
        summary: 'Un atacante no autenticado en la red puede tomar el control de las unidades terminales remotas GridLink RTU. Este aviso es ficticio.',
        body: '## Detalles\n\nLa consola web de **GridLink RTU** acepta una cookie de sesión manipulada sin verificarla (CVE-2099-10001) y guarda las entradas del registro de eventos sin codificarlas (CVE-2099-10002).\n\n## Exposición\n\nEstán en riesgo las unidades cuya consola es accesible desde fuera de la red de la subestación.',
        remediation: '- Actualice al firmware **4.2.1**.\n- Mientras tanto, limite la consola a la red de gestión.',
      },
    },
  },
  {
    target: 'published',
    input: {
      trackingId: 'DEMO-2099-0002', sourceLang: 'en', ownerOrgId: demoId('hub'), audience: 'Network members operating Example Mail Gateway',
      vulnerabilities: [{ cve: 'CVE-2099-20001', title: 'Command injection in the quarantine export (fictional)', cwe: 'CWE-78', cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ vendor: 'Example Mail Systems (fictional)', product: 'Example Mail Gateway', versions: ['7.x'], fixedIn: [] }],
      references: [],
      marking: { tlp: 'green', scope: 'network', scopeOrgIds: [], sharingGroupId: null, recipientUserIds: [] },
      text: {
        title: 'Active exploitation of Example Mail Gateway seen in the region (demo)',
        summary: 'Members report exploitation of a command injection in Example Mail Gateway 7.x. No fix yet. For network members only (fictional).',
        body: 'Indicators are shared in the intelligence store. Look for unexpected archive exports in the quarantine logs.',
        remediation: 'Disable the quarantine export feature until the vendor publishes a fix.',
      },
    },
    translations: {},
  },
  {
    target: 'review',
    input: {
      trackingId: 'DEMO-2099-0003', sourceLang: 'es', ownerOrgId: demoId('hub'), audience: 'Bancos y entidades financieras',
      vulnerabilities: [{ cve: 'CVE-2099-30001', title: 'Path traversal in the statement downloader (fictional)', cwe: 'CWE-22', cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
      affected: [{ vendor: 'Example Banking (fictional)', product: 'Online Statements', versions: ['< 3.5'], fixedIn: ['3.5'] }],
      references: [],
      marking: { tlp: 'clear', scope: 'public', scopeOrgIds: [], sharingGroupId: null, recipientUserIds: [] },
      text: {
        title: 'Lectura de archivos arbitrarios en Online Statements (demo)',
        summary: 'Un atacante remoto puede leer archivos del servidor mediante el descargador de extractos. Aviso ficticio, en revisión.',
        body: 'El parámetro `file` no se valida, lo que permite recorrer directorios.',
        remediation: 'Actualice a la versión 3.5.',
      },
    },
    translations: {},
  },
];

const pdf = (title: string) => Buffer.from(`%PDF-1.4\n% ${title} (fictional Hemisphere demo document)\n%%EOF\n`).toString('base64');

export const DEMO_PUBLICATIONS: (CreatePublicationInput & { slug: string })[] = [
  {
    kind: 'report', slug: 'regional-threat-landscape-2099', lang: 'en', audience: 'public', title: 'Regional threat landscape 2099 (demo)',
    summary: 'Ransomware against hospitals and phishing of government mailboxes led the incidents the network handled this year (fictional figures).', body: '',
    file: { filename: 'threat-landscape-2099.pdf', contentType: 'application/pdf', dataBase64: pdf('Regional threat landscape 2099') },
  },
  {
    kind: 'report', slug: 'regional-threat-landscape-2099', lang: 'es', audience: 'public', title: 'Panorama regional de amenazas 2099 (demo)',
    summary: 'El ransomware contra hospitales y el phishing a buzones gubernamentales encabezaron los incidentes atendidos por la red este año (cifras ficticias).', body: '',
    file: { filename: 'panorama-amenazas-2099.pdf', contentType: 'application/pdf', dataBase64: pdf('Panorama regional de amenazas 2099') },
  },
  {
    kind: 'document', slug: 'incident-handling-playbook', lang: 'en', audience: 'members', title: 'Incident handling playbook for national CSIRTs (demo)',
    summary: 'Step-by-step coordination procedures between national CSIRTs for cross-border incidents. Members only (fictional).', body: '',
    file: { filename: 'playbook.md', contentType: 'text/markdown', dataBase64: Buffer.from('# Playbook (demo)\n\n1. Triage\n2. Coordinate\n3. Report\n').toString('base64') },
  },
  {
    kind: 'announcement', slug: 'cyber-exercise-2099', lang: 'pt', audience: 'public', title: 'Exercício cibernético regional 2099 (demo)',
    summary: 'Inscrições abertas para o exercício anual de resposta a incidentes da rede (fictício).', body: 'O exercício decorre online durante dois dias. As equipas nacionais podem inscrever até cinco pessoas.',
  },
];

export type AdvisoryDemoOptions = { publish?: PublishDeps['config'] };

export async function loadAdvisoriesDemo(db: Db, blobs: BlobStore, inserted: Record<string, number>, options: AdvisoryDemoOptions = {}) {
  inserted.advisories = 0;
  inserted.advisoryTranslations = 0;
  inserted.advisoryPublications = 0;
  inserted.publications = 0;
  const actor = await loadUserActor(db, demoId('user:coordinator'), { via: 'session', sessionId: 'demo-loader' });
  if (!actor) throw new Error('The demo coordinator is missing');
  const meta: AuditMeta = { actor, requestId: 'demo-load' };

  for (const d of DEMO_ADVISORIES) {
    const find = async () => (await db.select().from(advisories).where(eq(advisories.trackingId, d.input.trackingId)))[0];
    let a = await find();
    if (!a) {
      await createAdvisory(db, meta, d.input);
      inserted.advisories += 1;
      a = (await find())!;
    }
    for (const [lang, text] of Object.entries(d.translations) as [Locale, TextInput][]) {
      const [has] = await db.select({ lang: advisoryTexts.lang }).from(advisoryTexts).where(and(eq(advisoryTexts.advisoryId, a.id), eq(advisoryTexts.lang, lang)));
      if (has || a.status !== 'draft') continue;
      await saveText(db, meta, a.id, lang, text);
      inserted.advisoryTranslations += 1;
    }
    if (a.status === 'draft' && a.publishedRevision === 0) await submitForReview(db, meta, a.id);
    if (d.target === 'published' && a.publishedRevision === 0 && options.publish) {
      await publishAdvisory({ db, config: options.publish }, meta, a.id, 'Initial release (demo)');
      inserted.advisoryPublications += 1;
    }
  }

  for (const p of DEMO_PUBLICATIONS) {
    const [has] = await db.select({ id: publications.id }).from(publications).where(and(eq(publications.slug, p.slug), eq(publications.lang, p.lang)));
    if (has) continue;
    await createPublication(db, blobs, meta, p);
    inserted.publications += 1;
  }
}
