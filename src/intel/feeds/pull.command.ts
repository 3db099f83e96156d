/**
 * Pulling one remote feed. TAXII 2.1: GET <collection>/objects/?added_after=<cursor>, every page
 * (`next`) up to a bound, each page's objects through the store's ingest (original text kept);
 * the cursor moves to the page's X-TAXII-Date-Added-Last only after the page is stored. MISP:
 * GET manifest.json, then each event whose manifest timestamp is newer than the one pulled last
 * (checked against `integrity:sha256` when the manifest gives it), imported with the MISP importer.
 *
 * A pull holds a lease on the feed row (several nodes may schedule); its outcome (last success,
 * last error, objects added) is written to the row and audited; failures back off exponentially.
 * Everything a hostile feed can do ends as an error on that feed only.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { feedContext } from './feeds.command.ts';
import { system } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit.ts';
import { inTx } from '../../core/context.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import { tlpFromMarkingRefs, type Tlp } from '../../core/tlp.ts';
import type { Scope } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { indexNewObjects } from '../correlation/index.command.ts';
import { ingestBundle } from '../ingest.command.ts';
import { eventsOfDocument, importMispEvent } from '../misp/import.command.ts';
import { sha256Hex } from '../misp/feed-export.query.ts';
import { feedError, jsonOf, safeFetch, type FetchLimits } from './safe-fetch.ts';

export type FeedRow = {
  id: string; org_id: string; name: string; kind: 'taxii' | 'misp'; url: string; authorization: string | null; tlp_default: Tlp;
  scope: Scope; sharing_group_id: string | null; scope_org_ids: string[]; interval_minutes: number; cursor: unknown;
  failures: number; created_by: string | null;
};
export type PullOutcome = { ok: boolean; added: number; error: string | null; details: string[] };

const TAXII_ACCEPT = 'application/taxii+json;version=2.1';
const MAX_PAGES_PER_PULL = 200;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LEASE_MINUTES = 15;

const dirUrl = (u: string) => (u.endsWith('/') ? u : `${u}/`);
/** A TAXII envelope's objects as a bundle for the store's ingest. */
async function* asBundle(objects: unknown[]): AsyncGenerator<string> {
  yield `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`;
  for (let i = 0; i < objects.length; i++) yield (i ? ',' : '') + JSON.stringify(objects[i]);
  yield ']}';
}

function ingestOpts(f: FeedRow) {
  return {
    ownerOrgId: f.org_id, scope: f.scope, tlpDefault: f.tlp_default, sharingGroupId: f.sharing_group_id,
    scopeOrgIds: f.scope_org_ids, recipientUserIds: f.created_by ? [f.created_by] : undefined,
  };
}

/**
 * TLP:AMBER and AMBER+STRICT on a remote object name the recipient organisation — here the
 * subscribing one — so such objects are stored for that organisation only, whatever wider scope
 * (network, group, named organisations) the feed shares its other objects with. TLP:RED goes to the
 * feed's creator only (ingest's RED rule); CLEAR and GREEN take the feed's scope.
 */
const ORG_ONLY_TLPS: readonly Tlp[] = ['amber', 'amber+strict'];
function ownTlp(o: unknown): Tlp | undefined {
  const refs = o && typeof o === 'object' ? (o as { object_marking_refs?: unknown }).object_marking_refs : undefined;
  return Array.isArray(refs) ? tlpFromMarkingRefs(refs.filter((r): r is string => typeof r === 'string')) : undefined;
}
export function splitByRecipientScope(f: Pick<FeedRow, 'scope'>, objects: unknown[]): { feedScope: unknown[]; orgOnly: unknown[] } {
  if (f.scope === 'org') return { feedScope: objects, orgOnly: [] };
  const feedScope: unknown[] = [];
  const orgOnly: unknown[] = [];
  for (const o of objects) {
    const t = ownTlp(o);
    (t && ORG_ONLY_TLPS.includes(t) ? orgOnly : feedScope).push(o);
  }
  return { feedScope, orgOnly };
}
const orgOnlyOpts = (f: FeedRow) => ({ ...ingestOpts(f), scope: 'org' as Scope, sharingGroupId: null, scopeOrgIds: [] });

