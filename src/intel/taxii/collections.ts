/**
 * TAXII collections mapped onto sharing scopes. Which collections exist depends on the actor:
 *  - "everything": all the actor may see (read-only);
 *  - "public": TLP:CLEAR shared publicly;
 *  - "network": shared with the whole trusted network (listed for network members);
 *  - one per organisation of the actor: what that organisation brought, any scope;
 *  - one per sharing group of the actor's organisations: what was shared with the group.
 * Reading a collection narrows the store's read functions (which always apply `visibleTo`);
 * writing one ingests with that collection's owner, scope and default TLP.
 */
import { and, inArray } from 'drizzle-orm';
import type { Actor } from '../../core/actor.ts';
import { isNetworkMember } from '../../core/actor.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import { organisations, sharingGroupMembers, sharingGroups } from '../../core/tables.ts';
import type { Tlp } from '../../core/tlp.ts';
import type { Scope } from '../../core/visibility.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { IngestOptions } from '../ingest.command.ts';
import type { ObjectFilter } from '../objects.query.ts';

export const ALL_COLLECTION_ID = '3c7a0e2b-8f6d-4f3e-9a51-0d6b1c2e4a01';
export const NETWORK_COLLECTION_ID = '3c7a0e2b-8f6d-4f3e-9a51-0d6b1c2e4a02';
export const PUBLIC_COLLECTION_ID = '3c7a0e2b-8f6d-4f3e-9a51-0d6b1c2e4a03';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

export type CollectionKind = 'all' | 'public' | 'network' | 'org' | 'group';

export type Collection = {
  id: string;
  kind: CollectionKind;
  title: string;
  description: string;
  canRead: boolean;
  canWrite: boolean;
  /** Narrowing of the store's read functions for this collection. */
  filter: Pick<ObjectFilter, 'ownerOrgId' | 'scope' | 'sharingGroupId'>;
  /** How objects posted here are stored (null when the actor cannot write). */
  ingest: Omit<IngestOptions, 'batchSize' | 'maxReportEntries'> | null;
  /** Organisations whose objects the actor may delete from this collection. */
  deletableOwnerOrgIds: string[];
};

/** The TAXII collection resource (section 5.2). */
export const presentCollection = (c: Collection) => ({
  id: c.id, title: c.title, description: c.description, can_read: c.canRead, can_write: c.canWrite, media_types: [STIX_MEDIA_TYPE],
});

const writerOrgs = (actor: Actor, pred: (orgId: string, networkMember: boolean) => boolean): string[] =>
  actor.kind === 'user' ? actor.memberships.filter((m) => m.role !== 'observer' && pred(m.orgId, m.networkMember)).map((m) => m.orgId) : [];

/** Writes through TAXII need a session, or a token with the `intel:write` scope besides `taxii`. */
const mayWriteIntel = (actor: Actor) => actor.kind === 'user' && (actor.via === 'session' || (actor.scopes ?? []).includes('intel:write'));

function shared(id: string, kind: 'public' | 'network', actor: Actor): Collection {
  const owners = writerOrgs(actor, (_o, net) => net);
  const canWrite = mayWriteIntel(actor) && owners.length > 0;
  const scope: Scope = kind;
  const tlpDefault: Tlp = kind === 'public' ? 'clear' : 'green';
  return {
    id, kind,
    title: kind === 'public' ? 'Public (TLP:CLEAR)' : 'Trusted network',
    description: kind === 'public'
      ? 'TLP:CLEAR intelligence shared publicly by the network.'
      : 'Intelligence shared with every vetted team of the network. Objects posted without a TLP marking are TLP:GREEN.',
    canRead: true, canWrite,
    filter: { scope },
    ingest: canWrite ? { ownerOrgId: owners[0]!, scope, tlpDefault } : null,
    deletableOwnerOrgIds: canWrite ? owners : [],
  };
}

/** Every collection the actor may use, in a stable order. */
export async function listCollections(db: DbOrTx, actor: Actor): Promise<Collection[]> {
  if (actor.kind !== 'user') return [];
  const out: Collection[] = [{
    id: ALL_COLLECTION_ID, kind: 'all', title: 'Everything I may see',
    description: 'Every object your organisations may see, whatever its sharing scope (read-only).',
    canRead: true, canWrite: false, filter: {}, ingest: null, deletableOwnerOrgIds: [],
  }];
  out.push(shared(PUBLIC_COLLECTION_ID, 'public', actor));
  if (isNetworkMember(actor)) out.push(shared(NETWORK_COLLECTION_ID, 'network', actor));
  const orgIds = actor.memberships.map((m) => m.orgId);
  if (orgIds.length) {
    const orgs = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds));
    for (const o of orgs.sort((a, b) => a.name.localeCompare(b.name))) {
      const canWrite = mayWriteIntel(actor) && writerOrgs(actor, (id) => id === o.id).length > 0;
      out.push({
        id: o.id, kind: 'org', title: `${o.name} (own)`,
        description: `Everything ${o.name} shared, whatever the scope. Objects posted here stay within ${o.name}; without a TLP marking they are TLP:AMBER.`,
        canRead: true, canWrite, filter: { ownerOrgId: o.id },
        ingest: canWrite ? { ownerOrgId: o.id, scope: 'org', tlpDefault: 'amber' } : null,
        deletableOwnerOrgIds: canWrite ? [o.id] : [],
      });
    }
  }
  if (actor.groupIds.length) {
    const groups = await db.select({ id: sharingGroups.id, name: sharingGroups.name }).from(sharingGroups).where(inArray(sharingGroups.id, actor.groupIds));
    const memberRows = orgIds.length
      ? await db.select().from(sharingGroupMembers).where(and(inArray(sharingGroupMembers.groupId, actor.groupIds), inArray(sharingGroupMembers.orgId, orgIds)))
      : [];
    for (const g of groups.sort((a, b) => a.name.localeCompare(b.name))) {
      const inGroup = new Set(memberRows.filter((r) => r.groupId === g.id).map((r) => r.orgId));
      const owners = writerOrgs(actor, (id) => inGroup.has(id));
      const canWrite = mayWriteIntel(actor) && owners.length > 0;
      out.push({
        id: g.id, kind: 'group', title: `Sharing group: ${g.name}`,
        description: `Intelligence shared with the organisations of the sharing group ${g.name}. Objects posted without a TLP marking are TLP:AMBER.`,
        canRead: true, canWrite, filter: { sharingGroupId: g.id, scope: 'group' },
        ingest: canWrite ? { ownerOrgId: owners[0]!, scope: 'group', sharingGroupId: g.id, tlpDefault: 'amber' } : null,
        deletableOwnerOrgIds: canWrite ? owners : [],
      });
    }
  }
  return out;
}

/** One collection of the actor's; 404 for any other id (an unknown id and a foreign one look the same). */
export async function getCollection(db: DbOrTx, actor: Actor, id: string): Promise<Collection> {
  if (!isUuid(id)) throw notFound('Collection');
  const found = (await listCollections(db, actor)).find((c) => c.id === id);
  if (!found) throw notFound('Collection');
  return found;
}

export function assertWritable(c: Collection): asserts c is Collection & { ingest: NonNullable<Collection['ingest']> } {
  if (!c.canWrite || !c.ingest) throw forbidden('This collection is read-only for you');
}
