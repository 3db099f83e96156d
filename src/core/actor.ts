/**
 * Who is acting. Resolved once per request (or job) from the session, API token or system context,
 * with everything the visibility function needs so that it never has to look up more.
 */
export type PlatformRole = 'administrator' | 'coordinator';
export type OrgRole = 'org_admin' | 'member' | 'observer';

export type Membership = { orgId: string; role: OrgRole; networkMember: boolean; countryCode: string | null };

export type UserActor = {
  kind: 'user';
  userId: string;
  email: string;
  platformRole: PlatformRole | null;
  memberships: Membership[];
  /** Sharing groups any of the actor's organisations belongs to. */
  groupIds: string[];
  locale: string;
  via: 'session' | 'token';
  sessionId?: string;
  /** Set when authenticated by an API token: the scopes it grants (a subset of the user's rights). */
  scopes?: string[];
  tokenId?: string;
  /**
   * The user has a confirmed second factor (TOTP), loaded with the Actor so that the enrolment
   * gate needs no query per request; enrolling or removing it calls authChanged.
   */
  hasTotp?: boolean;
};

export type Actor =
  | { kind: 'anonymous' }
  | UserActor
  | { kind: 'system'; reason: string };

export const anonymous: Actor = Object.freeze({ kind: 'anonymous' });
export const system = (reason: string): Actor => ({ kind: 'system', reason });

export const orgIdsOf = (a: Actor): string[] => (a.kind === 'user' ? a.memberships.map((m) => m.orgId) : []);

/** In the trusted network (the TLP:GREEN community): belongs to a vetted CSIRT or hub organisation. */
export const isNetworkMember = (a: Actor): boolean =>
  a.kind === 'user' && a.memberships.some((m) => m.networkMember);

export const userIdOf = (a: Actor): string | null => (a.kind === 'user' ? a.userId : null);
