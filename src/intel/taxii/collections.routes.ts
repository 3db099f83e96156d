/**
 * REST view of the TAXII collections for the web portal: the same per-actor list the TAXII server
 * serves (collections.ts, never a copy of its rules), with each collection's TAXII paths and what a
 * client needs to connect (media type, size limit, token scopes). The TAXII routes themselves
 * insist on the TAXII media type in Accept and answer in TAXII error resources; the portal speaks
 * plain JSON with problem+json errors, so it reads this instead. Paths are relative to the origin
 * the portal is served from (the TAXII server is the same server).
 */
import type { Module } from '../../http/app.ts';
import type { TokenScope } from '../../core/policy.ts';
import { listCollections, STIX_MEDIA_TYPE } from './collections.ts';
import { TAXII_MEDIA_TYPE } from './media.ts';
import { API_ROOT } from './routes.ts';

export const TAXII_DISCOVERY_PATH = '/taxii2/';
export const TAXII_API_ROOT_PATH = `/taxii2/${API_ROOT}/`;

export type TaxiiConnection = {
  discoveryPath: string;
  apiRootPath: string;
  mediaType: string;
  stixMediaType: string;
  maxContentLength: number;
  /** Token scopes a client needs: reading needs `taxii`; posting also needs `intel:write`. */
  scopes: { read: TokenScope[]; write: TokenScope[] };
  collections: {
    id: string; kind: string; title: string; description: string; canRead: boolean; canWrite: boolean;
    path: string; objectsPath: string; manifestPath: string;
  }[];
};

export const taxiiCollectionRoutes: Module = (app, deps) => {
  const db = deps.database.db;

  app.get('/api/intel/taxii', {
    config: { access: { permission: 'authenticated', scope: 'intel:read' } },
    schema: { tags: ['intel'], summary: 'Your TAXII 2.1 collections (the same list the TAXII server gives you) and how to connect a client' },
  }, async (req): Promise<TaxiiConnection> => {
    const collections = await listCollections(db, req.actor);
    return {
      discoveryPath: TAXII_DISCOVERY_PATH,
      apiRootPath: TAXII_API_ROOT_PATH,
      mediaType: TAXII_MEDIA_TYPE,
      stixMediaType: STIX_MEDIA_TYPE,
      maxContentLength: deps.config.taxii.maxContentLength,
      scopes: { read: ['taxii'], write: ['taxii', 'intel:write'] },
      collections: collections.map((c) => {
        const path = `${TAXII_API_ROOT_PATH}collections/${c.id}/`;
        return {
          id: c.id, kind: c.kind, title: c.title, description: c.description, canRead: c.canRead, canWrite: c.canWrite,
          path, objectsPath: `${path}objects/`, manifestPath: `${path}manifest/`,
        };
      }),
    };
  });
};
