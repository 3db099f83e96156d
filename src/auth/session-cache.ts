/**
 * Per-node cache of resolved sessions (cookie → session → Actor), so that an authenticated request
 * costs no database round trip most of the time. Authorisation must never outlive a change, so:
 *
 * - An entry is kept at most SESSION_CACHE_TTL_MS (5 s), never past the session's expiry, and is
 *   re-read once its last-seen time is older than SESSION_SLIDE_MS, so the expiry keeps sliding
 *   and last-seen stays as exact as without the cache (the re-read slides it).
 * - Every change of who a session's Actor is calls `authChanged` (auth-changes.ts) in its
 *   transaction. On this node the target is marked "changing" at once: entries are dropped and
 *   nothing is cached or served for it until the bus notice arrives after commit (or, if the
 *   transaction rolled back and no notice comes, PENDING_MAX_MS has passed). Other nodes drop their
 *   entries when the notice arrives (milliseconds after commit).
 * - A load that was running while any change happened is used for its own request but not cached.
 * - If a notice is lost (the LISTEN connection of a PostgreSQL node was down), the cache is cleared
 *   when that connection is back (the bus's gap signal, wired in src/http/app.ts), and an entry
 *   never outlives the TTL meanwhile: that is the bound on stale authorisation on another node.
 *
 * Negative results (unknown, revoked, expired session) are not cached. Every request gets its own
 * copy of the Actor.
 */
import { sha256 } from '../core/ids.ts';
import type { Db } from '../db/client.ts';
import { localListeners, parseAuthNotice, type AuthChange, type AuthChangeListener } from './auth-changes.ts';
import { loadSession, SESSION_SLIDE_MS, type LiveSession } from './sessions.ts';

export const SESSION_CACHE_TTL_MS = 5_000;
/** How long a local "changing" mark waits for its notice before it is dropped (rolled-back change). */
export const PENDING_MAX_MS = 60_000;
const MAX_ENTRIES = 20_000;

type Entry = LiveSession & { until: number; orgIds: string[] };

export class SessionCache implements AuthChangeListener {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, AuthChange & { until: number }>();
  private epoch = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = opts.ttlMs ?? SESSION_CACHE_TTL_MS;
    this.now = opts.now ?? Date.now;
    localListeners.add(this);
  }

  close(): void {
    localListeners.delete(this);
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live session of a cookie value with its Actor; null when there is none (never cached). */
  async resolve(db: Db, value: string): Promise<LiveSession | null> {
    const id = sha256(value);
    const now = this.now();
    const hit = this.entries.get(id);
    if (hit) {
      if (hit.until > now && hit.expiresAt > now && now - hit.lastSeenAt <= SESSION_SLIDE_MS && !this.isPending(hit, now)) return withOwnActor(hit);
      this.entries.delete(id);
    }
    const epoch = this.epoch;
    const s = await loadSession(db, value, now);
    if (!s || this.ttlMs <= 0) return s;
    const entry: Entry = { ...withOwnActor(s), until: this.now() + this.ttlMs, orgIds: s.actor.memberships.map((m) => m.orgId) };
    if (epoch === this.epoch && !this.isPending(entry, this.now())) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(id, entry);
    }
    return s;
  }

  /** A change is being made on this node (inside its transaction). */
  changing(change: AuthChange): void {
    this.pending.set(change.nonce, { ...change, until: this.now() + PENDING_MAX_MS });
    this.drop(change);
  }

  /** A bus message: a change committed on this node or another one. */
  notice(msg: { topic: string; id: string; scope?: string }): void {
    const change = parseAuthNotice(msg);
    if (!change) return;
    this.pending.delete(change.nonce);
    this.drop(change);
  }

  /** Forget everything (e.g. the bus connection was lost and notices may have been missed). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  private drop(change: AuthChange): void {
    this.epoch++;
    if (change.scope === 'all') {
      this.entries.clear();
      return;
    }
    if (change.scope === 'session') {
      this.entries.delete(change.id);
      return;
    }
    for (const [k, e] of this.entries) if (matches(e, change)) this.entries.delete(k);
  }

  private isPending(e: Entry, now: number): boolean {
    if (this.pending.size === 0) return false;
    for (const [k, p] of this.pending) {
      if (p.until <= now) this.pending.delete(k);
      else if (matches(e, p)) return true;
    }
    return false;
  }
}

/** Each request gets its own Actor, so nothing a request does to it can reach the cached one. */
function withOwnActor(s: LiveSession): LiveSession {
  const a = s.actor;
  return {
    id: s.id, userId: s.userId, csrfToken: s.csrfToken, expiresAt: s.expiresAt, lastSeenAt: s.lastSeenAt,
    actor: { ...a, memberships: a.memberships.map((m) => ({ ...m })), groupIds: [...a.groupIds] },
  };
}

function matches(e: Entry, c: AuthChange): boolean {
  switch (c.scope) {
    case 'all': return true;
    case 'session': return e.id === c.id;
    case 'user': return e.userId === c.id;
    case 'org': return e.orgIds.includes(c.id);
  }
}
