/**
 * Extract observables from text into a case, look each routable one up against the constituencies
 * (as the acting person sees the directory) to suggest the responsible teams, and notify the
 * teams the owner picks: they join the case as 'affected' participants (so they can read it
 * under its TLP) and are told in the app and by e-mail — the e-mail carries the case reference only.
 */
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../core/actor.ts';
import type { DbOrTx } from '../db/client.ts';
import { lookupValues, type TeamRef } from '../directory/lookup.query.ts';
import { assertOwner, assertWorks, loadCaseFor } from './access.ts';
import { addParticipant, caseLink, type CaseDeps } from './cases.command.ts';
import { CASE_EVENTS, caseEvent } from './emails.ts';
import { notify, peopleOf } from './notify.ts';
import { extractObservables, routingKey, type Observable } from './observables.ts';
import { caseObservables, caseParticipants } from './tables.ts';
import { autoEntry } from './timeline.ts';

export type RoutedObservable = Observable & { matched: string | null; teams: TeamRef[] };

/** Observables of a text with the teams responsible for each (what the actor may see of the directory). */
export async function routeObservables(db: DbOrTx, actor: Actor, text: string): Promise<RoutedObservable[]> {
  const found = extractObservables(text);
  const keys = found.map(routingKey);
  const routable = keys.filter((k): k is string => k !== null);
  const results = routable.length ? await lookupValues(db, actor, routable) : [];
  let i = 0;
  return found.map((o, n) => {
    if (keys[n] === null) return { ...o, matched: null, teams: [] };
    const r = results[i++]!;
    return { ...o, matched: r.matched, teams: r.teams };
  });
}

export async function extractIntoCase(db: DbOrTx, meta: AuditMeta, caseId: string, text: string) {
  const c0 = await loadCaseFor(db, meta.actor, caseId);
  assertWorks(meta.actor, c0);
  const routed = await routeObservables(db, meta.actor, text);
  return inTx(db, async (tx) => {
    const added = [];
    for (const o of routed) {
      const [row] = await tx.insert(caseObservables).values({
        id: newId(), caseId, kind: o.kind, value: o.value, teamOrgIds: o.teams.map((t) => t.orgId), matched: o.matched,
        createdBy: meta.actor.kind === 'user' ? meta.actor.userId : null,
      }).onConflictDoNothing().returning();
      if (row) added.push(row);
    }
    if (added.length) {
      await autoEntry(tx, meta, caseId, 'observables.added', { count: added.length, kinds: [...new Set(added.map((a) => a.kind))] });
      await appendAudit(tx, meta, { action: 'incidents.case.observables', targetType: 'case', targetId: caseId, orgId: c0.ownerOrgId, after: { added: added.map((a) => `${a.kind}:${a.value}`) } });
    }
    const suggested = new Map<string, TeamRef>();
    for (const o of routed) for (const t of o.teams) if (t.orgId !== c0.ownerOrgId) suggested.set(t.orgId, t);
    return { observables: routed, added: added.length, suggestedTeams: [...suggested.values()] };
  });
}

/** Notify responsible teams (must be among the teams the case's observables route to). */
export async function notifyResponsibleTeams(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, caseId: string, orgIds: string[]) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, caseId);
    assertOwner(meta.actor, c);
    const obs = await tx.select().from(caseObservables).where(eq(caseObservables.caseId, caseId));
    const routed = new Set(obs.flatMap((o) => o.teamOrgIds));
    const bad = orgIds.filter((o) => !routed.has(o));
    if (bad.length) throw invalid('Only teams the observables route to are notified here', bad.map((o) => ({ path: 'orgIds', message: `${o} is not responsible for any observable of this case` })));
    const already = new Set((await tx.select({ o: caseParticipants.orgId }).from(caseParticipants).where(eq(caseParticipants.caseId, caseId))).map((r) => r.o));
    const notified: string[] = [];
    for (const orgId of orgIds) {
      if (orgId === c.ownerOrgId) continue;
      if (!already.has(orgId) && c.tlp !== 'red') await addParticipant(tx, meta, deps, caseId, { orgId, role: 'affected' });
      // A TLP:RED case reaches its named recipients only: even its reference is not sent to the rest of a team.
      else await notify(tx, (await peopleOf(tx, [orgId])).filter((p) => c.tlp !== 'red' || c.recipientUserIds.includes(p.id)), { kind: 'case.constituency', caseId },
        { template: caseEvent, vars: { reference: c.reference }, event: CASE_EVENTS.constituency_match, link: caseLink(deps, caseId) });
      await tx.update(caseObservables).set({ notifiedOrgIds: sql`array(SELECT DISTINCT unnest(${caseObservables.notifiedOrgIds} || ${`{${orgId}}`}::uuid[]))` })
        .where(and(eq(caseObservables.caseId, caseId), sql`${orgId}::uuid = ANY(${caseObservables.teamOrgIds})`));
      notified.push(orgId);
    }
    await autoEntry(tx, meta, caseId, 'constituency.notified', { orgIds: notified });
    await appendAudit(tx, meta, { action: 'incidents.case.notify_teams', targetType: 'case', targetId: caseId, orgId: c.ownerOrgId, after: { orgIds: notified } });
    return { notified };
  });
}
