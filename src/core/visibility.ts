/**
 * THE visibility function. Every read of TLP-marked or scoped content goes through `visibleTo`
 * (SQL, in the store) — `canSee` is the same rule in plain code, for single objects already loaded
 * (e.g. deciding whether to push a WebSocket notice) and for the tests that prove both agree.
 *
 * Rules (TLP 2.0, ../shared/reference/tlp-2.0.md):
 *  - TLP:RED reaches only the named recipient users (and the author). No role bypasses it.
 *  - Otherwise members of the owning organisation and the author always see it; others see it when
 *    the sharing scope includes them:
 *      public  → anyone, but only for TLP:CLEAR (a non-CLEAR object marked public is treated as
 *                network-wide: GREEN and above never reach the public by any path);
 *      network → members of the trusted network (vetted CSIRT / hub organisations);
 *      group   → organisations in the sharing group;
 *      orgs    → the named organisations;
 *      org     → the owning organisation only.
 *  - The system actor (workers) sees everything; workers deliver to recipients by re-reading as them.
 */
import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { text, uuid } from 'drizzle-orm/pg-core';
import type { Actor } from './actor.ts';
import { isNetworkMember, orgIdsOf } from './actor.ts';
import { invalid } from './errors.ts';
import { isTlp, type Tlp } from './tlp.ts';

export const SCOPES = ['org', 'orgs', 'group', 'network', 'public'] as const;
export type Scope = (typeof SCOPES)[number];

export type Marking = {
  tlp: Tlp;
  scope: Scope;
  ownerOrgId: string | null;
  createdBy: string | null;
  scopeOrgIds: string[];
  sharingGroupId: string | null;
  recipientUserIds: string[];
};

/** Columns every shareable table spreads into its definition. */
export const markingColumns = () => ({
  tlp: text('tlp').notNull(),
  scope: text('scope').notNull(),
  ownerOrgId: uuid('owner_org_id'),
  createdBy: uuid('created_by'),
  scopeOrgIds: uuid('scope_org_ids').array().notNull().default(sql`'{}'::uuid[]`),
  sharingGroupId: uuid('sharing_group_id'),
  recipientUserIds: uuid('recipient_user_ids').array().notNull().default(sql`'{}'::uuid[]`),
});

type MarkedTable = {
  tlp: AnyColumn;
  scope: AnyColumn;
  ownerOrgId: AnyColumn;
  createdBy: AnyColumn;
  scopeOrgIds: AnyColumn;
  sharingGroupId: AnyColumn;
  recipientUserIds: AnyColumn;
};

export function canSee(actor: Actor, m: Marking): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'anonymous') return m.tlp === 'clear' && m.scope === 'public';
  if (m.createdBy !== null && m.createdBy === actor.userId) return true;
  if (m.tlp === 'red') return m.recipientUserIds.includes(actor.userId);
  const orgs = orgIdsOf(actor);
  if (m.ownerOrgId !== null && orgs.includes(m.ownerOrgId)) return true;
  const scope: Scope = m.scope === 'public' && m.tlp !== 'clear' ? 'network' : m.scope;
  switch (scope) {
    case 'public':
      return true;
    case 'network':
      return isNetworkMember(actor);
    case 'group':
      return m.sharingGroupId !== null && actor.groupIds.includes(m.sharingGroupId);
    case 'orgs':
      return m.scopeOrgIds.some((o) => orgs.includes(o));
    case 'org':
      return false;
  }
}

const uuidArray = (ids: string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** SQL condition: rows of `t` the actor may read. Same rule as `canSee`. */
export function visibleTo(actor: Actor, t: MarkedTable): SQL {
  if (actor.kind === 'system') return sql`true`;
  if (actor.kind === 'anonymous') return sql`(${t.tlp} = 'clear' AND ${t.scope} = 'public')`;
  const uid = actor.userId;
  const orgs = uuidArray(orgIdsOf(actor));
  const groups = uuidArray(actor.groupIds);
  const network = isNetworkMember(actor) ? sql`true` : sql`false`;
  return sql`(
    ${t.createdBy} = ${uid}::uuid
    OR (${t.tlp} = 'red' AND ${uid}::uuid = ANY(${t.recipientUserIds}))
    OR (${t.tlp} <> 'red' AND (
      ${t.ownerOrgId} = ANY(${orgs})
      OR (${t.scope} = 'public' AND ${t.tlp} = 'clear')
      OR (${t.scope} IN ('network', 'public') AND ${network})
      OR (${t.scope} = 'group' AND ${t.sharingGroupId} = ANY(${groups}))
      OR (${t.scope} = 'orgs' AND ${t.scopeOrgIds} && ${orgs})
    ))
  )`;
}

/** Refuse incoherent markings at write time (e.g. GREEN marked public, RED with no recipient). */
export function assertMarkingCoherent(m: Marking): void {
  if (!isTlp(m.tlp)) throw invalid('Unknown TLP label', [{ path: 'tlp', message: 'must be a TLP 2.0 label' }]);
  if (!(SCOPES as readonly string[]).includes(m.scope))
    throw invalid('Unknown sharing scope', [{ path: 'scope', message: `must be one of ${SCOPES.join(', ')}` }]);
  if (m.scope === 'public' && m.tlp !== 'clear')
    throw invalid('Only TLP:CLEAR may be public', [{ path: 'scope', message: 'public scope requires TLP:CLEAR' }]);
  if (m.tlp === 'red' && m.recipientUserIds.length === 0)
    throw invalid('TLP:RED needs named recipients', [{ path: 'recipientUserIds', message: 'name at least one person' }]);
  if (m.scope === 'group' && !m.sharingGroupId)
    throw invalid('A sharing group is required', [{ path: 'sharingGroupId', message: 'required for scope group' }]);
  if (m.scope === 'orgs' && m.scopeOrgIds.length === 0)
    throw invalid('Name the organisations', [{ path: 'scopeOrgIds', message: 'required for scope orgs' }]);
}
