/**
 * "Who this session's Actor is has changed": every command that revokes a session, changes a user's
 * account fields carried by the Actor, a membership or its role, or a sharing group's member
 * organisations calls `authChanged(tx, scope, id)` inside its transaction. It publishes a bus notice
 * (delivered on commit, to every node) and, on this node, immediately marks the target as changing,
 * so the session cache of this process serves nothing for it until the notice arrives after commit
 * (or the transaction is long over): the very next request on this node re-reads the database.
 *
 * Scopes: 'session' (a session id), 'user' (every session of a user), 'org' (every member of an
 * organisation), 'all' (everything, e.g. a sharing group deleted).
 */
import { publish } from '../core/bus.ts';
import { randomSecret } from '../core/ids.ts';
import type { DbOrTx } from '../db/client.ts';

export const AUTH_TOPIC = 'auth.changed';
export type AuthScope = 'session' | 'user' | 'org' | 'all';
export type AuthChange = { scope: AuthScope; id: string; nonce: string };

/** The session caches of this process (one per running app). */
export interface AuthChangeListener {
  /** Called inside the changing transaction, before it commits. */
  changing(change: AuthChange): void;
}
export const localListeners = new Set<AuthChangeListener>();

export async function authChanged(tx: DbOrTx, scope: AuthScope, id: string): Promise<void> {
  const change: AuthChange = { scope, id, nonce: randomSecret(9) };
  for (const l of localListeners) l.changing(change);
  await publish(tx, { topic: AUTH_TOPIC, id, scope: `${scope} ${change.nonce}` });
}

/** The change a bus message carries, or null when it is not one. */
export function parseAuthNotice(msg: { topic: string; id: string; scope?: string }): AuthChange | null {
  if (msg.topic !== AUTH_TOPIC || !msg.scope) return null;
  const [scope, nonce] = msg.scope.split(' ');
  if (scope !== 'session' && scope !== 'user' && scope !== 'org' && scope !== 'all') return null;
  return { scope, id: msg.id, nonce: nonce ?? '' };
}
