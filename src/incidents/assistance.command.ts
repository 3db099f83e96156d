/**
 * Cross-border assistance. A team — or a government body of a country without a CSIRT — publishes
 * a request (what happened, the help it needs, urgency, TLP/PAP, and its audience: the network, a
 * sharing group or named teams); a case with its channel is opened for it. Teams that can see the
 * request offer help; the requester accepts one or more offers and each helper joins the case (and
 * its channel). The first offer and first acceptance are timed; closing records lessons learned
 * and a rating, and resolves the case.
 */
import { and, eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Tlp } from '../core/tlp.ts';
import { assertMarkingCoherent, visibleTo, type Marking } from '../core/visibility.ts';
import { organisations, sharingGroupMembers } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { loadCaseFor } from './access.ts';
import { addParticipant, createCase, transitionCase, type CaseDeps } from './cases.command.ts';
import { addNote } from './case-work.command.ts';
import { ASSISTANCE_EVENTS, assistanceEvent } from './emails.ts';
import { notify, peopleOf } from './notify.ts';
import type { AssistanceInput } from './schema.ts';
import { assistanceOffers, assistanceRequests } from './tables.ts';
import { autoEntry } from './timeline.ts';

export const requestLink = (deps: CaseDeps, id: string) => `${deps.publicUrl}/incidents/assistance/${id}`;

export async function loadRequestFor(db: DbOrTx, meta: AuditMeta, id: string, lock = false) {
  const q = db.select().from(assistanceRequests).where(and(eq(assistanceRequests.id, id), visibleTo(meta.actor, assistanceRequests)));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw notFound('Assistance request');
  return r;
}
type RequestRow = typeof assistanceRequests.$inferSelect;

const ownsRequest = (meta: AuditMeta, r: RequestRow) =>
  meta.actor.kind === 'user' && meta.actor.memberships.some((m) => m.orgId === r.ownerOrgId && m.role !== 'observer');

export async function createAssistanceRequest(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, input: AssistanceInput) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  const orgId = input.orgId ?? a.memberships.find((m) => m.role !== 'observer')?.orgId;
  if (!orgId || !a.memberships.some((m) => m.orgId === orgId && m.role !== 'observer')) throw forbidden('Ask for help on behalf of an organisation you work in');
  return inTx(db, async (tx) => {
    const [org] = await tx.select().from(organisations).where(eq(organisations.id, orgId));
    if (!org || !(org.networkMember || org.type === 'government_agency')) throw forbidden('Assistance is requested by network teams or by government bodies');
    const marking: Marking = {
      tlp: input.tlp as Tlp, ownerOrgId: orgId, createdBy: a.userId, recipientUserIds: [],
      scope: input.audience === 'network' ? 'network' : input.audience === 'group' ? 'group' : 'orgs',
      sharingGroupId: input.audience === 'group' ? (input.sharingGroupId ?? null) : null,
      scopeOrgIds: input.audience === 'teams' ? [...new Set([orgId, ...input.teamOrgIds])] : [],
    };
    if (input.audience === 'teams' && !input.teamOrgIds.length) throw invalid('Name the teams to ask', [{ path: 'teamOrgIds', message: 'at least one team' }]);
    if (input.audience === 'group' && input.sharingGroupId && !a.groupIds.includes(input.sharingGroupId)) throw forbidden('Your organisation is not in this sharing group');
    assertMarkingCoherent(marking);
    const c = await createCase(tx, meta, deps, {
      title: input.title, description: input.whatHappened, classification: input.classification, severity: input.urgency === 'critical' ? 'critical' : input.urgency === 'high' ? 'high' : 'medium',
      tlp: input.tlp as Tlp, pap: input.pap, ownerOrgId: orgId,
    });
    const id = newId();
    const [row] = await tx.insert(assistanceRequests).values({
      id, caseId: c.id, title: input.title, whatHappened: input.whatHappened, helpKinds: input.helpKinds, urgency: input.urgency, countryCode: org.countryCode, ...marking,
    }).returning();
    await autoEntry(tx, meta, c.id, 'assistance.requested', { requestId: id, helpKinds: input.helpKinds, urgency: input.urgency, audience: input.audience });
    await appendAudit(tx, meta, { action: 'incidents.assistance.create', targetType: 'assistance_request', targetId: id, orgId, after: row });
    // Tell the audience's teams (their leads), never the requester itself.
    let audienceOrgIds: string[];
    if (marking.scope === 'network') audienceOrgIds = (await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.networkMember, true))).map((o) => o.id);
    else if (marking.scope === 'group') audienceOrgIds = (await tx.select({ id: sharingGroupMembers.orgId }).from(sharingGroupMembers).where(eq(sharingGroupMembers.groupId, marking.sharingGroupId!))).map((o) => o.id);
    else audienceOrgIds = marking.scopeOrgIds;
    await notify(tx, await peopleOf(tx, audienceOrgIds.filter((o) => o !== orgId), { roles: ['org_admin'] }), { kind: 'assistance.published', requestId: id },
      { template: assistanceEvent, vars: {}, event: ASSISTANCE_EVENTS.published, link: requestLink(deps, id) });
    return row!;
  });
}