async function pullTaxii(db: DbOrTx, f: FeedRow, limits: FetchLimits, headers: Record<string, string>): Promise<{ added: number; cursor: unknown; details: string[] }> {
  let cursor = typeof f.cursor === 'string' ? f.cursor : null;
  let added = 0;
  let next: string | null = null;
  const details: string[] = [];
  const meta = { actor: system(`feed ${f.id}`) };
  for (let page = 0; page < MAX_PAGES_PER_PULL; page++) {
    const q = new URLSearchParams({ limit: '500' });
    if (next) q.set('next', next);
    else if (cursor) q.set('added_after', cursor);
    const res = await safeFetch(`${dirUrl(f.url)}objects/?${q}`, { accept: TAXII_ACCEPT, ...headers }, limits);
    const env = jsonOf(res) as { objects?: unknown; more?: unknown; next?: unknown };
    if (!env || typeof env !== 'object' || Array.isArray(env)) throw feedError('Not a TAXII envelope');
    if (env.objects !== undefined && !Array.isArray(env.objects)) throw feedError('Not a TAXII envelope: objects is not a list');
    if (Array.isArray(env.objects) && env.objects.length) {
      const { feedScope, orgOnly } = splitByRecipientScope(f, env.objects);
      let rejected = 0;
      for (const [objects, opts] of [[feedScope, ingestOpts(f)], [orgOnly, orgOnlyOpts(f)]] as const) {
        if (!objects.length) continue;
        const report = await ingestBundle(db, meta, asBundle(objects), { ...opts, maxReportEntries: 20 });
        added += report.counts.added;
        rejected += report.counts.rejected;
      }
      if (rejected) details.push(`${rejected} object(s) rejected on page ${page + 1}`);
    }
    const last = res.headers['x-taxii-date-added-last'];
    if (typeof last === 'string' && /^\d{4}-\d\d-\d\dT/.test(last)) cursor = last;
    if (env.more === true && typeof env.next === 'string' && env.next.length < 500) next = env.next;
    else break;
  }
  return { added, cursor, details };
}

async function pullMisp(db: DbOrTx, f: FeedRow, limits: FetchLimits, headers: Record<string, string>): Promise<{ added: number; cursor: unknown; details: string[] }> {
  const seen: Record<string, number> = f.cursor && typeof f.cursor === 'object' ? { ...(f.cursor as Record<string, number>) } : {};
  const manifest = jsonOf(await safeFetch(`${dirUrl(f.url)}manifest.json`, { accept: 'application/json', ...headers }, limits));
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw feedError('Not a MISP feed manifest');
  let added = 0;
  const details: string[] = [];
  const meta = { actor: system(`feed ${f.id}`) };
  const entries = Object.entries(manifest as Record<string, Record<string, unknown>>)
    .filter(([uuid, e]) => UUID_RE.test(uuid) && e && typeof e === 'object' && Number(e.timestamp) > (seen[uuid.toLowerCase()] ?? -1))
    .sort((a, b) => Number(a[1].timestamp) - Number(b[1].timestamp));
  for (const [uuid, entry] of entries) {
    try {
      const res = await safeFetch(`${dirUrl(f.url)}${uuid.toLowerCase()}.json`, { accept: 'application/json', ...headers }, limits);
      const want = entry['integrity:sha256'];
      if (typeof want === 'string' && want.toLowerCase() !== sha256Hex(res.body)) throw feedError(`integrity:sha256 mismatch for ${uuid}`);
      const events = eventsOfDocument(jsonOf(res));
      for (const ev of events) {
        const r = await importMispEvent(db, meta, ev, { ...ingestOpts(f), source: `feed:${f.id}`, skipIndex: true, received: true });
        added += r.stored.added;
        if (r.stored.rejected) details.push(`${uuid}: ${r.stored.rejected} object(s) rejected`);
      }
      seen[uuid.toLowerCase()] = Number(entry.timestamp);
    } catch (err) {
      details.push(`${uuid}: ${(err as Error).message}`);
    }
  }
  const failed = details.filter((d) => !d.includes('rejected')).length;
  if (failed && failed === entries.length) throw feedError(details[0]!);
  return { added, cursor: seen, details };
}

