/**
 * What the actor may choose when sharing a bundle: for each organisation they may share as (not as
 * an observer), the sharing scopes open to it and its sharing groups; the organisations that can be
 * named; the TLP labels. The upload screen offers exactly these; ingest still enforces its own rules
 * (assertMayIngest, assertMarkingCoherent), so this is a presentation of the rules, never a bypass.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { organisations, sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import { TLP_LEVELS } from '../core/tlp.ts';
import type { Scope } from '../core/visibility.ts';
import type { DbOrTx } from '../db/client.ts';
import { ingestOrgsOf } from './ingest.command.ts';

export type SharingOrg = {
  id: string; name: string; shortName: string | null;
  /** Scopes this organisation may share with (public only ever with TLP:CLEAR). */
  scopes: Scope[];
  sharingGroups: { id: string; name: string }[];
};

export type SharingOptions = {
  canUpload: boolean;
  orgs: SharingOrg[];
  /** Organisations that may be named for the `orgs` scope (every organisation but the sharer). */
  nameableOrgs: { id: string; name: string; shortName: string | null }[];
  tlps: readonly string[];
  /** Rules the screen states and enforces before sending (the server enforces them too). */
  rules: { publicRequiresClear: true; redRecipients: 'uploader' };
};

export async function sharingOptions(db: DbOrTx, actor: Actor): Promise<SharingOptions> {
  const mine = actor.kind === 'user' ? ingestOrgsOf(actor) : [];
  const rules = { publicRequiresClear: true, redRecipients: 'uploader' } as const;
  if (!mine.length) return { canUpload: false, orgs: [], nameableOrgs: [], tlps: TLP_LEVELS, rules };
  const all = await db.select({ id: organisations.id, name: organisations.name, shortName: organisations.shortName })
    .from(organisations).orderBy(asc(organisations.name));
  const groups = await db.select({ orgId: sharingGroupMembers.orgId, id: sharingGroups.id, name: sharingGroups.name })
    .from(sharingGroupMembers).innerJoin(sharingGroups, eq(sharingGroups.id, sharingGroupMembers.groupId))
    .where(inArray(sharingGroupMembers.orgId, mine)).orderBy(asc(sharingGroups.name));
  const actorGroups = actor.kind === 'user' ? actor.groupIds : [];
  const orgs = all.filter((o) => mine.includes(o.id)).map((o): SharingOrg => {
    const own = groups.filter((g) => g.orgId === o.id && actorGroups.includes(g.id)).map(({ id, name }) => ({ id, name }));
    const scopes: Scope[] = ['org', 'orgs', ...(own.length ? ['group' as const] : []), 'network', 'public'];
    return { ...o, scopes, sharingGroups: own };
  });
  return { canUpload: orgs.length > 0, orgs, nameableOrgs: all, tlps: TLP_LEVELS, rules };
}
