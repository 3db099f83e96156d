import { sql } from 'drizzle-orm';
import type { Module } from './app.ts';
import { registry } from './metrics.ts';

export const opsRoutes: Module = (app, deps) => {
  const pub = { access: { permission: 'public' as const } };
  app.get('/healthz', { config: pub, schema: { tags: ['operations'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: pub, schema: { tags: ['operations'], summary: 'Readiness: database reachable, migrations applied' } }, async (_req, reply) => {
    if (!deps.state.ready) return reply.code(503).send({ status: 'starting' });
    try {
      await deps.database.db.execute(sql`SELECT 1`);
      return { status: 'ready', driver: deps.database.driver };
    } catch {
      return reply.code(503).send({ status: 'database_unavailable' });
    }
  });
  app.get('/metrics', { config: pub, schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
