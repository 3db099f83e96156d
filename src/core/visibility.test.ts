/**
 * TLP visibility: `canSee` over a matrix of actors × labels × sharing scopes against expectations
 * written out by hand, and `visibleTo` (SQL) returning exactly the rows `canSee` allows for every
 * actor, on a scratch table built from `markingColumns()`. Plus the write-time coherence rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { anonymous, system, type Actor, type Membership, type UserActor } from './actor.ts';
import { DomainError } from './errors.ts';
import { TLP_LEVELS, type Tlp } from './tlp.ts';
import { assertMarkingCoherent, canSee, markingColumns, SCOPES, visibleTo, type Marking, type Scope } from './visibility.ts';
import { createTestDb } from '../../test/harness.ts';

const id = () => crypto.randomUUID();
const ORG = { owner: id(), stake: id(), network2: id(), recipientOrg: id(), adminOrg: id() };
const GROUP = id();
const OTHER_GROUP = id();
const USER = { stake: id(), network: id(), owner: id(), author: id(), recipient: id(), admin: id() };

const member = (orgId: string, networkMember: boolean): Membership => ({ orgId, role: 'member', networkMember, countryCode: null });
const user = (userId: string, memberships: Membership[], extra: Partial<UserActor> = {}): UserActor => ({
  kind: 'user', userId, email: `${userId}@example.org`, platformRole: null, memberships, groupIds: [], locale: 'en', via: 'session', ...extra,
});

const ACTORS: Record<string, Actor> = {
  anonymous,
  stakeholder: user(USER.stake, [member(ORG.stake, false)], { groupIds: [GROUP] }),
  networkOtherOrg: user(USER.network, [member(ORG.network2, true)], { groupIds: [OTHER_GROUP] }),
  ownerOrgMember: user(USER.owner, [member(ORG.owner, true)]),
  author: user(USER.author, []),
  redRecipient: user(USER.recipient, [member(ORG.recipientOrg, false)]),
  adminNotRecipient: user(USER.admin, [member(ORG.adminOrg, true)], { platformRole: 'administrator' }),
  system: system('test'),
};

const marking = (tlp: Tlp, scope: Scope, over: Partial<Marking> = {}): Marking => ({
  tlp, scope, ownerOrgId: ORG.owner, createdBy: USER.author, scopeOrgIds: [ORG.stake], sharingGroupId: GROUP,
  recipientUserIds: [USER.recipient], ...over,
});

const NON_RED = TLP_LEVELS.filter((t) => t !== 'red');
const key = (t: Tlp, s: Scope) => `${t}/${s}`;
const every = TLP_LEVELS.flatMap((t) => SCOPES.map((s) => key(t, s)));
const nonRed = (scopes: readonly Scope[]) => NON_RED.flatMap((t) => scopes.map((s) => key(t, s)));

/** What each actor must see, written out (not derived from the code under test). */
const EXPECTED: Record<string, string[]> = {
  anonymous: ['clear/public'],
  // Named organisation and sharing-group member, outside the trusted network.
  stakeholder: ['clear/public', ...nonRed(['group', 'orgs'])],
  // Trusted network, other organisation: network-wide (and non-CLEAR "public", treated as network).
  networkOtherOrg: nonRed(['public', 'network']),
  ownerOrgMember: nonRed(SCOPES),
  author: every,
  // RED reaches the named recipient whatever the scope; nothing else beyond the public.
  redRecipient: ['clear/public', ...SCOPES.map((s) => key('red', s))],
  // No role bypasses TLP: an administrator sees what its organisation's network membership allows.
  adminNotRecipient: nonRed(['public', 'network']),
  system: every,
};

test('canSee matrix: actors × TLP labels × sharing scopes', () => {
  for (const [name, actor] of Object.entries(ACTORS)) {
    const seen = every.filter((k) => {
      const [t, s] = k.split('/') as [Tlp, Scope];
      return canSee(actor, marking(t, s));
    });
    assert.deepEqual(seen.sort(), [...EXPECTED[name]!].sort(), name);
  }
});

