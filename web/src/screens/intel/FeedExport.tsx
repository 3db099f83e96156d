/**
 * MISP feed export links for the reader's team: for each collection the reader may read (the same
 * per-actor list the TAXII server gives: everything, the trusted network, public, the own
 * organisation, sharing groups), the MISP feed URL, its manifest, and how to add it as a feed in
 * MISP (URL + Authorization header with an API token). Tokens are made on the TAXII access screen
 * (with the "MISP feed" scope); what a feed serves is what that token's owner may see.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { ErrorNotice, Card, Page } from '../../components/ui.tsx';
import type { TaxiiConnection } from '../../../../src/intel/taxii/collections.routes.ts';
import { CopyBlock, CopyField } from './copy.tsx';
import { mispFeedCollection, mispFeedSnippet, TOKEN_PLACEHOLDER } from './taxii-snippets.ts';

export const mispFeedUrl = (origin: string, c: { id: string; kind: string }) => `${origin}/api/intel/misp/feeds/${mispFeedCollection(c)}`;

export default function FeedExport() {
  const { t } = useTranslation();
  const [conn, setConn] = useState<TaxiiConnection | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<TaxiiConnection>('/api/intel/taxii').then(setConn, setError); }, []);
  const origin = window.location.origin;
  const readable = conn?.collections.filter((c) => c.canRead) ?? [];
  return (
    <Page title={t('misp.export.title')}>
      <p className="flex flex-wrap gap-4 text-sm">
        <Link to="/intel/misp" className="text-blue-800 underline">{t('misp.toEvents')}</Link>
        <Link to="/intel/feeds" className="text-blue-800 underline">{t('feeds.title')}</Link>
      </p>
      <p className="text-slate-700">{t('misp.export.intro')}</p>
      <Card title={t('misp.export.howTitle')}>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-800">
          <li>{t('misp.export.step1')} <Link to="/intel/taxii" className="text-blue-800 underline">{t('misp.export.tokenLink')}</Link></li>
          <li>{t('misp.export.step2')}</li>
          <li>{t('misp.export.step3', { header: `Authorization: Bearer ${TOKEN_PLACEHOLDER}` })}</li>
          <li>{t('misp.export.step4')}</li>
        </ol>
        <p className="mt-2 text-sm text-slate-700">{t('misp.export.visibility')}</p>
      </Card>
      <ErrorNotice error={error} />
      {!conn && !error && <p role="status">{t('common.loading')}</p>}
      {conn && readable.length === 0 && <p className="text-slate-700">{t('misp.export.none')}</p>}
      {readable.length > 0 && (
        <Card title={t('misp.export.feedsTitle')}>
          <ul className="divide-y divide-slate-100">
            {readable.map((c) => {
              const url = mispFeedUrl(origin, c);
              return (
                <li key={c.id} data-feed-collection={mispFeedCollection(c)} className="space-y-2 py-3">
                  <h3 className="font-semibold text-slate-900">{c.title}</h3>
                  <p className="text-sm text-slate-700">{c.description}</p>
                  <CopyField label={t('misp.export.feedUrlOf', { title: c.title })} value={url} />
                  <p className="text-sm">
                    {t('misp.export.files')} <code className="rounded bg-slate-100 px-1 font-mono text-xs">{`${url}/manifest.json`}</code>, <code className="rounded bg-slate-100 px-1 font-mono text-xs">hashes.csv</code>, <code className="rounded bg-slate-100 px-1 font-mono text-xs">&lt;uuid&gt;.json</code> {t('misp.export.signatures')}
                  </p>
                  <details className="text-sm">
                    <summary className="cursor-pointer text-blue-800 underline">{t('misp.export.definition')}</summary>
                    <div className="mt-2">
                      <CopyBlock label={t('misp.export.definitionOf', { title: c.title })}
                        value={mispFeedSnippet({ ...c, objectsPath: '' }, { origin, discoveryPath: conn!.discoveryPath, apiRootPath: conn!.apiRootPath, mediaType: conn!.mediaType, token: null })} />
                    </div>
                  </details>
                </li>
              );
            })}
          </ul>
        </Card>
      )}
    </Page>
  );
}
