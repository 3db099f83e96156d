/**
 * Reading assistance requests (through `visibleTo`), their offers (the requester sees every offer;
 * a helper team sees its own), timers, and the hub's yearly statistics per country.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { visibleTo } from '../core/visibility.ts';
import { organisations, users } from '../core/tables.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { assistanceOffers, assistanceRequests } from './tables.ts';

const seconds = (from: Date, to: Date | null) => (to ? Math.round((to.getTime() - from.getTime()) / 1000) : null);

export function timersOf(r: { createdAt: Date; firstOfferAt: Date | null; firstAcceptedAt: Date | null }) {
  return { timeToFirstOfferSeconds: seconds(r.createdAt, r.firstOfferAt), timeToAcceptanceSeconds: seconds(r.createdAt, r.firstAcceptedAt) };
}

export async function listRequests(db: DbOrTx, actor: Actor, f: { status?: string; limit: number; offset: number }) {
  const items = await db.select({
    id: assistanceRequests.id, title: assistanceRequests.title, status: assistanceRequests.status, urgency: assistanceRequests.urgency,
    helpKinds: assistanceRequests.helpKinds, tlp: assistanceRequests.tlp, countryCode: assistanceRequests.countryCode, createdAt: assistanceRequests.createdAt,
    firstOfferAt: assistanceRequests.firstOfferAt, firstAcceptedAt: assistanceRequests.firstAcceptedAt, ownerOrgId: assistanceRequests.ownerOrgId, requesterName: organisations.name,
    offers: sql<number>`(SELECT count(*)::int FROM assistance_offers o WHERE o.request_id = ${assistanceRequests.id})`,
  }).from(assistanceRequests).leftJoin(organisations, eq(organisations.id, assistanceRequests.ownerOrgId))
    .where(and(visibleTo(actor, assistanceRequests), f.status ? eq(assistanceRequests.status, f.status) : undefined))
    .orderBy(desc(assistanceRequests.createdAt)).limit(f.limit).offset(f.offset);
  return items.map((r) => ({ ...r, ...timersOf(r) }));
}

export async function getRequest(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await db.select().from(assistanceRequests).where(and(eq(assistanceRequests.id, id), visibleTo(actor, assistanceRequests)));
  if (!r) throw notFound('Assistance request');
  const myOrgs = actor.kind === 'user' ? actor.memberships.map((m) => m.orgId) : [];
  const owner = actor.kind === 'system' || myOrgs.includes(r.ownerOrgId!);
  const offers = await db.select({
    id: assistanceOffers.id, orgId: assistanceOffers.orgId, orgName: organisations.name, countryCode: organisations.countryCode, userName: users.displayName,
    message: assistanceOffers.message, helpKinds: assistanceOffers.helpKinds, status: assistanceOffers.status, createdAt: assistanceOffers.createdAt, decidedAt: assistanceOffers.decidedAt,
  }).from(assistanceOffers).innerJoin(organisations, eq(organisations.id, assistanceOffers.orgId)).innerJoin(users, eq(users.id, assistanceOffers.userId))
    .where(and(eq(assistanceOffers.requestId, id), owner ? undefined : sql`${assistanceOffers.orgId} = ANY(${`{${myOrgs.join(',')}}`}::uuid[])`))
    .orderBy(asc(assistanceOffers.createdAt));
  const [requester] = await db.select({ id: organisations.id, name: organisations.name, type: organisations.type, countryCode: organisations.countryCode })
    .from(organisations).where(eq(organisations.id, r.ownerOrgId!));
  const canOffer = actor.kind === 'user' && !owner && (r.status === 'open' || r.status === 'in_progress')
    && actor.memberships.some((m) => m.networkMember && m.role !== 'observer') && !offers.length;
  return { ...r, requester, offers, ...timersOf(r), permissions: { owner, canOffer } };
}

/**
 * Yearly statistics per requesting country (hub staff). Aggregates only — counts, medians of the
 * timers, mean rating — never a request's content, so no marking is read.
 */
export async function yearlyStats(db: DbOrTx, year: number) {
  const from = new Date(Date.UTC(year, 0, 1));
  const to = new Date(Date.UTC(year + 1, 0, 1));
  const byCountry = await rows<Record<string, unknown>>(db, sql`
    SELECT coalesce(r.country_code, '??') AS country, count(*)::int AS requests,
      count(r.first_offer_at)::int AS with_offer, count(r.first_accepted_at)::int AS accepted, count(r.closed_at)::int AS closed,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_offer_at - r.created_at)) AS median_first_offer_seconds,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_accepted_at - r.created_at)) AS median_acceptance_seconds,
      avg(r.rating)::float AS mean_rating
    FROM assistance_requests r WHERE r.created_at >= ${from} AND r.created_at < ${to}
    GROUP BY 1 ORDER BY 2 DESC, 1`);
  const helpers = await rows<Record<string, unknown>>(db, sql`
    SELECT coalesce(o2.country_code, '??') AS country, count(*)::int AS offers, count(*) FILTER (WHERE o.status = 'accepted')::int AS accepted
    FROM assistance_offers o JOIN assistance_requests r ON r.id = o.request_id JOIN organisations o2 ON o2.id = o.org_id
    WHERE r.created_at >= ${from} AND r.created_at < ${to} GROUP BY 1 ORDER BY 2 DESC, 1`);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    year,
    requestingCountries: byCountry.map((r) => ({
      country: r.country as string, requests: num(r.requests), withOffer: num(r.with_offer), accepted: num(r.accepted), closed: num(r.closed),
      medianFirstOfferSeconds: num(r.median_first_offer_seconds), medianAcceptanceSeconds: num(r.median_acceptance_seconds), meanRating: num(r.mean_rating),
    })),
    helpingCountries: helpers.map((h) => ({ country: h.country as string, offers: num(h.offers), accepted: num(h.accepted) })),
  };
}
