/**
 * Collections and TAXII access for the reader's team: the TAXII discovery and API-root addresses,
 * the collections the server lists for this person (the TAXII server's own per-actor list, read
 * through GET /api/intel/taxii) with what they may do in each, ready-made client configurations
 * (curl, OpenCTI, MISP) and a button that creates an API token with the `taxii` scope, shown once.
 */
import { useEffect, useState } from 'react';
import { Checkbox, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import type { CreatedToken, CreateTokenBody, TokenScope } from '../../api-types.ts';
import { formatBytes, formatDateTime } from '../../format.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import type { TaxiiConnection } from '../../../../src/intel/taxii/collections.routes.ts';
import { CopyBlock, CopyField } from './copy.tsx';
import { curlSnippet, mispFeedSnippet, openCtiSnippet, type SnippetContext } from './taxii-snippets.ts';
import { labelClass, selectClass } from './shared.tsx';

function Toggle({ isSelected, onChange, label }: { isSelected: boolean; onChange: (v: boolean) => void; label: string }) {
  return (
    <Checkbox isSelected={isSelected} onChange={onChange} className="flex items-center gap-2 text-sm">
      {({ isSelected: on }) => (
        <>
          <span aria-hidden="true" className={`inline-block h-4 w-4 rounded border border-slate-500 ${on ? 'bg-blue-700' : 'bg-white'}`} />
          <span>{label}</span>
        </>
      )}
    </Checkbox>
  );
}

function TokenCard({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const { t, i18n } = useTranslation();
  const [write, setWrite] = useState(false);
  const [misp, setMisp] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Card title={t('intel.taxii.tokenTitle')}>
      <p className="mb-3 text-sm text-slate-700">{t('intel.taxii.tokenIntro')}</p>
      <Form className="flex max-w-lg flex-col gap-3" onSubmit={async (e) => {
        e.preventDefault();
        const scopes: TokenScope[] = ['taxii', ...(write ? ['intel:write' as const] : []), ...(misp ? ['intel:read' as const] : [])];
        const body: CreateTokenBody = { name: String(new FormData(e.currentTarget).get('name')), scopes, expiresInDays: 365 };
        setBusy(true); setError(null);
        try {
          const token = await post<CreatedToken>('/api/me/tokens', body);
          setCreated(token);
          onCreated(token);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}>
        <Field name="name" label={t('intel.taxii.tokenName')} defaultValue={t('intel.taxii.tokenDefaultName')} isRequired maxLength={100} />
        <Toggle isSelected={write} onChange={setWrite} label={t('intel.taxii.allowWrite')} />
        <Toggle isSelected={misp} onChange={setMisp} label={t('intel.taxii.allowMisp')} />
        <ErrorNotice error={error} />
        <Button type="submit" className="self-start" isDisabled={busy}>{t('intel.taxii.createToken')}</Button>
      </Form>
      {created && (
        <div className="mt-4 space-y-2" data-token-created="">
          <Notice>{t('intel.taxii.tokenShownOnce', { scopes: created.scopes.join(', ') })}</Notice>
          <CopyField label={t('intel.taxii.tokenValue')} value={created.token} name="taxii-token" />
          {created.expiresAt && <p className="text-sm text-slate-700">{t('intel.taxii.expires', { when: formatDateTime(created.expiresAt, i18n.language) })}</p>}
        </div>
      )}
      <p className="mt-3 text-sm"><Link to="/profile" className="text-blue-800 underline">{t('intel.taxii.manageTokens')}</Link></p>
    </Card>
  );
}

export default function Collections() {
  const { t, i18n } = useTranslation();
  const [conn, setConn] = useState<TaxiiConnection | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [token, setToken] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>('');
  useEffect(() => {
    get<TaxiiConnection>('/api/intel/taxii').then((c) => { setConn(c); setChosen(c.collections.find((x) => x.kind === 'org')?.id ?? c.collections[0]?.id ?? ''); }, setError);
  }, []);
  const origin = window.location.origin;
  if (!conn) return <Page title={t('intel.taxii.title')}><ErrorNotice error={error} />{!error && <p role="status">{t('common.loading')}</p>}</Page>;
  const ctx: SnippetContext = { origin, discoveryPath: conn.discoveryPath, apiRootPath: conn.apiRootPath, mediaType: conn.mediaType, token };
  const selected = conn.collections.find((c) => c.id === chosen) ?? conn.collections[0];
  return (
    <Page title={t('intel.taxii.title')}>
      <p className="text-slate-700">{t('intel.taxii.intro')}</p>
      <Card title={t('intel.taxii.connection')}>
        <div className="space-y-3">
          <CopyField label={t('intel.taxii.discoveryUrl')} value={`${origin}${conn.discoveryPath}`} />
          <CopyField label={t('intel.taxii.apiRootUrl')} value={`${origin}${conn.apiRootPath}`} />
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(10rem,auto)_1fr]">
            <dt className="font-semibold">{t('intel.taxii.mediaType')}</dt><dd className="font-mono">{conn.mediaType}</dd>
            <dt className="font-semibold">{t('intel.taxii.maxContent')}</dt><dd>{formatBytes(conn.maxContentLength, i18n.language)}</dd>
            <dt className="font-semibold">{t('intel.taxii.auth')}</dt><dd>{t('intel.taxii.authHelp')}</dd>
            <dt className="font-semibold">{t('intel.taxii.scopesNeeded')}</dt>
            <dd>{t('intel.taxii.scopesHelp', { read: conn.scopes.read.join(' + '), write: conn.scopes.write.join(' + ') })}</dd>
          </dl>
        </div>
      </Card>

      <TokenCard onCreated={(c) => setToken(c.token)} />

      <Card title={t('intel.taxii.collections')}>
        {conn.collections.length === 0 ? <p>{t('intel.taxii.noCollections')}</p> : (
          <ul className="divide-y divide-slate-100">
            {conn.collections.map((c) => (
              <li key={c.id} data-collection={c.id} className="space-y-2 py-3">
                <h3 className="font-semibold text-slate-900">{c.title}</h3>
                <p className="text-sm text-slate-700">{c.description}</p>
                <p className="flex flex-wrap gap-2 text-xs">
                  <span className="rounded bg-slate-100 px-2 py-0.5 font-semibold text-slate-800">{t(`intel.taxii.kind.${c.kind}`)}</span>
                  <span className={`rounded px-2 py-0.5 font-semibold ${c.canWrite ? 'bg-green-100 text-green-900' : 'bg-slate-100 text-slate-800'}`}>
                    {c.canWrite ? t('intel.taxii.readWrite') : t('intel.taxii.readOnly')}
                  </span>
                </p>
                <CopyField label={t('intel.taxii.objectsUrlOf', { title: c.title })} value={`${origin}${c.objectsPath}`} />
              </li>
            ))}
          </ul>
        )}
      </Card>

      {selected && (
        <Card title={t('intel.taxii.clients')}>
          <p className="mb-3 text-sm text-slate-700">{token ? t('intel.taxii.snippetsWithToken') : t('intel.taxii.snippetsNoToken')}</p>
          <label className={`${labelClass} mb-4 max-w-md`}>{t('intel.taxii.snippetCollection')}
            <select className={selectClass} value={selected.id} onChange={(e) => setChosen(e.target.value)}>
              {conn.collections.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
            </select>
          </label>
          <Tabs defaultSelectedKey="curl">
            <TabList aria-label={t('intel.taxii.clients')} className="flex flex-wrap gap-1 border-b border-slate-300">
              {(['curl', 'opencti', 'misp'] as const).map((k) => (
                <Tab key={k} id={k} className="cursor-default rounded-t px-3 py-2 text-sm text-slate-800 outline-none data-[focus-visible]:ring-2 data-[selected]:bg-slate-800 data-[selected]:text-white">
                  {t(`intel.taxii.client.${k}`)}
                </Tab>
              ))}
            </TabList>
            <TabPanel id="curl" className="pt-4"><CopyBlock label={t('intel.taxii.client.curl')} value={curlSnippet(selected, ctx)} /></TabPanel>
            <TabPanel id="opencti" className="pt-4"><CopyBlock label={t('intel.taxii.client.opencti')} value={openCtiSnippet(selected, ctx)} /></TabPanel>
            <TabPanel id="misp" className="pt-4">
              <p className="mb-2 text-sm text-slate-700">{t('intel.taxii.mispHelp')}</p>
              <CopyBlock label={t('intel.taxii.client.misp')} value={mispFeedSnippet(selected, ctx)} />
            </TabPanel>
          </Tabs>
        </Card>
      )}
    </Page>
  );
}
