/**
 * Demo data of incident coordination (fictional): three cases in different states (a contained
 * phishing case with tasks and observables, a resolved defacement, a new DDoS case) and one
 * cross-border assistance request of the demo ministry with two offers, one accepted (the helper
 * has joined the case) — written through the real commands so that channels, timelines, audit and
 * notifications are exactly what the platform would write. Idempotent: the whole set is written in
 * one transaction, and not again once the demo assistance request exists.
 */
import { eq } from 'drizzle-orm';
import type { AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import type { Db, Tx } from '../db/client.ts';
import { createAssistanceRequest, decideOffer, offerHelp } from '../incidents/assistance.command.ts';
import { addNote, addTask } from '../incidents/case-work.command.ts';
import { createCase, transitionCase } from '../incidents/cases.command.ts';
import { extractIntoCase } from '../incidents/observables.command.ts';
import { assistanceRequests } from '../incidents/tables.ts';
import { demoId } from './data.ts';

export const DEMO_ASSISTANCE_TITLE = 'Ransomware on the ministry’s e-government portal (demo)';

async function as(tx: Tx, key: string): Promise<AuditMeta> {
  const actor = await loadUserActor(tx, demoId(`user:${key}`), { via: 'session', sessionId: 'demo-loader' });
  if (!actor) throw new Error(`The demo user ${key} is missing`);
  return { actor, requestId: 'demo-load' };
}

export async function loadIncidentsDemo(db: Db, inserted: Record<string, number>, publicUrl: string): Promise<void> {
  inserted.cases = 0;
  inserted.assistanceRequests = 0;
  const deps = { publicUrl };
  await inTx(db, async (tx) => {
    const [existing] = await tx.select({ id: assistanceRequests.id }).from(assistanceRequests).where(eq(assistanceRequests.title, DEMO_ASSISTANCE_TITLE));
    if (existing) return;
    const co = await as(tx, 'admin-co');
    const phishing = await createCase(tx, co, deps, {
      title: 'Phishing kit impersonating regional banks (demo)', classification: 'phishing', severity: 'high', tlp: 'amber', pap: 'green',
      description: 'Fictional: a phishing kit hosted on a compromised site targets customers of three banks.',
    });
    await transitionCase(tx, co, phishing.id, 'open');
    await extractIntoCase(tx, co, phishing.id, 'Kit at hxxps://login-bank[.]example[.]net/secure served from 198.51.100[.]23; reports to abuse[@]bank.example.net');
    await addTask(tx, co, phishing.id, { title: 'Request the takedown from the hosting provider', dueAt: new Date(Date.now() + 2 * 86_400_000) });
    await addTask(tx, co, phishing.id, { title: 'Warn the affected banks', dueAt: new Date(Date.now() + 86_400_000) });
    await addNote(tx, co, phishing.id, { body: 'Hosting provider contacted; the kit is offline on two of three mirrors.' });
    await transitionCase(tx, co, phishing.id, 'contain', { reason: 'Two of three mirrors offline' });

    const br = await as(tx, 'admin-br');
    const deface = await createCase(tx, br, deps, {
      title: 'Defacement of municipal websites (demo)', classification: 'defacement', severity: 'medium', tlp: 'green', pap: 'clear',
      description: 'Fictional: twelve municipal sites defaced through an outdated CMS plug-in.',
    });
    await transitionCase(tx, br, deface.id, 'open');
    await addNote(tx, br, deface.id, { body: 'Sites restored from backups; plug-in updated everywhere.' });
    await transitionCase(tx, br, deface.id, 'resolve', { reason: 'Restored and patched' });

    const mx = await as(tx, 'admin-mx');
    await createCase(tx, mx, deps, {
      title: 'DDoS against the tax portal during filing week (demo)', classification: 'ddos', severity: 'critical', tlp: 'amber', pap: 'red',
      description: 'Fictional: 40 Gbit/s of reflected traffic; PAP:RED because the upstream mitigation details are confidential.',
    });
    inserted.cases! += 3;

    const ministry = await as(tx, 'stakeholder');
    const req = await createAssistanceRequest(tx, ministry, deps, {
      title: DEMO_ASSISTANCE_TITLE, whatHappened: 'Fictional: the e-government portal servers were encrypted overnight; a ransom note was left. We have no team for forensics.',
      helpKinds: ['forensics', 'malware_analysis'], urgency: 'high', classification: 'malware', tlp: 'amber', pap: 'amber', audience: 'network', teamOrgIds: [],
    });
    const cl = await as(tx, 'admin-cl');
    const offerCl = await offerHelp(tx, cl, deps, req.id, { message: 'We can image the disks and analyse them within a day.', helpKinds: ['forensics'] });
    const ar = await as(tx, 'admin-ar');
    await offerHelp(tx, ar, deps, req.id, { message: 'Our lab can look at the encryptor sample.', helpKinds: ['malware_analysis'] });
    await decideOffer(tx, ministry, deps, req.id, offerCl.id, 'accept');
    inserted.assistanceRequests! += 1;
  });
}
