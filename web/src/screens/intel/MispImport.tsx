/**
 * Import MISP events: a file (one event, a list, or {response: […]}) or a URL (an event file or a
 * MISP feed's manifest.json, fetched by the server through its feed guards), shared by an
 * organisation with a default TLP and a widest scope. First a PREVIEW (the server maps the events
 * and stores nothing): per event the attribute, object, tag, reference and sighting counts, the
 * mapped TLP, the MISP distribution and how many objects land in each sharing scope. Only after
 * "Import" is anything stored; then the per-event result with links to the events.
 */
import { useEffect, useState } from 'react';
import { Radio, RadioGroup, Label } from 'react-aria-components';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api, currentCsrfToken, get, withQuery, type Problem } from '../../api.ts';
import { formatBytes, formatDateTime, formatNumber } from '../../format.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import { ScopeBadge, TlpBadge, type SharingOptions } from './shared.tsx';
import { CountPill, initialSharing, SharingFields, sharingComplete, type MispImportResult, type MispPreview, type Sharing } from './misp-shared.tsx';

type Source = 'file' | 'url';

/** POST the chosen file as the body (the browser streams the File); JSON back or an ApiError. */
async function sendFile<T>(url: string, file: File): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  const csrf = currentCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: 'network' });
  }
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    throw new ApiError({ status: res.status, code: p.code ?? 'internal', title: p.title, issues: p.issues });
  }
  return data as T;
}