export async function offerHelp(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, requestId: string, input: { message: string; helpKinds: string[]; orgId?: string }) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  return inTx(db, async (tx) => {
    const r = await loadRequestFor(tx, meta, requestId, true);
    const m = a.memberships.find((x) => (input.orgId ? x.orgId === input.orgId : x.networkMember) && x.role !== 'observer');
    if (!m || !m.networkMember) throw forbidden('Help is offered by network teams you work in');
    if (m.orgId === r.ownerOrgId) throw invalid('You cannot offer help to your own request', [{ path: 'orgId', message: 'the requester' }]);
    if (r.status === 'closed' || r.status === 'withdrawn') throw new DomainError('invalid_transition', `This request is ${r.status}`, { from: r.status });
    const [dup] = await tx.select({ id: assistanceOffers.id }).from(assistanceOffers).where(and(eq(assistanceOffers.requestId, requestId), eq(assistanceOffers.orgId, m.orgId)));
    if (dup) throw conflict('Your team has already offered help');
    const now = new Date();
    const [offer] = await tx.insert(assistanceOffers).values({ id: newId(), requestId, orgId: m.orgId, userId: a.userId, message: input.message, helpKinds: input.helpKinds, createdAt: now }).returning();
    if (!r.firstOfferAt) await tx.update(assistanceRequests).set({ firstOfferAt: now }).where(eq(assistanceRequests.id, requestId));
    await appendAudit(tx, meta, { action: 'incidents.assistance.offer', targetType: 'assistance_request', targetId: requestId, orgId: m.orgId, after: offer });
    await notify(tx, await peopleOf(tx, [r.ownerOrgId!], { roles: ['org_admin', 'member'] }), { kind: 'assistance.offer', requestId },
      { template: assistanceEvent, vars: {}, event: ASSISTANCE_EVENTS.offer, link: requestLink(deps, requestId) });
    return offer!;
  });
}

export async function decideOffer(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, requestId: string, offerId: string, decision: 'accept' | 'decline') {
  return inTx(db, async (tx) => {
    const r = await loadRequestFor(tx, meta, requestId, true);
    if (!ownsRequest(meta, r)) throw forbidden('The requester decides on offers');
    if (r.status === 'closed' || r.status === 'withdrawn') throw new DomainError('invalid_transition', `This request is ${r.status}`, { from: r.status });
    const [o] = await tx.select().from(assistanceOffers).where(and(eq(assistanceOffers.id, offerId), eq(assistanceOffers.requestId, requestId))).for('update');
    if (!o) throw notFound('Offer');
    if (o.status !== 'offered') throw new DomainError('invalid_transition', `This offer is already ${o.status}`, { from: o.status });
    const now = new Date();
    const [after] = await tx.update(assistanceOffers).set({ status: decision === 'accept' ? 'accepted' : 'declined', decidedAt: now }).where(eq(assistanceOffers.id, offerId)).returning();
    if (decision === 'accept') {
      await addParticipant(tx, meta, deps, r.caseId, { orgId: o.orgId, role: 'helper' }, { channelUserIds: [o.userId] });
      const c = await loadCaseFor(tx, meta.actor, r.caseId);
      if (c.status === 'new') await transitionCase(tx, meta, r.caseId, 'open');
      await tx.update(assistanceRequests).set({ status: 'in_progress', firstAcceptedAt: r.firstAcceptedAt ?? now }).where(eq(assistanceRequests.id, requestId));
      await notify(tx, await peopleOf(tx, [o.orgId], { roles: ['org_admin', 'member'] }), { kind: 'assistance.accepted', requestId, caseId: r.caseId },
        { template: assistanceEvent, vars: {}, event: ASSISTANCE_EVENTS.accepted, link: requestLink(deps, requestId) });
    }
    await appendAudit(tx, meta, { action: `incidents.assistance.offer.${decision}`, targetType: 'assistance_request', targetId: requestId, orgId: r.ownerOrgId, before: o, after });
    return after!;
  });
}

export async function closeAssistanceRequest(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, requestId: string, input: { lessonsLearned: string; rating: number }) {
  return inTx(db, async (tx) => {
    const r = await loadRequestFor(tx, meta, requestId, true);
    if (!ownsRequest(meta, r)) throw forbidden('The requester closes its request');
    if (r.status === 'closed' || r.status === 'withdrawn') throw new DomainError('invalid_transition', `This request is already ${r.status}`, { from: r.status });
    const [after] = await tx.update(assistanceRequests).set({ status: 'closed', closedAt: new Date(), lessonsLearned: input.lessonsLearned, rating: input.rating })
      .where(eq(assistanceRequests.id, requestId)).returning();
    await tx.update(assistanceOffers).set({ status: 'declined', decidedAt: new Date() }).where(and(eq(assistanceOffers.requestId, requestId), eq(assistanceOffers.status, 'offered')));
    await addNote(tx, meta, r.caseId, { body: `Lessons learned (rating ${input.rating}/5):\n\n${input.lessonsLearned}` });
    const c = await loadCaseFor(tx, meta.actor, r.caseId);
    if (c.status === 'new') await transitionCase(tx, meta, r.caseId, 'open');
    if (['new', 'open', 'contained'].includes(c.status)) await transitionCase(tx, meta, r.caseId, 'resolve');
    await appendAudit(tx, meta, { action: 'incidents.assistance.close', targetType: 'assistance_request', targetId: requestId, orgId: r.ownerOrgId, before: { status: r.status }, after: { status: 'closed', rating: input.rating } });
    const helpers = (await tx.select({ o: assistanceOffers.orgId }).from(assistanceOffers).where(and(eq(assistanceOffers.requestId, requestId), eq(assistanceOffers.status, 'accepted')))).map((x) => x.o);
    await notify(tx, await peopleOf(tx, helpers, { roles: ['org_admin', 'member'] }), { kind: 'assistance.closed', requestId, caseId: r.caseId },
      { template: assistanceEvent, vars: {}, event: ASSISTANCE_EVENTS.closed, link: requestLink(deps, requestId) });
    return after!;
  });
}

