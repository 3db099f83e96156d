/**
 * Default deny: every route declares `config.access` (a permission, or 'public'). Routes are
 * collected as they are added and the app refuses to become ready while any lacks a declaration.
 */
import type { FastifyInstance } from 'fastify';
import { PERMISSIONS, type RouteAccess } from '../core/policy.ts';

export type DeclaredRoute = {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  /** The route validates a request body (so a body of the wrong shape must be a 400). */
  hasBody: boolean;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** 'taxii' routes answer errors with the TAXII error resource. */
    errorFormat?: 'problem' | 'taxii';
    /** A public route that acts only on a token it is given: the session is not resolved (no CSRF). */
    ignoreSession?: boolean;
    /** Raw Accept/Content-Type handling on routes that speak another media type. */
    rateLimit?: { max: number; windowMs: number };
  }
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

/** Framework-owned routes that carry no handler of ours (static docs UI assets). */
const EXEMPT_PREFIXES = ['/api/docs'];

export function installRouteRegistry(app: FastifyInstance): void {
  app.decorate('declaredRoutes', [] as DeclaredRoute[]);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      if (method === 'HEAD' && !r.config?.access) continue; // fastify's automatic HEAD twin of a GET
      app.declaredRoutes.push({ method, url: r.url, access: r.config?.access, hasBody: !!r.schema?.body });
    }
  });
  app.addHook('onReady', async () => assertRoutesDeclared(app.declaredRoutes));
}

export class UndeclaredRouteError extends Error {
  constructor(public readonly routes: DeclaredRoute[]) {
    super(`Routes without a declared permission (config.access): ${routes.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  }
}

export function assertRoutesDeclared(routes: DeclaredRoute[]): void {
  const bad = routes.filter(
    (r) =>
      !EXEMPT_PREFIXES.some((p) => r.url === p || r.url.startsWith(`${p}/`)) &&
      (!r.access || !(PERMISSIONS as readonly string[]).includes(r.access.permission)),
  );
  if (bad.length) throw new UndeclaredRouteError(bad);
}
