/** HTTP: the platform's public OpenPGP key, for anyone verifying signed advisories and alerts. */
import type { Module } from '../http/app.ts';
import { platformPublicKey } from './platform-key.ts';

export const cryptoRoutes: Module = (app, deps) => {
  app.get('/api/platform/openpgp-key', {
    config: { access: { permission: 'public' } },
    schema: { tags: ['platform'], summary: "The platform's armored OpenPGP public key (signs CSAF documents and member alerts)" },
  }, async (_req, reply) => {
    const k = await platformPublicKey(deps.database.db, deps.config);
    return reply.type('application/pgp-keys').header('x-openpgp-fingerprint', k.fingerprint).send(k.armored);
  });
};
