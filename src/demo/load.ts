/**
 * Loads the demo network idempotently: fixed ids and natural keys, every insert ON CONFLICT DO
 * NOTHING, so a second run adds nothing (not even an audit row: the load is audited only when it
 * inserted something).
 */
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { sha256 } from '../core/ids.ts';
import { memberships, organisations, users } from '../core/tables.ts';
import type { Db } from '../db/client.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { BlobStore } from '../blobs/store.ts';
import { pointsOfContact } from '../orgs/tables.ts';
import { isNetworkMemberType } from '../orgs/types.ts';
import { applications } from '../membership/tables.ts';
import { DEMO_APPLICATIONS, DEMO_ORGS, DEMO_PASSWORD, DEMO_PEOPLE, demoId } from './data.ts';
import { loadAdvisoriesDemo, type AdvisoryDemoOptions } from './advisories.ts';
import { loadMailingDemo } from './mailing.ts';
import { loadDirectoryDemo } from './directory.ts';
import { loadMessagingDemo } from './messaging.ts';
import { loadIntelDemo } from './intel.ts';
import { loadIncidentsDemo } from './incidents.ts';
import { loadMispDemo } from './misp.ts';

export type DemoSummary = { inserted: Record<string, number>; logins: { email: string; role: string }[]; password: string };

const DEMO_MANDATE = Buffer.from('%PDF-1.4\n% Fictional mandate document of the Hemisphere demo network\n%%EOF\n');

/** `publish`: what publishing an advisory needs (platform key passphrase/data dir, public URL, publisher) — the platform's config. */
export type DemoOptions = AdvisoryDemoOptions;

export async function loadDemo(db: Db, blobs: BlobStore, options: DemoOptions = {}): Promise<DemoSummary> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const mandate = await blobs.put(DEMO_MANDATE);
  const inserted: Record<string, number> = { organisations: 0, users: 0, memberships: 0, pointsOfContact: 0, applications: 0 };
  await inTx(db, async (tx) => {
    for (const o of DEMO_ORGS) {
      const r = await tx.insert(organisations).values({
        id: demoId(o.key), name: o.name, shortName: o.shortName, type: o.type, countryCode: o.country,
        networkMember: isNetworkMemberType(o.type), website: o.website, description: o.description,
      }).onConflictDoNothing().returning({ id: organisations.id });
      inserted.organisations! += r.length;
    }
    for (const p of DEMO_PEOPLE) {
      const id = demoId(`user:${p.key}`);
      const r = await tx.insert(users).values({
        id, email: p.email, displayName: p.name, passwordHash, platformRole: p.platformRole ?? null, locale: p.locale, emailVerifiedAt: new Date(),
      }).onConflictDoNothing().returning({ id: users.id });
      inserted.users! += r.length;
      for (const [orgKey, role] of p.orgs) {
        const m = await tx.insert(memberships).values({ userId: id, orgId: demoId(orgKey), role }).onConflictDoNothing().returning({ u: memberships.userId });
        inserted.memberships! += m.length;
      }
      for (const cc of p.pocOf ?? []) {
        const c = await tx.insert(pointsOfContact).values({ countryCode: cc, userId: id, designatedBy: demoId('user:coordinator') })
          .onConflictDoNothing().returning({ u: pointsOfContact.userId });
        inserted.pointsOfContact! += c.length;
      }
    }
    for (const a of DEMO_APPLICATIONS) {
      const slug = a.key.replace(/^app-/, '');
      const r = await tx.insert(applications).values({
        id: demoId(a.key), kind: a.kind, route: a.route, status: a.status, orgName: a.orgName, orgType: a.orgType, countryCode: a.country,
        website: `https://${slug}.example.net`, constituency: `Fictional constituency (demo): 198.51.100.0/24 and 2001:db8:${slug.length.toString(16)}::/48.`,
        headName: `Head of ${a.orgName}`, headEmail: `head-${slug}@demo.example.net`, headLocale: a.locale,
        applicantEmail: `applicant-${slug}@demo.example.net`, applicantLocale: a.locale,
        ...(a.kind === 'membership' ? { mandateSha256: mandate.sha256, mandateSize: mandate.size, mandateFilename: 'mandate-demo.pdf', mandateContentType: 'application/pdf' } : {}),
        statusTokenHash: sha256(`demo-status:${a.key}`),
        pocDecisionBy: a.pocBy ? demoId(`user:${a.pocBy}`) : null, pocDecisionAt: a.pocBy ? new Date() : null, pocReason: a.pocReason ?? null,
        coordinatorDecisionBy: a.coordinatorBy ? demoId(`user:${a.coordinatorBy}`) : null, coordinatorDecisionAt: a.coordinatorBy ? new Date() : null,
        coordinatorReason: a.coordinatorReason ?? null,
      }).onConflictDoNothing().returning({ id: applications.id });
      inserted.applications! += r.length;
    }
    await loadMailingDemo(tx, inserted);
    await loadDirectoryDemo(tx, inserted);
    await loadMessagingDemo(tx, inserted);
    if (Object.values(inserted).some((n) => n > 0)) {
      await appendAudit(tx, { actor: system('demo') }, { action: 'demo.load', targetType: 'platform', after: inserted });
    }
  });
  await loadAdvisoriesDemo(db, blobs, inserted, options);
  await loadIntelDemo(db, inserted);
  await loadIncidentsDemo(db, inserted, options.publish?.publicUrl ?? 'http://localhost:8080');
  await loadMispDemo(db, inserted);
  return {
    inserted,
    logins: DEMO_PEOPLE.map((p) => ({ email: p.email, role: p.note })),
    password: DEMO_PASSWORD,
  };
}

export function formatDemoSummary(s: DemoSummary): string {
  const added = Object.entries(s.inserted).map(([k, n]) => `${n} ${k}`).join(', ');
  const width = Math.max(...s.logins.map((l) => l.email.length));
  return [
    `  Demo network loaded (added: ${added}). Everything in it is fictional.`,
    '',
    '  Demo logins (shared demo password, for this demo only):',
    `    password: ${s.password}`,
    ...s.logins.map((l) => `    ${l.email.padEnd(width)}  ${l.role}`),
    '',
    '  Administrators, coordinators and CSIRT members are asked to turn on two-step sign-in at first login.',
    '',
  ].join('\n');
}
