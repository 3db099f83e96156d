/**
 * Reading applications: coordinators see all, a national point of contact those of its countries;
 * the applicant sees where its own stands through the status link (token), without an account.
 */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { sha256 } from '../core/ids.ts';
import { isCoordinator } from '../core/policy.ts';
import type { DbOrTx } from '../db/client.ts';
import type { BlobStore } from '../blobs/store.ts';
import { pocCountriesOf } from '../orgs/contacts.query.ts';
import { applications } from './tables.ts';

type App = typeof applications.$inferSelect;

export function applicationPolicies(actor: Actor, app: App, pocCountries: string[]) {
  const poc = pocCountries.includes(app.countryCode);
  const pocStep = app.status === 'submitted' && app.route === 'poc';
  const coordStep = app.status === 'validated' || (app.status === 'submitted' && app.route === 'coordinator');
  return {
    canValidate: poc && pocStep, canDecline: poc && pocStep,
    canApprove: isCoordinator(actor) && coordStep, canReject: isCoordinator(actor) && coordStep,
  };
}

/** Whose turn it is. */
export const nextActor = (app: App): 'national_point_of_contact' | 'coordinator' | null =>
  app.status === 'submitted' && app.route === 'poc' ? 'national_point_of_contact'
    : app.status === 'validated' || app.status === 'submitted' ? 'coordinator' : null;

function present(actor: Actor, app: App, pocCountries: string[]) {
  const { statusTokenHash: _t, ...rest } = app;
  return { ...rest, nextActor: nextActor(app), policies: applicationPolicies(actor, app, pocCountries) };
}

async function scopeOf(db: DbOrTx, actor: Actor): Promise<{ all: boolean; countries: string[] }> {
  const countries = actor.kind === 'user' ? await pocCountriesOf(db, actor.userId) : [];
  return { all: isCoordinator(actor), countries };
}

export async function listApplications(db: DbOrTx, actor: Actor, f: { status?: string; kind?: string }) {
  const s = await scopeOf(db, actor);
  if (!s.all && s.countries.length === 0) return [];
  const conds: SQL[] = [];
  if (!s.all) conds.push(inArray(applications.countryCode, s.countries), eq(applications.kind, 'membership'));
  if (f.status) conds.push(eq(applications.status, f.status));
  if (f.kind) conds.push(eq(applications.kind, f.kind));
  const list = await db.select().from(applications).where(and(...conds)).orderBy(desc(applications.createdAt));
  return list.map((a) => present(actor, a, s.countries));
}

async function readable(db: DbOrTx, actor: Actor, id: string) {
  const [app] = await db.select().from(applications).where(eq(applications.id, id));
  const s = await scopeOf(db, actor);
  if (!app || !(s.all || (app.kind === 'membership' && s.countries.includes(app.countryCode)))) throw notFound('Application');
  return { app, s };
}

export async function getApplication(db: DbOrTx, actor: Actor, id: string) {
  const { app, s } = await readable(db, actor, id);
  return present(actor, app, s.countries);
}

export async function readMandate(db: DbOrTx, blobs: BlobStore, actor: Actor, id: string) {
  const { app } = await readable(db, actor, id);
  if (!app.mandateSha256) throw notFound('Mandate document');
  const data = await blobs.get(app.mandateSha256);
  if (!data) throw notFound('Mandate document');
  return { data, filename: app.mandateFilename ?? 'mandate', contentType: app.mandateContentType ?? 'application/octet-stream' };
}

/** The applicant's view: status, whose turn, reasons of a refusal. Nothing about who decided. */
export async function applicationStatusByToken(db: DbOrTx, token: string) {
  const [app] = await db.select().from(applications).where(eq(applications.statusTokenHash, sha256(token)));
  if (!app) throw notFound('Application');
  return {
    id: app.id, kind: app.kind, orgName: app.orgName, countryCode: app.countryCode, status: app.status, nextActor: nextActor(app),
    submittedAt: app.createdAt, updatedAt: app.updatedAt,
    steps: {
      pointOfContact: app.route === 'poc'
        ? { decision: app.status === 'declined' ? 'declined' : app.pocDecisionAt ? 'validated' : null, at: app.pocDecisionAt, reason: app.pocReason }
        : null,
      coordinator: { decision: app.coordinatorDecisionAt ? app.status : null, at: app.coordinatorDecisionAt, reason: app.coordinatorReason },
    },
  };
}
