/**
 * Builds the HTTP edge: validation (zod), actor resolution, default-deny authorisation, CSRF,
 * problem+json errors, OpenAPI, operations endpoints, and every module's routes.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Actor } from '../core/actor.ts';
import { anonymous } from '../core/actor.ts';
import { DomainError } from '../core/errors.ts';
import { authorize, isSafeMethod } from '../core/policy.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { EventBus } from '../core/bus.ts';
import { installErrorMapper } from './errors.ts';
import { installRouteRegistry } from './routes-registry.ts';
import { resolveActor } from './resolve-actor.ts';
import { AUTH_TOPIC } from '../auth/auth-changes.ts';
import { SessionCache } from '../auth/session-cache.ts';
import { opsRoutes } from './ops.routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { adminRoutes } from '../admin/routes.ts';
import { httpMetrics } from './metrics.ts';
import { wsRoutes } from './ws.routes.ts';
import { messagingRoutes } from '../messaging/routes.ts';
import { staticRoutes } from './static.ts';
import { orgRoutes } from '../orgs/routes.ts';
import { membershipRoutes } from '../membership/routes.ts';
import { taxiiRoutes } from '../intel/taxii/routes.ts';
import { intelCorrelationRoutes } from '../intel/correlation/routes.ts';
import { mispRoutes } from '../intel/misp/routes.ts';
import { feedRoutes } from '../intel/feeds/routes.ts';
import { incidentRoutes } from '../incidents/routes.ts';
import { taxiiCollectionRoutes } from '../intel/taxii/collections.routes.ts';
import { advisoryRoutes } from '../advisories/routes.ts';
import { csafProviderRoutes } from '../advisories/provider.routes.ts';
import { reportRoutes } from '../reports/routes.ts';
import { cryptoRoutes } from '../crypto/routes.ts';
import { directoryRoutes } from '../directory/routes.ts';
import { mailingRoutes } from '../mailing/routes.ts';
import { intelRoutes } from '../intel/routes.ts';

export type AppDeps = { database: Database; config: Config; logger: Logger; bus: EventBus; state: { ready: boolean } };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export type App = FastifyInstance;
export type ZodApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;
export type Module = (app: ZodApp, deps: AppDeps) => Promise<void> | void;

/** Every module's routes; later capabilities add theirs here. */
const MODULES: Module[] = [opsRoutes, authRoutes, adminRoutes, wsRoutes, orgRoutes, membershipRoutes, mailingRoutes, directoryRoutes, advisoryRoutes, csafProviderRoutes, reportRoutes, cryptoRoutes, intelRoutes, taxiiRoutes, intelCorrelationRoutes, mispRoutes, feedRoutes, taxiiCollectionRoutes, messagingRoutes, incidentRoutes, staticRoutes];

export async function buildApp(deps: AppDeps, extra: Module[] = []): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
  });
  app.decorate('deps', deps);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installRouteRegistry(app);
  installErrorMapper(app);
  app.removeContentTypeParser('text/plain'); // JSON APIs: anything else is a typed 415
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Hemisphere API', version: '0.1.0', description: 'The public API of Hemisphere; the web app uses only this.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hs_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  httpMetrics(app);

  app.decorateRequest('actor', null as never);
  // Resolved sessions are cached per node; see src/auth/session-cache.ts for how changes invalidate them.
  const sessionCache = new SessionCache();
  const unsubscribe = deps.bus.subscribe(AUTH_TOPIC, (msg) => sessionCache.notice(msg));
  // Notices may have been missed while the bus connection was down: nothing cached is trusted.
  const unsubscribeGap = deps.bus.onGap(() => sessionCache.clear());
  app.addHook('onClose', async () => {
    unsubscribe();
    unsubscribeGap();
    sessionCache.close();
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    req.actor = anonymous;
    const access = req.routeOptions.config?.access;
    if (!access) return; // unknown route: the 404 handler answers
    // Public routes that act only on a token in the URL (RFC 8058 one-click unsubscribe, posted by
    // mail clients) never look at the session, so a cookie that happens to be sent needs no CSRF token.
    if (access.permission === 'public' && req.routeOptions.config?.ignoreSession) return;
    const resolved = await resolveActor(deps.database.db, req, sessionCache);
    req.actor = resolved.actor;
    authorize(resolved.actor, access, req.method);
    // Cookie-authenticated writes must carry the session's CSRF token (double submit).
    if (resolved.actor.kind === 'user' && resolved.actor.via === 'session' && !isSafeMethod(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== resolved.csrfToken) {
        throw new DomainError('csrf_failed', 'Missing or wrong X-CSRF-Token header');
      }
    }
  });

  for (const m of [...MODULES, ...extra]) await m(app.withTypeProvider<ZodTypeProvider>(), deps);
  app.get('/api/openapi.json', { config: { access: { permission: 'public' } }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
