/**
 * Share a STIX 2.1 bundle: pick the file, the organisation sharing it, the TLP for objects that carry
 * no TLP marking and the sharing scope — only the choices the server offers this user
 * (/api/intel/sharing-options; public only with TLP:CLEAR). The file goes up as a stream
 * (XMLHttpRequest sends the File without reading it into memory) with upload progress, then the
 * per-object report: added, unchanged, conflict, rejected, with the path of each problem.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, currentCsrfToken, get, withQuery, type Problem } from '../../api.ts';
import { formatBytes, formatNumber } from '../../format.ts';
import { Button, Card, ErrorNotice, Form, Notice, Page } from '../../components/ui.tsx';
import { labelClass, objectPath, selectClass, TLP_VALUES, TlpBadge, type IngestReport, type SharingOptions } from './shared.tsx';

type Progress = { phase: 'idle' | 'sending' | 'processing' | 'done'; loaded: number; total: number };

/** POST the file as the request body with progress events; resolves with the report or an ApiError. */
function sendBundle(url: string, file: File, onProgress: (loaded: number, total: number) => void, onSent: () => void): Promise<IngestReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', 'application/stix+json');
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.upload.onload = onSent;
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network' }));
    xhr.onload = () => {
      let data: unknown = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as IngestReport);
      else {
        const p = (data ?? {}) as Partial<Problem>;
        reject(new ApiError({ status: xhr.status, code: p.code ?? 'internal', title: p.title, issues: p.issues }));
      }
    };
    xhr.send(file);
  });
}

const STATUS_STYLE: Record<string, string> = {
  added: 'bg-green-100 text-green-900', unchanged: 'bg-slate-100 text-slate-800', conflict: 'bg-amber-100 text-amber-900', rejected: 'bg-red-100 text-red-900',
};

