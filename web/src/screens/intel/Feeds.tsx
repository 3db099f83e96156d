/**
 * Feed subscriptions of the reader's organisations: a remote TAXII 2.1 collection or a MISP feed,
 * pulled on a schedule (and on demand), with credentials kept by the server (never shown again),
 * a default TLP and a widest scope for what comes in. Each feed shows its status: last success,
 * last error, objects added last time and in all, next pull. Pull now, enable/disable and delete
 * are offered only to those the server lets manage the organisation's feeds (members who may
 * share intelligence for it — the organisations /api/intel/sharing-options lists).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import { labelClass, ScopeBadge, selectClass, TlpBadge, type SharingOptions } from './shared.tsx';
import { initialSharing, SharingFields, sharingComplete, type Feed, type PullOutcome, type Sharing } from './misp-shared.tsx';

const INTERVALS = [15, 60, 360, 1440] as const;

function CreateFeed({ options, onCreated }: { options: SharingOptions; onCreated: (f: Feed) => void }) {
  const { t } = useTranslation();
  const [sharing, setSharing] = useState<Sharing>({ ...initialSharing, orgId: options.orgs[0]?.id ?? '' });
  const [kind, setKind] = useState<'misp' | 'taxii'>('misp');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [authorization, setAuthorization] = useState('');
  const [interval, setIntervalMinutes] = useState(60);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true); setError(null);
    try {
      const f = await post<Feed>('/api/intel/feeds', {
        orgId: sharing.orgId, name: name.trim(), kind, url: url.trim(), ...(authorization ? { authorization } : {}), tlpDefault: sharing.tlp, scope: sharing.scope,
        ...(sharing.scope === 'group' ? { sharingGroupId: sharing.groupId } : {}), ...(sharing.scope === 'orgs' ? { scopeOrgIds: sharing.namedOrgs } : {}),
        intervalMinutes: interval,
      });
      setName(''); setUrl(''); setAuthorization('');
      onCreated(f);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('feeds.createTitle')}>
      <Form className="grid gap-4 sm:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label className={labelClass}>{t('feeds.kind')}
          <select className={selectClass} value={kind} onChange={(e) => setKind(e.target.value as 'misp' | 'taxii')} aria-describedby="feed-kind-d">
            <option value="misp">{t('feeds.kinds.misp')}</option>
            <option value="taxii">{t('feeds.kinds.taxii')}</option>
          </select>
          <span id="feed-kind-d" className="text-xs font-normal text-slate-600">{t(`feeds.urlHelp.${kind}`)}</span>
        </label>
        <Field label={t('feeds.name')} value={name} onChange={setName} isRequired maxLength={200} />
        <div className="sm:col-span-2"><Field label={t('feeds.url')} type="url" value={url} onChange={setUrl} isRequired /></div>
        <div className="sm:col-span-2">
          <Field label={t('misp.authorization')} type="password" autoComplete="off" value={authorization} onChange={setAuthorization} description={t('feeds.authorizationHelp')} />
        </div>
        <label className={labelClass}>{t('feeds.interval')}
          <select className={selectClass} value={interval} onChange={(e) => setIntervalMinutes(Number(e.target.value))}>
            {INTERVALS.map((m) => <option key={m} value={m}>{t(`feeds.every.${m}`)}</option>)}
          </select>
        </label>
        <SharingFields idPrefix="feed" options={options} value={sharing} onChange={setSharing} />
        <div className="sm:col-span-2"><ErrorNotice error={error} /></div>
        <Button type="submit" className="justify-self-start sm:col-span-2" isDisabled={busy || !name.trim() || url.trim().length < 8 || !sharingComplete(sharing)}>{t('feeds.subscribe')}</Button>
      </Form>
    </Card>
  );
}

function FeedItem({ feed, manages, onChanged, onDeleted }: { feed: Feed; manages: boolean; onChanged: (f: Feed) => void; onDeleted: () => void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<PullOutcome | null>(null);
  const [confirming, setConfirming] = useState(false);
  const when = (v: string | null) => (v ? formatDateTime(v, i18n.language) : t('feeds.never'));
  const act = async (f: () => Promise<void>) => {
    setBusy(true); setError(null);
    try { await f(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const state = !feed.enabled ? 'disabled' : feed.lastError && (!feed.lastSuccessAt || (feed.lastErrorAt ?? '') > feed.lastSuccessAt) ? 'failing' : feed.lastSuccessAt ? 'ok' : 'pending';
  const stateStyle = { ok: 'bg-green-100 text-green-900', failing: 'bg-red-100 text-red-900', pending: 'bg-slate-100 text-slate-800', disabled: 'bg-slate-200 text-slate-800' }[state];
  return (
    <li data-feed={feed.id} data-state={state} className="space-y-2 py-4">
      <h3 className="flex flex-wrap items-center gap-2 font-semibold text-slate-900">
        {feed.name}
        <span className="rounded bg-blue-50 px-2 py-0.5 text-xs text-blue-900">{t(`feeds.kinds.${feed.kind}`)}</span>
        <span data-feed-state={state} className={`rounded px-2 py-0.5 text-xs font-semibold ${stateStyle}`}>{t(`feeds.state.${state}`)}</span>
      </h3>
      <p className="font-mono text-xs break-all text-slate-700">{feed.url}</p>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(10rem,auto)_1fr]">
        <dt className="font-semibold">{t('feeds.lastSuccess')}</dt><dd data-field="lastSuccess">{when(feed.lastSuccessAt)}</dd>
        <dt className="font-semibold">{t('feeds.lastError')}</dt>
        <dd data-field="lastError">{feed.lastError ? <><span className="text-red-900">{feed.lastError}</span> <span className="text-xs text-slate-600">({when(feed.lastErrorAt)})</span></> : t('feeds.none')}</dd>
        <dt className="font-semibold">{t('feeds.added')}</dt>
        <dd data-field="added">{t('feeds.addedCounts', { last: formatNumber(feed.lastAdded, i18n.language), total: formatNumber(feed.totalAdded, i18n.language) })}</dd>
        <dt className="font-semibold">{t('feeds.nextPull')}</dt>
        <dd>{feed.enabled ? when(feed.nextPullAt) : t('feeds.paused')} <span className="text-xs text-slate-600">({t(`feeds.every.${feed.intervalMinutes}`, { defaultValue: t('feeds.everyMinutes', { n: feed.intervalMinutes }) })})</span></dd>
        {feed.failures > 0 && <><dt className="font-semibold">{t('feeds.failures')}</dt><dd>{formatNumber(feed.failures, i18n.language)}</dd></>}
        <dt className="font-semibold">{t('feeds.incoming')}</dt><dd className="space-x-1"><TlpBadge tlp={feed.tlpDefault} /> <ScopeBadge scope={feed.scope} /></dd>
        <dt className="font-semibold">{t('feeds.credentials')}</dt><dd>{feed.hasAuthorization ? t('feeds.credentialsStored') : t('feeds.credentialsNone')}</dd>
      </dl>
      {outcome && (outcome.ok
        ? <Notice>{t('feeds.pulled', { n: formatNumber(outcome.added, i18n.language) })}</Notice>
        : <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">{t('feeds.pullFailed', { error: outcome.error ?? '' })}</p>)}
      <ErrorNotice error={error} />
      {manages && (
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="secondary" isDisabled={busy} aria-label={t('feeds.pullNowOf', { name: feed.name })} onPress={() => act(async () => {
            const r = await post<{ outcome: PullOutcome; feed: Feed }>(`/api/intel/feeds/${feed.id}/pull`);
            setOutcome(r.outcome); onChanged(r.feed);
          })}>{t('feeds.pullNow')}</Button>
          <Button variant="secondary" isDisabled={busy} aria-label={t(feed.enabled ? 'feeds.disableOf' : 'feeds.enableOf', { name: feed.name })}
            onPress={() => act(async () => onChanged(await api<Feed>('PATCH', `/api/intel/feeds/${feed.id}`, { enabled: !feed.enabled })))}>
            {feed.enabled ? t('feeds.disable') : t('feeds.enable')}
          </Button>
          {!confirming ? (
            <Button variant="danger" isDisabled={busy} aria-label={t('feeds.deleteOf', { name: feed.name })} onPress={() => setConfirming(true)}>{t('feeds.delete')}</Button>
          ) : (
            <span className="inline-flex flex-wrap items-center gap-2">
              <span className="text-sm text-slate-800">{t('feeds.confirmDelete')}</span>
              <Button variant="danger" isDisabled={busy} onPress={() => act(async () => { await api('DELETE', `/api/intel/feeds/${feed.id}`); onDeleted(); })}>{t('feeds.confirmDeleteButton')}</Button>
              <Button variant="secondary" onPress={() => setConfirming(false)}>{t('misp.cancelButton')}</Button>
            </span>
          )}
        </div>
      )}
    </li>
  );
}

export default function Feeds() {
  const { t } = useTranslation();
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const load = useCallback(() => get<{ items: Feed[] }>('/api/intel/feeds').then((r) => setFeeds(r.items), setError), []);
  useEffect(() => {
    void load();
    get<SharingOptions>('/api/intel/sharing-options').then(setOptions, setError);
  }, [load]);
  const manages = (orgId: string) => !!options?.orgs.some((o) => o.id === orgId);
  const orgName = (orgId: string) => options?.orgs.find((o) => o.id === orgId)?.name;
  return (
    <Page title={t('feeds.title')}>
      <p className="flex flex-wrap gap-4 text-sm">
        <Link to="/intel/misp" className="text-blue-800 underline">{t('misp.toEvents')}</Link>
        <Link to="/intel/misp/export" className="text-blue-800 underline">{t('misp.export.title')}</Link>
      </p>
      <p className="text-slate-700">{t('feeds.intro')}</p>
      <ErrorNotice error={error} />
      {created && <Notice>{t('feeds.created', { name: created })}</Notice>}
      <Card title={t('feeds.listTitle')}>
        {!feeds && !error && <p role="status">{t('common.loading')}</p>}
        {feeds && feeds.length === 0 && <p className="text-slate-700">{t('feeds.noFeeds')}</p>}
        {feeds && feeds.length > 0 && (
          <ul className="divide-y divide-slate-100">
            {feeds.map((f) => (
              <FeedItem key={f.id} feed={f} manages={manages(f.orgId)}
                onChanged={(nf) => setFeeds((all) => all?.map((x) => (x.id === nf.id ? nf : x)) ?? null)}
                onDeleted={() => setFeeds((all) => all?.filter((x) => x.id !== f.id) ?? null)} />
            ))}
          </ul>
        )}
        {feeds && options && options.orgs.length > 1 && feeds.length > 0 && (
          <p className="mt-2 text-xs text-slate-600">{t('feeds.orgsNote', { orgs: [...new Set(feeds.map((f) => orgName(f.orgId) ?? f.orgId))].join(', ') })}</p>
        )}
      </Card>
      {options?.canUpload
        ? <CreateFeed options={options} onCreated={(f) => { setCreated(f.name); setFeeds((all) => [...(all ?? []), f].sort((a, b) => a.name.localeCompare(b.name))); }} />
        : options && <p className="text-slate-700">{t('feeds.cannotManage')}</p>}
    </Page>
  );
}
