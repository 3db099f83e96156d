/**
 * Ready-made client configurations for one TAXII collection: curl with HTTP Basic (the token is
 * the password), the OpenCTI TAXII 2 connector's environment, and a MISP feed definition (MISP
 * pulls the same collection as a MISP feed with the token in a header). The token is never put
 * in a snippet unless the reader has just created it on this screen.
 */
export type SnippetCollection = { id: string; kind: string; title: string; objectsPath: string };
export type SnippetContext = { origin: string; discoveryPath: string; apiRootPath: string; mediaType: string; token: string | null };

export const TOKEN_PLACEHOLDER = '<YOUR-API-TOKEN>';

/** The name of the MISP feed serving the same collection (see src/intel/misp/routes.ts). */
export function mispFeedCollection(c: { id: string; kind: string }): string {
  if (c.kind === 'all' || c.kind === 'public' || c.kind === 'network') return c.kind;
  return `${c.kind}-${c.id}`;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlSnippet(c: SnippetCollection, x: SnippetContext): string {
  const token = x.token ?? TOKEN_PLACEHOLDER;
  return [
    `# ${c.title}: objects added after a date, 100 at a time (follow "next" while "more" is true)`,
    `curl -sS -u ${shellQuote(`taxii:${token}`)} \\`,
    `  -H ${shellQuote(`Accept: ${x.mediaType}`)} \\`,
    `  ${shellQuote(`${x.origin}${c.objectsPath}?limit=100&added_after=2025-01-01T00:00:00Z`)}`,
  ].join('\n');
}

export function openCtiSnippet(c: SnippetCollection, x: SnippetContext): string {
  const root = x.apiRootPath.replace(/\/$/, '').split('/').pop() ?? '';
  return [
    '# OpenCTI TAXII 2 connector (external-import/taxii2), docker-compose environment',
    `- TAXII2_DISCOVERY_URL=${x.origin}${x.discoveryPath}`,
    '- TAXII2_USERNAME=taxii',
    `- TAXII2_PASSWORD=${x.token ?? TOKEN_PLACEHOLDER}`,
    '- TAXII2_V21=true',
    `- TAXII2_COLLECTIONS=${root}.${c.id}`,
    '- TAXII2_INITIAL_HISTORY=24',
    '- TAXII2_INTERVAL=1',
    '- TAXII2_VERIFY_SSL=true',
  ].join('\n');
}

export function mispFeedSnippet(c: SnippetCollection, x: SnippetContext): string {
  const feed = [{
    Feed: {
      name: `Hemisphere: ${c.title}`, provider: 'Hemisphere', source_format: 'misp', input_source: 'network', enabled: true,
      url: `${x.origin}/api/intel/misp/feeds/${mispFeedCollection(c)}`,
      headers: `Authorization: Bearer ${x.token ?? TOKEN_PLACEHOLDER}`,
      distribution: '0', caching_enabled: true,
    },
  }];
  return JSON.stringify(feed, null, 2);
}