test('canSee: RED without being named is invisible even to owner-org members and administrators', () => {
  const red = marking('red', 'org', { recipientUserIds: [USER.stake] });
  assert.equal(canSee(ACTORS.stakeholder!, red), true);
  for (const name of ['ownerOrgMember', 'adminNotRecipient', 'redRecipient', 'networkOtherOrg', 'anonymous']) {
    assert.equal(canSee(ACTORS[name]!, red), false, name);
  }
  // Being named on a non-RED object grants nothing by itself.
  assert.equal(canSee(ACTORS.redRecipient!, marking('amber', 'org')), false);
});

// The scratch table: any shareable table spreads markingColumns() into its definition.
const scratch = pgTable('scratch_marked', { id: text('id').primaryKey(), ...markingColumns() });

test('visibleTo returns exactly the rows canSee allows, for every actor', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const db = tdb.database.db;
  await db.execute(sql`CREATE TABLE scratch_marked (
    id text PRIMARY KEY, tlp text NOT NULL, scope text NOT NULL, owner_org_id uuid, created_by uuid,
    scope_org_ids uuid[] NOT NULL DEFAULT '{}', sharing_group_id uuid, recipient_user_ids uuid[] NOT NULL DEFAULT '{}')`);
  const rowsIn: (Marking & { id: string })[] = [];
  for (const tlp of TLP_LEVELS) {
    for (const scope of SCOPES) {
      rowsIn.push({ id: key(tlp, scope), ...marking(tlp, scope) });
      // Edge variants: no owner, no author, no group, no named orgs, no recipients, several recipients.
      rowsIn.push({ id: `${key(tlp, scope)}/bare`, ...marking(tlp, scope, { ownerOrgId: null, createdBy: null, sharingGroupId: null, scopeOrgIds: [], recipientUserIds: [] }) });
      rowsIn.push({ id: `${key(tlp, scope)}/many`, ...marking(tlp, scope, {
        createdBy: USER.owner, ownerOrgId: ORG.stake, scopeOrgIds: [ORG.network2, ORG.recipientOrg], sharingGroupId: OTHER_GROUP,
        recipientUserIds: [USER.admin, USER.network, USER.stake],
      }) });
    }
  }
  await db.insert(scratch).values(rowsIn);
  for (const [name, actor] of Object.entries(ACTORS)) {
    const got = (await db.select({ id: scratch.id }).from(scratch).where(visibleTo(actor, scratch))).map((r) => r.id).sort();
    const allowed = rowsIn.filter((r) => canSee(actor, r)).map((r) => r.id).sort();
    assert.deepEqual(got, allowed, `visibleTo and canSee agree for ${name}`);
    // And on the plain matrix rows, both match the written-out expectation.
    assert.deepEqual(got.filter((x) => x.split('/').length === 2), [...EXPECTED[name]!].sort(), name);
  }
});

test('assertMarkingCoherent refuses incoherent markings with typed validation errors', () => {
  const refuse = (m: Marking, path: string) =>
    assert.throws(() => assertMarkingCoherent(m), (err: unknown) => {
      assert.ok(err instanceof DomainError);
      assert.equal(err.code, 'validation_failed');
      assert.equal(err.details?.issues?.[0]?.path, path);
      return true;
    }, `${m.tlp}/${m.scope} → ${path}`);
  for (const t of ['green', 'amber', 'amber+strict', 'red'] as const) refuse(marking(t, 'public'), 'scope');
  refuse(marking('red', 'org', { recipientUserIds: [] }), 'recipientUserIds');
  refuse(marking('amber', 'group', { sharingGroupId: null }), 'sharingGroupId');
  refuse(marking('green', 'orgs', { scopeOrgIds: [] }), 'scopeOrgIds');
  refuse(marking('white' as Tlp, 'network'), 'tlp');
  refuse(marking('green', 'world' as Scope), 'scope');
  for (const m of [marking('clear', 'public'), marking('green', 'network'), marking('amber', 'group'), marking('amber+strict', 'org'), marking('red', 'orgs')]) {
    assert.doesNotThrow(() => assertMarkingCoherent(m), `${m.tlp}/${m.scope}`);
  }
});