/** Pull one feed now (if no other pull holds it). */
export async function pullFeed(db: DbOrTx, box: SecretBox, feedId: string, limits: FetchLimits): Promise<PullOutcome> {
  const [f] = await rows<FeedRow>(db, sql`
    UPDATE intel_feeds SET lease_until = now() + make_interval(mins => ${LEASE_MINUTES}), last_attempt_at = now()
    WHERE id = ${feedId}::uuid AND (lease_until IS NULL OR lease_until < now())
    RETURNING id, org_id, name, kind, url, "authorization", tlp_default, scope, sharing_group_id, scope_org_ids, interval_minutes, cursor, failures, created_by`);
  if (!f) {
    const [exists] = await rows<{ id: string }>(db, sql`SELECT id FROM intel_feeds WHERE id = ${feedId}::uuid`);
    if (!exists) throw notFound('Feed');
    return { ok: false, added: 0, error: 'A pull of this feed is already running', details: [] };
  }
  const headers: Record<string, string> = f.authorization ? { authorization: box.open(f.authorization, feedContext(f.id)) } : {};
  let out: PullOutcome;
  let cursor: unknown = f.cursor;
  try {
    const r = f.kind === 'taxii' ? await pullTaxii(db, f, limits, headers) : await pullMisp(db, f, limits, headers);
    cursor = r.cursor;
    await indexNewObjects(db);
    out = { ok: true, added: r.added, error: r.details.length ? r.details.slice(0, 5).join('; ').slice(0, 1000) : null, details: r.details };
  } catch (err) {
    const msg = err instanceof DomainError ? err.message : `Unexpected failure: ${(err as Error).message}`;
    out = { ok: false, added: 0, error: msg.slice(0, 1000), details: [] };
  }
  await inTx(db, async (tx) => {
    if (out.ok) {
      await tx.execute(sql`UPDATE intel_feeds SET lease_until = NULL, failures = 0, cursor = ${JSON.stringify(cursor ?? null)}::jsonb,
        last_success_at = now(), last_added = ${out.added}, total_added = total_added + ${out.added},
        last_error = ${out.error}, last_error_at = CASE WHEN ${out.error}::text IS NULL THEN last_error_at ELSE now() END,
        next_pull_at = now() + make_interval(mins => interval_minutes) WHERE id = ${f.id}::uuid`);
    } else {
      // Backoff: 1, 2, 4 … minutes after consecutive failures, never later than the feed's interval.
      const backoff = Math.min(f.interval_minutes, 2 ** Math.min(f.failures, 16));
      await tx.execute(sql`UPDATE intel_feeds SET lease_until = NULL, failures = failures + 1, last_error = ${out.error}, last_error_at = now(),
        last_added = 0, next_pull_at = now() + make_interval(mins => ${backoff}) WHERE id = ${f.id}::uuid`);
    }
    await appendAudit(tx, { actor: system(`feed ${f.id}`) }, {
      action: out.ok ? 'intel.feed_pulled' : 'intel.feed_pull_failed', targetType: 'intel_feed', targetId: f.id, orgId: f.org_id,
      after: { added: out.added, error: out.error },
    });
  });
  return out;
}

/** Feeds due a scheduled pull, oldest due first. */
export async function dueFeeds(db: DbOrTx, limit = 10): Promise<string[]> {
  const found = await rows<{ id: string }>(db, sql`
    SELECT id FROM intel_feeds WHERE enabled AND next_pull_at <= now() AND (lease_until IS NULL OR lease_until < now())
    ORDER BY next_pull_at LIMIT ${limit}`);
  return found.map((r) => r.id);
}