function PreviewTable({ events }: { events: MispPreview[] }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('misp.previewTitle')}</caption>
        <thead className="bg-slate-100"><tr>
          <th scope="col" className="px-2 py-1">{t('misp.event')}</th>
          <th scope="col" className="px-2 py-1">{t('misp.counts')}</th>
          <th scope="col" className="px-2 py-1">{t('misp.mappedTlp')}</th>
          <th scope="col" className="px-2 py-1">{t('misp.distributionToScope')}</th>
        </tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.uuid} data-preview-event={e.uuid} className="border-t border-slate-200 align-top">
              <td className="px-2 py-1">
                <span className="font-medium">{e.info || e.uuid}</span>
                <span className="block font-mono text-xs text-slate-600">{e.uuid}</span>
                {e.timestamp > 0 && <span className="block text-xs text-slate-600">{formatDateTime(e.timestamp * 1000, i18n.language)}</span>}
              </td>
              <td className="px-2 py-1">
                <ul className="text-xs">
                  <li data-n="attributes">{t('misp.attributes')}: {n(e.counts.attributes)}</li>
                  <li data-n="objects">{t('misp.objects')}: {n(e.counts.objects)}</li>
                  <li data-n="tags">{t('misp.tags')}: {n(e.counts.tags)}</li>
                  <li data-n="references">{t('misp.references')}: {n(e.counts.references)}</li>
                  <li data-n="sightings">{t('misp.sightings')}: {n(e.counts.sightings)}</li>
                  <li data-n="galaxies">{t('misp.galaxyClusters')}: {n(e.counts.galaxyClusters)}</li>
                </ul>
              </td>
              <td className="px-2 py-1"><TlpBadge tlp={e.tlp} /></td>
              <td className="px-2 py-1">
                <p className="text-xs" data-distribution={e.distribution}>{t('misp.eventDistribution')}: {t(`misp.distribution.${e.distribution}`, { defaultValue: String(e.distribution) })}</p>
                <ul className="mt-1 flex flex-wrap gap-1" aria-label={t('misp.objectsPerScope')}>
                  {Object.entries(e.scopes).map(([scope, count]) => <li key={scope} data-scope-count={scope}><ScopeBadge scope={scope} /> {n(count ?? 0)}</li>)}
                </ul>
                <p className="mt-1 text-xs text-slate-600">{t('misp.stixObjects', { n: n(Object.values(e.stixTypes).reduce((a, b) => a + b, 0)) })}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Results({ results }: { results: MispImportResult[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card title={t('misp.resultTitle')}>
      <ul className="divide-y divide-slate-100">
        {results.map((r) => (
          <li key={r.uuid} data-result-event={r.uuid} data-status={r.status} className="space-y-1 py-2">
            <p className="flex flex-wrap items-center gap-2">
              <Link to={`/intel/misp/${r.uuid}`} className="font-medium text-blue-800 underline">{r.info || r.uuid}</Link>
              <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold">{t(`misp.status.${r.status}`)}</span>
            </p>
            <p className="text-sm text-slate-700">{t('misp.storedSummary', {
              added: formatNumber(r.stored.added, i18n.language), unchanged: formatNumber(r.stored.unchanged, i18n.language),
              conflict: formatNumber(r.stored.conflict, i18n.language), rejected: formatNumber(r.stored.rejected, i18n.language),
            })}</p>
            {r.problems.length > 0 && (
              <ul className="text-xs text-red-900">{r.problems.slice(0, 20).map((p, i) => <li key={i}>{p.id ?? p.type ?? '—'}: {p.issues?.map((x) => `${x.path || '/'} ${x.message}`).join('; ') ?? t(`intel.status.${p.status}`)}</li>)}</ul>
            )}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm"><Link to="/intel/misp" className="text-blue-800 underline">{t('misp.toEvents')}</Link></p>
    </Card>
  );
}

export default function MispImport() {
  const { t, i18n } = useTranslation();
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [sharing, setSharing] = useState<Sharing>(initialSharing);
  const [source, setSource] = useState<Source>('file');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [authorization, setAuthorization] = useState('');
  const [preview, setPreview] = useState<MispPreview[] | null>(null);
  const [results, setResults] = useState<MispImportResult[] | null>(null);
  const [busy, setBusy] = useState<'' | 'preview' | 'import'>('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    get<SharingOptions>('/api/intel/sharing-options').then((o) => { setOptions(o); setSharing((s) => ({ ...s, orgId: o.orgs[0]?.id ?? '' })); }, setError);
  }, []);
  // Any change of what would be imported invalidates the preview: it must be looked at again.
  const changed = () => { setPreview(null); setResults(null); setError(null); };

  const query = (previewOnly: boolean) => ({
    orgId: sharing.orgId, tlp: sharing.tlp, scope: sharing.scope, sharingGroupId: sharing.scope === 'group' ? sharing.groupId : undefined,
    scopeOrgIds: sharing.scope === 'orgs' ? sharing.namedOrgs.join(',') : undefined, preview: previewOnly ? 'true' : undefined,
  });
  async function call<T>(previewOnly: boolean): Promise<T> {
    if (source === 'file') return sendFile<T>(withQuery('/api/intel/misp/import', query(previewOnly)), file!);
    return api<T>('POST', withQuery('/api/intel/misp/import-url', query(previewOnly)), { url, ...(authorization ? { authorization } : {}) });
  }
  async function run(step: 'preview' | 'import') {
    setBusy(step); setError(null);
    try {
      if (step === 'preview') setPreview((await call<{ preview: MispPreview[] }>(true)).preview);
      else { setResults((await call<{ events: MispImportResult[] }>(false)).events); setPreview(null); }
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  }

  const ready = sharingComplete(sharing) && (source === 'file' ? !!file : url.trim().length >= 8);
  const totals = preview?.reduce((a, e) => ({ attributes: a.attributes + e.counts.attributes, objects: a.objects + e.counts.objects, tags: a.tags + e.counts.tags }), { attributes: 0, objects: 0, tags: 0 });

  return (
    <Page title={t('misp.importTitle')}>
      <p className="flex flex-wrap gap-4 text-sm">
        <Link to="/intel/misp" className="text-blue-800 underline">{t('misp.toEvents')}</Link>
        <Link to="/intel/feeds" className="text-blue-800 underline">{t('feeds.title')}</Link>
      </p>
      <p className="text-slate-700">{t('misp.importIntro')}</p>
      {options && !options.canUpload && <p className="text-slate-700">{t('intel.cannotUpload')}</p>}
      {options?.canUpload && (
        <Card>
          <Form className="grid gap-4 sm:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void run('preview'); }}>
            <RadioGroup value={source} onChange={(v) => { setSource(v as Source); changed(); }} orientation="horizontal" className="flex flex-col gap-1 sm:col-span-2">
              <Label className="text-sm font-medium text-slate-800">{t('misp.source')}</Label>
              <div className="flex flex-wrap gap-4">
                {(['file', 'url'] as const).map((k) => (
                  <Radio key={k} value={k} className="flex items-center gap-2 text-sm">
                    {({ isSelected }) => <><span aria-hidden="true" className={`inline-block h-4 w-4 rounded-full border border-slate-500 ${isSelected ? 'bg-blue-700' : 'bg-white'}`} />{t(`misp.sourceKind.${k}`)}</>}
                  </Radio>
                ))}
              </div>
            </RadioGroup>
            {source === 'file' ? (
              <div className="flex flex-col gap-1 sm:col-span-2">
                <label htmlFor="misp-file" className="text-sm font-medium text-slate-800">{t('misp.file')}</label>
                <input id="misp-file" type="file" accept=".json,application/json" aria-describedby="misp-file-d" className="text-sm"
                  onChange={(e) => { setFile(e.target.files?.[0] ?? null); changed(); }} />
                <p id="misp-file-d" className="text-xs text-slate-600">{file ? t('intel.fileChosen', { name: file.name, size: formatBytes(file.size, i18n.language) }) : t('misp.fileHint')}</p>
              </div>
            ) : (
              <>
                <div className="sm:col-span-2"><Field label={t('misp.url')} type="url" value={url} onChange={(v) => { setUrl(v); changed(); }} description={t('misp.urlHint')} /></div>
                <div className="sm:col-span-2"><Field label={t('misp.authorization')} type="password" autoComplete="off" value={authorization} onChange={(v) => { setAuthorization(v); changed(); }} description={t('misp.authorizationHint')} /></div>
              </>
            )}
            <SharingFields idPrefix="misp" options={options} value={sharing} onChange={(s) => { setSharing(s); changed(); }} />
            <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
              <Button type="submit" isDisabled={!ready || busy !== ''}>{t('misp.previewButton')}</Button>
              {busy === 'preview' && <span role="status" className="text-sm text-slate-700">{t('misp.previewing')}</span>}
            </div>
          </Form>
        </Card>
      )}
      <ErrorNotice error={error} />
      {error instanceof ApiError && error.problem.issues?.length ? (
        <ul className="text-sm text-red-900">{error.problem.issues.map((x, i) => <li key={i}><code className="font-mono text-xs">{x.path || '/'}</code> {x.message}</li>)}</ul>
      ) : error instanceof ApiError && error.problem.title ? <p className="text-sm text-red-900">{error.problem.title}</p> : null}
      {preview && totals && (
        <Card title={t('misp.previewTitle')}>
          <p className="mb-3 text-sm text-slate-700">{t('misp.previewIntro')}</p>
          <ul className="mb-3 flex flex-wrap gap-2" aria-label={t('misp.previewTotals')}>
            <CountPill name="events" label={t('misp.events')} n={preview.length} />
            <CountPill name="attributes" label={t('misp.attributes')} n={totals.attributes} />
            <CountPill name="objects" label={t('misp.objects')} n={totals.objects} />
            <CountPill name="tags" label={t('misp.tags')} n={totals.tags} />
          </ul>
          <PreviewTable events={preview} />
          <div className="mt-4 flex flex-wrap items-center gap-3">
            <Button onPress={() => void run('import')} isDisabled={busy !== ''}>{t('misp.confirmButton', { n: preview.length })}</Button>
            <Button variant="secondary" onPress={() => setPreview(null)} isDisabled={busy !== ''}>{t('misp.cancelButton')}</Button>
            {busy === 'import' && <span role="status" className="text-sm text-slate-700">{t('misp.importing')}</span>}
          </div>
        </Card>
      )}
      {results && <Notice>{t('misp.importedNotice', { n: results.filter((r) => r.status === 'imported').length, total: results.length })}</Notice>}
      {results && <Results results={results} />}
    </Page>
  );
}