function Report({ report }: { report: IngestReport }) {
  const { t, i18n } = useTranslation();
  const [only, setOnly] = useState('');
  const rows = report.results.filter((r) => !only || r.status === only);
  return (
    <Card title={t('intel.reportTitle')}>
      <ul className="mb-4 flex flex-wrap gap-2" aria-label={t('intel.reportCounts')}>
        <li className="rounded bg-slate-100 px-3 py-1 text-sm">{t('intel.total', { n: formatNumber(report.total, i18n.language) })}</li>
        {(['added', 'unchanged', 'conflict', 'rejected'] as const).map((s) => (
          <li key={s} data-count={s} className={`rounded px-3 py-1 text-sm font-semibold ${STATUS_STYLE[s]}`}>{t(`intel.status.${s}`)}: {formatNumber(report.counts[s], i18n.language)}</li>
        ))}
      </ul>
      {report.truncated && <p className="mb-2 text-sm text-slate-700">{t('intel.truncated')}</p>}
      <label className={`${labelClass} mb-3 w-fit`}>{t('intel.showStatus')}
        <select className={selectClass} value={only} onChange={(e) => setOnly(e.target.value)}>
          <option value="">{t('intel.allStatuses')}</option>
          {(['added', 'unchanged', 'conflict', 'rejected'] as const).map((s) => <option key={s} value={s}>{t(`intel.status.${s}`)}</option>)}
        </select>
      </label>
      <div className="max-h-[32rem] overflow-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('intel.reportTitle')}</caption>
          <thead className="bg-slate-100"><tr>
            <th scope="col" className="px-2 py-1">#</th><th scope="col" className="px-2 py-1">{t('intel.object')}</th>
            <th scope="col" className="px-2 py-1">{t('intel.statusLabel')}</th><th scope="col" className="px-2 py-1">{t('intel.problems')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.index} className="border-t border-slate-200 align-top" data-result={r.status}>
                <td className="px-2 py-1">{r.index}</td>
                <td className="px-2 py-1 break-all">
                  {r.id && (r.status === 'added' || r.status === 'unchanged') ? <Link to={objectPath(r.id, r.version)} className="text-blue-800 underline">{r.id}</Link> : <span className="font-mono text-xs">{r.id ?? r.type ?? '—'}</span>}
                </td>
                <td className="px-2 py-1"><span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[r.status]}`}>{t(`intel.status.${r.status}`)}</span></td>
                <td className="px-2 py-1">
                  {r.issues?.length ? <ul>{r.issues.map((p, i) => <li key={i}><code className="rounded bg-slate-100 px-1 font-mono text-xs">{p.path || '/'}</code> {p.message}</li>)}</ul>
                    : r.status === 'conflict' ? t('intel.conflictHelp') : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

export default function Upload() {
  const { t, i18n } = useTranslation();
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [orgId, setOrgId] = useState('');
  const [tlp, setTlp] = useState('amber');
  const [scope, setScope] = useState('org');
  const [groupId, setGroupId] = useState('');
  const [namedOrgs, setNamedOrgs] = useState<string[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress>({ phase: 'idle', loaded: 0, total: 0 });
  const [report, setReport] = useState<IngestReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    get<SharingOptions>('/api/intel/sharing-options').then((o) => { setOptions(o); setOrgId(o.orgs[0]?.id ?? ''); }, setError);
  }, []);
  const org = useMemo(() => options?.orgs.find((o) => o.id === orgId), [options, orgId]);
  const scopes = org?.scopes ?? [];
  // Public is only ever TLP:CLEAR; switching TLP away from CLEAR falls back to the network.
  useEffect(() => { if (scope === 'public' && tlp !== 'clear') setScope('network'); }, [tlp, scope]);
  useEffect(() => { if (scope && org && !org.scopes.includes(scope as never)) setScope('org'); }, [org, scope]);

  const busy = progress.phase === 'sending' || progress.phase === 'processing';
  const pct = progress.total ? Math.round((progress.loaded / progress.total) * 100) : 0;

  async function submit() {
    setError(null); setReport(null);
    if (!file) { setError(new ApiError({ status: 400, code: 'validation_failed' })); return; }
    const url = withQuery('/api/intel/bundles', {
      orgId, tlp, scope, sharingGroupId: scope === 'group' ? groupId : undefined, scopeOrgIds: scope === 'orgs' ? namedOrgs.join(',') : undefined,
    });
    setProgress({ phase: 'sending', loaded: 0, total: file.size });
    try {
      const r = await sendBundle(url, file, (loaded, total) => setProgress({ phase: 'sending', loaded, total }),
        () => setProgress((p) => ({ ...p, loaded: p.total, phase: 'processing' })));
      setReport(r);
      setProgress((p) => ({ ...p, phase: 'done' }));
    } catch (e) {
      setError(e);
      setProgress({ phase: 'idle', loaded: 0, total: 0 });
    }
  }

  return (
    <Page title={t('intel.uploadTitle')}>
      <Link to="/intel" className="text-sm text-blue-800 underline">{t('intel.backToList')}</Link>
      <ErrorNotice error={error} />
      {options && !options.canUpload && <p className="text-slate-700">{t('intel.cannotUpload')}</p>}
      {options?.canUpload && (
        <Card>
          <Form className="grid gap-4 sm:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <div className="flex flex-col gap-1 sm:col-span-2">
              <label htmlFor="bundle-file" className="text-sm font-medium text-slate-800">{t('intel.file')}</label>
              <input id="bundle-file" type="file" accept=".json,application/json,application/stix+json" aria-describedby="bundle-file-d" className="text-sm"
                onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); setProgress({ phase: 'idle', loaded: 0, total: 0 }); }} />
              <p id="bundle-file-d" className="text-xs text-slate-600">{file ? t('intel.fileChosen', { name: file.name, size: formatBytes(file.size, i18n.language) }) : t('intel.fileHint')}</p>
            </div>
            {options.orgs.length > 1 && (
              <label className={labelClass}>{t('intel.sharingOrg')}
                <select className={selectClass} value={orgId} onChange={(e) => setOrgId(e.target.value)}>
                  {options.orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
                </select>
              </label>
            )}
            <label className={labelClass}>{t('intel.tlpDefault')}
              <select className={selectClass} value={tlp} onChange={(e) => setTlp(e.target.value)} aria-describedby="tlp-d">
                {TLP_VALUES.map((x) => <option key={x} value={x}>TLP:{x.toUpperCase()}</option>)}
              </select>
              <span id="tlp-d" className="text-xs font-normal text-slate-600">{tlp === 'red' ? t('intel.redHelp') : t('intel.tlpDefaultHelp')}</span>
            </label>
            <label className={labelClass}>{t('intel.scope')}
              <select className={selectClass} value={scope} onChange={(e) => setScope(e.target.value)} aria-describedby="scope-d">
                {scopes.map((s) => <option key={s} value={s} disabled={s === 'public' && tlp !== 'clear'}>{t(`intel.scopes.${s}`)}{s === 'public' && tlp !== 'clear' ? ` (${t('intel.clearOnly')})` : ''}</option>)}
              </select>
              <span id="scope-d" className="text-xs font-normal text-slate-600">{t(`intel.scopeHelp.${scope}`)}</span>
            </label>
            {scope === 'group' && (
              <label className={labelClass}>{t('intel.sharingGroup')}
                <select className={selectClass} value={groupId} onChange={(e) => setGroupId(e.target.value)} required>
                  <option value="">{t('intel.chooseGroup')}</option>
                  {org?.sharingGroups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
                </select>
              </label>
            )}
            {scope === 'orgs' && (
              <label className={`${labelClass} sm:col-span-2`}>{t('intel.namedOrgs')}
                <select multiple size={6} className={selectClass} value={namedOrgs} onChange={(e) => setNamedOrgs([...e.target.selectedOptions].map((o) => o.value))}>
                  {options.nameableOrgs.filter((o) => o.id !== orgId).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
                </select>
                <span className="text-xs font-normal text-slate-600">{t('intel.namedOrgsHelp')}</span>
              </label>
            )}
            <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
              <Button type="submit" isDisabled={busy || !file || (scope === 'group' && !groupId) || (scope === 'orgs' && namedOrgs.length === 0)}>{t('intel.uploadButton')}</Button>
              <span className="text-sm text-slate-700"><TlpBadge tlp={tlp} /></span>
            </div>
          </Form>
          {progress.phase !== 'idle' && (
            <div className="mt-4 space-y-1" aria-live="polite">
              <progress className="h-3 w-full" max={100} value={pct} aria-label={t('intel.progress')} />
              <p role="status" className="text-sm text-slate-700" data-phase={progress.phase}>
                {progress.phase === 'sending' && t('intel.sending', { pct, loaded: formatBytes(progress.loaded, i18n.language), total: formatBytes(progress.total, i18n.language) })}
                {progress.phase === 'processing' && t('intel.processing')}
                {progress.phase === 'done' && t('intel.done')}
              </p>
            </div>
          )}
        </Card>
      )}
      {report && <Notice>{t('intel.uploaded', { added: report.counts.added, total: report.total })}</Notice>}
      {report && <Report report={report} />}
    </Page>
  );
}
