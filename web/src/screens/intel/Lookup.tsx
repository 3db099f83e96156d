/**
 * Bulk lookup: paste up to 10,000 IPs, domains, URLs, hashes or e-mail addresses (or load a text
 * file), and see for each what the server found among the objects this reader may see (links and
 * TLP badges), the warning lists that flag it as a likely false positive, and values it did not
 * recognise. Counts on top, a filter, and the whole result as CSV. Nothing is decided here: the
 * table shows exactly what POST /api/intel/lookup returned for this reader.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../../api.ts';
import { formatNumber } from '../../format.ts';
import { Button, Card, ErrorNotice, Form, Page } from '../../components/ui.tsx';
import { countResults, MAX_VALUES, resultsCsv, splitValues, type LookupResult } from './lookup-values.ts';
import { labelClass, objectPath, selectClass, TlpBadge, TypeBadge } from './shared.tsx';

const SHOWN_ROWS = 1000;
type Show = 'all' | 'matched' | 'flagged' | 'unrecognised';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function ResultRow({ r }: { r: LookupResult }) {
  const { t } = useTranslation();
  return (
    <tr className="border-t border-slate-100 align-top" data-lookup-input={r.input} data-matches={r.matchCount} data-flagged={r.warnings.length > 0 ? 'yes' : 'no'}>
      <td className="py-2 pr-3 font-mono break-all">{r.input}</td>
      <td className="py-2 pr-3">
        {r.kind ? <><span className="font-mono text-xs">{r.kind}</span>{r.value && r.value !== r.input && <span className="block font-mono text-xs break-all text-slate-700">{r.value}</span>}</>
          : <span className="text-slate-700">{t('intel.lookup.unrecognised')}</span>}
      </td>
      <td className="py-2 pr-3">
        {r.warnings.length === 0 ? <span className="text-slate-700">—</span> : (
          <ul className="space-y-1">
            {r.warnings.map((w, i) => (
              <li key={i} data-warning-list={w.list}>
                <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950">{t('intel.lookup.falsePositive')}</span>{' '}
                <span className="text-xs">{t(`intel.lookup.lists.${w.list}`, { defaultValue: w.list })}</span>
                <span lang="en" className="block text-xs text-slate-700">{w.reason}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="py-2">
        {r.matchCount === 0 ? <span className="text-slate-700">{t('intel.lookup.noMatch')}</span> : (
          <>
            <span className="text-xs font-semibold">{t('intel.lookup.matchCount', { n: r.matchCount })}</span>
            <ul className="mt-1 space-y-1">
              {r.matches.map((m) => (
                <li key={m.id} className="flex flex-wrap items-center gap-2">
                  <Link to={objectPath(m.id)} className="break-all text-blue-800 underline">{m.title ?? m.id}</Link>
                  <TypeBadge type={m.type} /> <TlpBadge tlp={m.tlp} />
                  {m.revoked && <span className="text-xs text-red-900">{t('intel.revoked')}</span>}
                </li>
              ))}
            </ul>
            {r.matchCount > r.matches.length && <p className="text-xs text-slate-700">{t('intel.lookup.moreMatches', { n: r.matchCount - r.matches.length })}</p>}
          </>
        )}
      </td>
    </tr>
  );
}

export default function Lookup() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [results, setResults] = useState<LookupResult[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tooMany, setTooMany] = useState(false);
  const [busy, setBusy] = useState(false);
  const [show, setShow] = useState<Show>('all');
  const parsed = useMemo(() => splitValues(text), [text]);
  const counts = useMemo(() => (results ? countResults(results) : null), [results]);
  const filtered = useMemo(() => (results ?? []).filter((r) =>
    show === 'all' || (show === 'matched' ? r.matchCount > 0 : show === 'flagged' ? r.warnings.length > 0 : !r.kind)), [results, show]);
  const n = (x: number) => formatNumber(x, i18n.language);

  const run = async () => {
    setError(null);
    setTooMany(parsed.values.length > MAX_VALUES);
    if (!parsed.values.length || parsed.values.length > MAX_VALUES) return;
    setBusy(true);
    try {
      setResults((await post<{ results: LookupResult[] }>('/api/intel/lookup', { values: parsed.values })).results);
      setShow('all');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('intel.lookup.title')}>
      <p className="text-slate-700">{t('intel.lookup.intro', { max: n(MAX_VALUES) })}</p>
      <Card>
        <Form className="flex flex-col gap-3" onSubmit={(e) => { e.preventDefault(); void run(); }}>
          <label htmlFor="intel-lookup-values" className="text-sm font-medium text-slate-800">{t('intel.lookup.values')}</label>
          <textarea id="intel-lookup-values" rows={8} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="intel-lookup-help"
            className="rounded border border-slate-400 bg-white px-3 py-2 font-mono text-sm text-slate-900" />
          <p id="intel-lookup-help" className="text-xs text-slate-700">
            {t('intel.lookup.valuesHelp')} {t('intel.lookup.parsed', { n: parsed.values.length, duplicates: parsed.duplicates })}
          </p>
          <label className={labelClass}>{t('intel.lookup.file')}
            <input type="file" accept=".txt,.csv,.log,text/plain,text/csv" className="text-sm"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (!f) return;
                const loaded = await f.text();
                setText((prev) => `${prev}${prev && !prev.endsWith('\n') ? '\n' : ''}${loaded}`);
              }} />
          </label>
          {tooMany && <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">{t('intel.lookup.tooMany', { max: n(MAX_VALUES), given: n(parsed.values.length) })}</p>}
          <ErrorNotice error={error} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" isDisabled={busy || parsed.values.length === 0}>{busy ? t('intel.lookup.running') : t('intel.lookup.run')}</Button>
            <Button variant="secondary" onPress={() => { setText(''); setResults(null); setTooMany(false); }}>{t('intel.lookup.clear')}</Button>
          </div>
        </Form>
      </Card>

      {results && counts && (
        <Card title={t('intel.lookup.results')}>
          <dl className="mb-4 grid grid-cols-2 gap-2 text-sm sm:grid-cols-5" aria-label={t('intel.lookup.counts')}>
            {(['values', 'matched', 'matches', 'flagged', 'unrecognised'] as const).map((k) => (
              <div key={k} data-count={k} className="rounded border border-slate-200 p-2">
                <dt className="text-slate-700">{t(`intel.lookup.count.${k}`)}</dt><dd className="text-lg font-semibold">{n(counts[k])}</dd>
              </div>
            ))}
          </dl>
          <div className="mb-3 flex flex-wrap items-end gap-3">
            <label className={labelClass}>{t('intel.lookup.show')}
              <select className={selectClass} value={show} onChange={(e) => setShow(e.target.value as Show)}>
                {(['all', 'matched', 'flagged', 'unrecognised'] as const).map((k) => <option key={k} value={k}>{t(`intel.lookup.filter.${k}`)}</option>)}
              </select>
            </label>
            <Button variant="secondary" onPress={() => download(`hemisphere-lookup-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, resultsCsv(results))}>
              {t('intel.lookup.downloadCsv')}
            </Button>
          </div>
          {filtered.length === 0 ? <p>{t('intel.lookup.nothingShown')}</p> : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t('intel.lookup.results')}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="py-1 pr-3">{t('intel.lookup.value')}</th>
                    <th scope="col" className="py-1 pr-3">{t('intel.lookup.kind')}</th>
                    <th scope="col" className="py-1 pr-3">{t('intel.lookup.warnings')}</th>
                    <th scope="col" className="py-1">{t('intel.lookup.matches')}</th>
                  </tr>
                </thead>
                <tbody>{filtered.slice(0, SHOWN_ROWS).map((r, i) => <ResultRow key={`${i}-${r.input}`} r={r} />)}</tbody>
              </table>
              {filtered.length > SHOWN_ROWS && <p className="mt-2 text-sm text-slate-700">{t('intel.lookup.cut', { shown: n(SHOWN_ROWS), total: n(filtered.length) })}</p>}
            </div>
          )}
        </Card>
      )}
    </Page>
  );
}
