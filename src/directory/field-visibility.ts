/**
 * Who sees which field of a directory entry. Each field carries a level:
 *   public  → anyone, including anonymous visitors (the public directory page);
 *   members → the trusted network (vetted CSIRTs and the hub) — the TLP:GREEN community;
 *   hub     → the hub staff (coordinators) only.
 * The team's own members always see their whole entry. The levels are expressed as markings and
 * decided by the foundation's `canSee`, so the directory never grows a second visibility rule.
 */
import type { Actor } from '../core/actor.ts';
import { isCoordinator } from '../core/policy.ts';
import { canSee, type Marking } from '../core/visibility.ts';

export const LEVELS = ['public', 'members', 'hub'] as const;
export type Level = (typeof LEVELS)[number];

/** Profile fields with a visibility, and their defaults (what a new entry shows). */
export const FIELD_DEFAULTS = {
  officialName: 'public',
  countries: 'public',
  established: 'public',
  website: 'public',
  roleEmail: 'public',
  phones: 'members',
  emergencyPhone: 'members',
  businessHours: 'public',
  timeZone: 'public',
  constituencyDescription: 'public',
  asns: 'members',
  ipv4: 'members',
  ipv6: 'members',
  domains: 'members',
  sectors: 'public',
  contacts: 'members',
  keys: 'public',
  lastVerified: 'members',
} as const satisfies Record<string, Level>;
export type ProfileField = keyof typeof FIELD_DEFAULTS;
export const PROFILE_FIELDS = Object.keys(FIELD_DEFAULTS) as ProfileField[];

const marking = (level: Level, orgId: string): Marking => ({
  tlp: level === 'public' ? 'clear' : level === 'members' ? 'green' : 'amber',
  scope: level === 'public' ? 'public' : level === 'members' ? 'network' : 'org',
  ownerOrgId: orgId,
  createdBy: null,
  scopeOrgIds: [],
  sharingGroupId: null,
  recipientUserIds: [],
});

export function levelVisible(actor: Actor, level: Level, orgId: string): boolean {
  // The hub staff see every level (hub ⊇ members ⊇ public).
  if (isCoordinator(actor)) return true;
  return canSee(actor, marking(level, orgId));
}

export function levelsOf(stored: unknown): Record<ProfileField, Level> {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const out = { ...FIELD_DEFAULTS } as Record<ProfileField, Level>;
  for (const f of PROFILE_FIELDS) {
    const v = s[f];
    if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v)) out[f] = v as Level;
  }
  return out;
}

/** Which profile fields this actor sees of this team's entry. */
export function visibleFields(actor: Actor, orgId: string, stored: unknown): Set<ProfileField> {
  const levels = levelsOf(stored);
  return new Set(PROFILE_FIELDS.filter((f) => levelVisible(actor, levels[f], orgId)));
}
