/**
 * Serves the built web app (web/dist) from the same origin as the API: hashed assets with long
 * caching, gzip when the client accepts it, and the SPA fallback (index.html) for every non-/api
 * path so that deep links such as /setup?token=… work. /api/* paths that no route matched keep
 * answering the typed 404 problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Module } from './app.ts';
import { sendProblem } from './errors.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json', '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.webmanifest']);

/** Everything the page may load comes from this origin (no CDN, no external fonts). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'",
].join('; ');

type Cached = { body: Buffer; gzip: Buffer | null; type: string; mtimeMs: number };

export function createStaticFiles(root: string) {
  const cache = new Map<string, Cached>();
  const load = (rel: string): Cached | null => {
    const full = path.resolve(root, rel);
    if (full !== root && !full.startsWith(root + path.sep)) return null; // no escaping the dist folder
    let st: fs.Stats;
    try {
      st = fs.statSync(full);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = cache.get(full);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit;
    const ext = path.extname(full);
    const body = fs.readFileSync(full);
    const entry = {
      body, type: TYPES[ext] ?? 'application/octet-stream', mtimeMs: st.mtimeMs,
      gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? zlib.gzipSync(body, { level: 9 }) : null,
    };
    cache.set(full, entry);
    return entry;
  };
  return { load };
}

function send(req: FastifyRequest, reply: FastifyReply, f: Cached, immutable: boolean) {
  reply.type(f.type);
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.header('vary', 'accept-encoding');
  if (f.type.startsWith('text/html')) {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
  }
  const accepts = String(req.headers['accept-encoding'] ?? '');
  if (f.gzip && /\bgzip\b/.test(accepts)) {
    reply.header('content-encoding', 'gzip');
    return reply.send(f.gzip);
  }
  return reply.send(f.body);
}

export const staticRoutes: Module = (app) => {
  const files = createStaticFiles(WEB_DIST);
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const pathname = decodeURIComponent(req.url.split('?')[0] ?? '/');
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      return sendProblem(reply, { type: 'urn:hemisphere:error:not_found', title: 'No such resource', status: 404, code: 'not_found', requestId: req.id });
    }
    const rel = pathname.replace(/^\/+/, '');
    const file = rel && !rel.endsWith('/') ? files.load(rel) : null;
    if (file) return send(req, reply, file, rel.startsWith('assets/'));
    if (rel.startsWith('assets/') || path.extname(rel)) {
      return sendProblem(reply, { type: 'urn:hemisphere:error:not_found', title: 'No such resource', status: 404, code: 'not_found', requestId: req.id });
    }
    const index = files.load('index.html');
    if (!index) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The web app is not built yet: run `npm run build:web` (npm start does it for you).');
    }
    return send(req, reply, index, false);
  };
  const opts = { config: { access: { permission: 'public' as const } }, schema: { hide: true } };
  app.get('/', opts, handler);
  app.get('/*', opts, handler);
};
