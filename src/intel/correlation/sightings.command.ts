/**
 * One-click "we saw this too": an organisation reports a sighting of an object it may see. One row
 * per organisation and object, counted up on each report; the report carries its own TLP and
 * scope (default TLP:AMBER shared with the trusted network) so who saw what leaks to nobody else.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor.ts';
import { appendAudit, type AuditMeta } from '../../core/audit.ts';
import { inTx } from '../../core/context.ts';
import { forbidden, invalid } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Tlp } from '../../core/tlp.ts';
import { assertMarkingCoherent, type Scope } from '../../core/visibility.ts';
import type { DbOrTx } from '../../db/client.ts';
import { getObject } from '../objects.query.ts';
import { intelSightings } from './tables.ts';

export type SightingInput = { orgId?: string; note?: string; tlp?: Tlp; scope?: Extract<Scope, 'org' | 'network' | 'group'>; sharingGroupId?: string | null };

function reportingOrg(actor: Actor, orgId?: string): string {
  if (actor.kind !== 'user') throw forbidden('Only members of an organisation report sightings');
  const eligible = actor.memberships.filter((m) => m.role !== 'observer');
  if (!eligible.length) throw forbidden('Observers cannot report sightings');
  const m = orgId ? eligible.find((x) => x.orgId === orgId) : eligible.length === 1 ? eligible[0] : undefined;
  if (!m) throw orgId ? forbidden('You cannot report for that organisation') : invalid('Choose the organisation that saw it', [{ path: 'orgId', message: 'required' }]);
  return m.orgId;
}

export async function reportSighting(db: DbOrTx, meta: AuditMeta, stixId: string, input: SightingInput = {}) {
  const actor = meta.actor;
  await getObject(db, actor, stixId); // only what you may see
  const orgId = reportingOrg(actor, input.orgId);
  const userId = actor.kind === 'user' ? actor.userId : null;
  const tlp: Tlp = input.tlp ?? 'amber';
  const scope: Scope = input.scope ?? 'network';
  const marking = { tlp, scope, ownerOrgId: orgId, createdBy: userId, scopeOrgIds: [], sharingGroupId: input.sharingGroupId ?? null, recipientUserIds: tlp === 'red' && userId ? [userId] : [] };
  assertMarkingCoherent(marking);
  if (scope === 'group' && actor.kind === 'user' && !actor.groupIds.includes(input.sharingGroupId ?? '')) throw forbidden('Your organisation is not in that sharing group');
  return inTx(db, async (tx) => {
    const [row] = await tx.insert(intelSightings).values({ id: newId(), stixId, orgId, note: input.note ?? '', ...marking })
      .onConflictDoUpdate({
        target: [intelSightings.orgId, intelSightings.stixId],
        set: { count: sql`${intelSightings.count} + 1`, lastSeen: sql`now()`, note: input.note ?? sql`${intelSightings.note}`,
          tlp: marking.tlp, scope: marking.scope, sharingGroupId: marking.sharingGroupId, recipientUserIds: marking.recipientUserIds },
      }).returning();
    await appendAudit(tx, meta, { action: 'intel.sighting_reported', targetType: 'stix_object', targetId: stixId, orgId, after: { count: row!.count, tlp, scope } });
    return { stixId, orgId, count: row!.count, lastSeen: row!.lastSeen.toISOString() };
  });
}
