/**
 * Central default-deny policy. Every route declares a Permission (or 'public'); the edge calls
 * `authorize` before the handler. Domain code calls `assertCan` for resource-level checks.
 */
import type { Actor } from './actor.ts';
import { isNetworkMember } from './actor.ts';
import { DomainError, forbidden, unauthenticated } from './errors.ts';

/** Route-level permissions, from widest to narrowest. */
export const PERMISSIONS = ['public', 'authenticated', 'network', 'coordinator', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** API token scopes. A token acts with the user's rights, narrowed to these scopes. */
export const TOKEN_SCOPES = ['read', 'write', 'intel:read', 'intel:write', 'taxii', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type RouteAccess = { permission: Permission; scope?: TokenScope };

export function isAdmin(a: Actor): boolean {
  return a.kind === 'system' || (a.kind === 'user' && a.platformRole === 'administrator');
}
export function isCoordinator(a: Actor): boolean {
  return isAdmin(a) || (a.kind === 'user' && a.platformRole === 'coordinator');
}

export function hasPermission(a: Actor, p: Permission): boolean {
  switch (p) {
    case 'public':
      return true;
    case 'authenticated':
      return a.kind !== 'anonymous';
    case 'network':
      return a.kind === 'system' || isNetworkMember(a) || isCoordinator(a);
    case 'coordinator':
      return isCoordinator(a);
    case 'admin':
      return isAdmin(a);
  }
}

/** Throws unauthenticated/forbidden unless the actor may use a route with this access rule. */
export function authorize(a: Actor, access: RouteAccess, method: string): void {
  if (access.permission === 'public') return;
  if (a.kind === 'anonymous') throw unauthenticated();
  if (!hasPermission(a, access.permission)) throw forbidden();
  if (a.kind === 'user' && a.via === 'token') {
    const needed: TokenScope = access.scope ?? (isSafeMethod(method) ? 'read' : 'write');
    const scopes = a.scopes ?? [];
    if (!scopes.includes(needed) && !(needed === 'read' && scopes.includes('write'))) {
      throw new DomainError('forbidden', `This API token lacks the scope "${needed}"`, { requiredScope: needed });
    }
  }
}

export const isSafeMethod = (m: string) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS';

export function assertCan(allowed: boolean, message?: string): void {
  if (!allowed) throw forbidden(message);
}
