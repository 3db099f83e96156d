/** Test-only helpers for the TAXII, correlation and lookup tests: STIX objects, TAXII requests, organisations in a sharing group. */
import { createApiToken } from '../../auth/tokens.ts';
import { newId } from '../../core/ids.ts';
import type { TokenScope } from '../../core/policy.ts';
import { sharingGroupMembers, sharingGroups } from '../../core/tables.ts';
import type { DbOrTx } from '../../db/client.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../../core/tlp.ts';

export const TAXII = 'application/taxii+json;version=2.1';
export const ROOT = '/taxii2/hemisphere';

export const stixId = (type: string) => `${type}--${crypto.randomUUID()}`;

export function indicator(opts: { id?: string; value?: string; kind?: 'ipv4-addr' | 'domain-name' | 'url'; modified?: string; tlp?: Tlp; name?: string } = {}) {
  const created = '2024-01-01T00:00:00.000Z';
  const kind = opts.kind ?? 'ipv4-addr';
  const value = opts.value ?? `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  return {
    type: 'indicator', spec_version: '2.1', id: opts.id ?? stixId('indicator'), created, modified: opts.modified ?? created,
    name: opts.name ?? `Indicator ${value}`, pattern: `[${kind}:value = '${value}']`, pattern_type: 'stix', valid_from: created,
    ...(opts.tlp ? { object_marking_refs: [TLP2_MARKING_IDS[opts.tlp]] } : {}),
  };
}

export async function tokenFor(db: DbOrTx, userId: string, scopes: TokenScope[] = ['taxii', 'intel:write', 'intel:read']): Promise<string> {
  return (await createApiToken(db, { userId, name: `test ${scopes.join(' ')}`, scopes })).token;
}

export async function sharingGroupOf(db: DbOrTx, name: string, orgIds: string[]): Promise<string> {
  const id = newId();
  await db.insert(sharingGroups).values({ id, name });
  if (orgIds.length) await db.insert(sharingGroupMembers).values(orgIds.map((orgId) => ({ groupId: id, orgId })));
  return id;
}

/** fetch against a TAXII server with a token (Bearer by default, Basic on request). */
export function taxiiClient(baseUrl: string, token: string | null, how: 'bearer' | 'basic' = 'bearer') {
  return (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { accept: TAXII, ...init.headers };
    if (token) headers.authorization = how === 'bearer' ? `Bearer ${token}` : `Basic ${Buffer.from(`taxii-client:${token}`).toString('base64')}`;
    if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = TAXII;
    return fetch(`${baseUrl}${path}`, { method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers, body: init.body });
  };
}

export const envelopeOf = (objects: unknown[]) => JSON.stringify({ objects });
