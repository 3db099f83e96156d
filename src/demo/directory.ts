/**
 * Demo data of the CSIRT directory (fictional, documentation address ranges only): an entry per
 * CSIRT and the hub with contacts and constituency (the /28s and /48s their descriptions name,
 * .example domains, private-use ASNs), a published OpenPGP key for a few teams, two sharing groups
 * ("Caribbean", "Southern Cone"), one finished contact check with one unreachable team, and a
 * quarterly schedule. Fixed ids and ON CONFLICT DO NOTHING: a second run adds nothing.
 */
import { eq } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { sha256 } from '../core/ids.ts';
import { sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import type { Tx } from '../db/client.ts';
import { bumpGeneration } from '../directory/lookup.query.ts';
import { parsePublicKey } from '../directory/pgp.ts';
import { constituencyEntries, contactCheckRequests, contactChecks, contactCheckSchedules, pgpKeys, teamContacts, teamProfiles } from '../directory/tables.ts';
import { DEMO_ORGS, demoId } from './data.ts';

const NET = ['192.0.2', '198.51.100', '203.0.113'];
const TEAMS = DEMO_ORGS.filter((o) => o.type === 'national_csirt' || o.type === 'sectoral_csirt' || o.type === 'hub');
const GROUPS = [
  { key: 'group:caribbean', name: 'Caribbean', description: 'Caribbean national CSIRTs (demo).', releasability: 'Members of the group only; no onward sharing without the originator (demo).', owner: 'csirt-JM', members: ['csirt-JM', 'csirt-HT', 'csirt-DO'] },
  { key: 'group:southern-cone', name: 'Southern Cone', description: 'CSIRTs of the Southern Cone (demo).', releasability: 'Group members and the hub (demo).', owner: 'csirt-AR', members: ['csirt-AR', 'csirt-BR', 'csirt-CL', 'sec-energy'] },
];

export async function loadDirectoryDemo(tx: Tx, inserted: Record<string, number>) {
  for (const k of ['teamProfiles', 'teamContacts', 'constituencyEntries', 'pgpKeys', 'sharingGroups', 'contactChecks']) inserted[k] = 0;
  const confirmed = new Date(Date.now() - 30 * 86_400_000);
  for (const [i, o] of TEAMS.entries()) {
    const orgId = demoId(o.key);
    const slug = o.shortName.toLowerCase();
    const p = await tx.insert(teamProfiles).values({
      orgId, officialName: o.name, established: `${2005 + (i % 15)}-0${1 + (i % 9)}-15`, roleEmail: `cert@${slug}.example.org`,
      phones: [`+1 555 01${String(i).padStart(2, '0')}`], emergencyPhone: `+1 555 09${String(i).padStart(2, '0')}`,
      businessHours: 'Mon–Fri 08:00–18:00, 24/7 on-call', timeZone: 'America/Panama',
      constituencyDescription: o.description, sectors: o.type === 'sectoral_csirt' ? ['energy'] : ['government', 'critical infrastructure'],
      fieldVisibility: { asns: 'public', emergencyPhone: 'members', phones: 'members' },
      // One team never re-confirmed: shows up as stale.
      lastConfirmedAt: o.key === 'csirt-GT' ? null : confirmed,
    }).onConflictDoNothing().returning({ id: teamProfiles.orgId });
    inserted.teamProfiles! += p.length;
    const contacts = [
      { key: `contact:${o.key}:role`, kind: 'role', name: `${o.shortName} incident desk`, function: 'incident handling', email: `cert@${slug}.example.org`, visibility: 'public' },
      { key: `contact:${o.key}:head`, kind: 'person', name: `Head of ${o.shortName}`, function: 'head of team', email: `head@${slug}.example.org`, visibility: 'members' },
    ];
    for (const c of contacts) {
      const r = await tx.insert(teamContacts).values({ id: demoId(c.key), orgId, kind: c.kind, name: c.name, function: c.function, email: c.email, visibility: c.visibility, lastVerifiedAt: o.key === 'csirt-GT' ? null : confirmed, lastVerifiedBy: 'demo' })
        .onConflictDoNothing().returning({ id: teamContacts.id });
      inserted.teamContacts! += r.length;
    }
    const values = [
      { kind: 'asn', value: String(64_512 + i) },
      { kind: 'ipv4', value: `${NET[i % 3]}.${(i + 1) * 16 % 256}/28` },
      { kind: 'ipv6', value: `2001:db8:${(i + 1).toString(16)}::/48` },
      { kind: 'domain', value: `${o.country.toLowerCase()}.example` },
      { kind: 'domain', value: `${slug}.example.org` },
    ];
    if (o.type === 'hub') values.push({ kind: 'ipv6', value: '2001:db8::/32' });
    const r = await tx.insert(constituencyEntries).values(values.map((v) => ({ orgId, ...v }))).onConflictDoNothing().returning({ id: constituencyEntries.id });
    inserted.constituencyEntries! += r.length;
  }
  if (inserted.constituencyEntries) await bumpGeneration(tx);

  for (const key of ['csirt-AR', 'csirt-JM', 'hub']) {
    const orgId = demoId(key);
    const id = demoId(`pgp:${key}`);
    const [exists] = await tx.select({ id: pgpKeys.id }).from(pgpKeys).where(eq(pgpKeys.id, id));
    if (exists) continue;
    const o = DEMO_ORGS.find((x) => x.key === key)!;
    const k = await openpgp.generateKey({ userIDs: [{ name: `${o.shortName} (demo key)`, email: `cert@${o.shortName.toLowerCase()}.example.org` }], keyExpirationTime: key === 'csirt-JM' ? 20 * 86_400 : 0, format: 'armored' });
    const parsed = await parsePublicKey(k.publicKey);
    const r = await tx.insert(pgpKeys).values({
      id, orgId, fingerprint: parsed.fingerprint, userIds: parsed.userIds, algorithm: parsed.algorithm, bits: parsed.bits,
      keyCreatedAt: parsed.createdAt, expiresAt: parsed.expiresAt, revoked: parsed.revoked, armored: parsed.armored, visibility: 'public',
    }).onConflictDoNothing().returning({ id: pgpKeys.id });
    inserted.pgpKeys! += r.length;
  }

  for (const g of GROUPS) {
    const r = await tx.insert(sharingGroups).values({ id: demoId(g.key), name: g.name, description: g.description, releasability: g.releasability, ownerOrgId: demoId(g.owner) })
      .onConflictDoNothing().returning({ id: sharingGroups.id });
    inserted.sharingGroups! += r.length;
    for (const m of g.members) await tx.insert(sharingGroupMembers).values({ groupId: demoId(g.key), orgId: demoId(m) }).onConflictDoNothing();
  }

  const checkId = demoId('check:caribbean-q1');
  const c = await tx.insert(contactChecks).values({ id: checkId, scope: 'group', sharingGroupId: demoId('group:caribbean'), startedBy: demoId('user:coordinator'), startedAt: confirmed, deadlineAt: new Date(confirmed.getTime() + 14 * 86_400_000) })
    .onConflictDoNothing().returning({ id: contactChecks.id });
  inserted.contactChecks! += c.length;
  if (c.length) {
    for (const key of ['csirt-JM', 'csirt-HT', 'csirt-DO']) {
      for (const kind of ['role', 'head']) {
        const contact = `contact:${key}:${kind}`;
        const answered = key !== 'csirt-HT'; // Haiti did not answer: the report shows it unreachable
        const email = `${kind === 'role' ? 'cert' : 'head'}@${DEMO_ORGS.find((o) => o.key === key)!.shortName.toLowerCase()}.example.org`;
        await tx.insert(contactCheckRequests).values({
          id: demoId(`request:${key}:${kind}`), checkId, orgId: demoId(key), contactId: demoId(contact), email,
          tokenHash: sha256(`demo-check:${key}:${kind}`), answeredAt: answered ? confirmed : null, answeredBy: answered ? `link:${email}` : null,
        }).onConflictDoNothing();
      }
    }
  }
  await tx.insert(contactCheckSchedules).values({ id: demoId('schedule:all-quarterly'), scope: 'all', everyMonths: 3, nextRunAt: new Date(Date.now() + 60 * 86_400_000), createdBy: demoId('user:coordinator') })
    .onConflictDoNothing();
}
