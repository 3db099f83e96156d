/**
 * Who may do what with an organisation. Pure functions over the Actor, so that the same rules
 * produce the `policies` sent with each organisation.
 *  - member lists: the organisation's own people, network members (CSIRTs, hub) and coordinators;
 *    stakeholders see the directory (name, type, country) but not CSIRT-only details;
 *  - profile (description, website): org_admin and member — not observers;
 *  - members and invitations: org_admin, or a coordinator.
 */
import type { Actor, OrgRole } from '../core/actor.ts';
import { isNetworkMember } from '../core/actor.ts';
import { isCoordinator } from '../core/policy.ts';

export const orgRoleOf = (a: Actor, orgId: string): OrgRole | null =>
  a.kind === 'user' ? (a.memberships.find((m) => m.orgId === orgId)?.role ?? null) : null;

export const canSeeOrgDetails = (a: Actor, org: { id: string; networkMember: boolean }): boolean =>
  isCoordinator(a) || orgRoleOf(a, org.id) !== null || isNetworkMember(a);

export const canEditOrg = (a: Actor, orgId: string): boolean => {
  const r = orgRoleOf(a, orgId);
  return isCoordinator(a) || r === 'org_admin' || r === 'member';
};

export const canManageMembers = (a: Actor, orgId: string): boolean => isCoordinator(a) || orgRoleOf(a, orgId) === 'org_admin';

export const orgPolicies = (a: Actor, org: { id: string; networkMember: boolean }) => ({
  canSeeMembers: canSeeOrgDetails(a, org),
  canEdit: canEditOrg(a, org.id),
  canManageMembers: canManageMembers(a, org.id),
});
