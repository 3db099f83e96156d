/**
 * One STIX object: its properties rendered readably (references as links, patterns and hashes as
 * code, external references), the raw JSON exactly as shared, its versions, relationships and
 * sightings in and out with links, its marking and sharing scope, and the sections other intel
 * screens register (correlations, sightings). Everything shown is what the server returned for
 * this reader; objects the reader may not see appear only as an identifier, never as a link.
 */
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Card, ErrorNotice, Page } from '../../components/ui.tsx';
import { OBJECT_SECTIONS } from './object-sections.tsx';
import { objectPath, ScopeBadge, titleOf, TlpBadge, TypeBadge, type Listed, type ObjectDetail } from './shared.tsx';

const ID_RE = /^[a-z][a-z0-9-]+--[0-9a-f-]{36}$/i;
/** Properties shown in the header or their own section rather than in the property list. */
const SHOWN_ELSEWHERE = new Set(['type', 'id', 'spec_version', 'object_marking_refs', 'granular_markings', 'external_references']);
const TLP_MARKING_NAMES: Record<string, string> = {
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'TLP:CLEAR',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'TLP:GREEN',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'TLP:AMBER',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'TLP:AMBER+STRICT',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'TLP:RED',
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'TLP:WHITE (1.0)',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'TLP:GREEN (1.0)',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'TLP:AMBER (1.0)',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'TLP:RED (1.0)',
};

function Ref({ id, related }: { id: string; related: ObjectDetail['related'] }) {
  const { t } = useTranslation();
  const r = related[id];
  if (!r) return <span className="font-mono text-xs break-all text-slate-700" title={t('intel.notVisible')}>{id}</span>;
  return <Link to={objectPath(id)} className="break-all text-blue-800 underline">{r.title ?? id}</Link>;
}

const safeUrl = (u: unknown): string | null => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);

function Value({ name, value, related }: { name: string; value: unknown; related: ObjectDetail['related'] }): ReactNode {
  const { i18n } = useTranslation();
  if (typeof value === 'string') {
    if ((name.endsWith('_ref') || name.endsWith('_refs')) && ID_RE.test(value)) return <Ref id={value} related={related} />;
    if (name === 'pattern' || name.endsWith('_hex') || name.endsWith('_bin')) return <code className="rounded bg-slate-100 px-1 font-mono text-sm break-all">{value}</code>;
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return <time dateTime={value}>{formatDateTime(value, i18n.language)}</time>;
    return <span className="whitespace-pre-wrap break-words">{value}</span>;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' && v.length < 60) && !name.endsWith('_refs')) return <span>{value.join(', ')}</span>;
    return <ul className="list-disc space-y-1 pl-5">{value.map((v, i) => <li key={i}><Value name={name} value={v} related={related} /></li>)}</ul>;
  }
  if (value && typeof value === 'object') {
    return (
      <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 gap-y-1 border-l-2 border-slate-200 pl-3">
        {Object.entries(value).map(([k, v]) => (
          <Fragment key={k}><dt className="font-mono text-xs text-slate-700">{k}</dt><dd><Value name={k} value={v} related={related} /></dd></Fragment>
        ))}
      </dl>
    );
  }
  return null;
}

function Relationship({ rel, self, related }: { rel: Listed; self: string; related: ObjectDetail['related'] }) {
  const { t } = useTranslation();
  const o = rel.object as { type: string; relationship_type?: string; source_ref?: string; target_ref?: string; sighting_of_ref?: string; count?: number };
  const isSighting = o.type === 'sighting';
  const source = isSighting ? o.sighting_of_ref : o.source_ref;
  const outgoing = !isSighting && source === self;
  const other = outgoing ? o.target_ref : isSighting ? undefined : o.source_ref;
  const verb = isSighting ? t('intel.sightingVerb', { n: o.count ?? 1 }) : (o.relationship_type ?? 'related-to');
  return (
    <li className="flex flex-wrap items-center gap-2 py-1" data-relationship={rel.object.id}>
      <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-800">{outgoing ? t('intel.outgoing') : t('intel.incoming')}</span>
      {outgoing ? <><span className="text-slate-700">{t('intel.thisObject')}</span> <Link to={objectPath(rel.object.id)} className="font-mono text-sm text-blue-800 underline">{verb}</Link> {other && <Ref id={other} related={related} />}</>
        : <>{other ? <Ref id={other} related={related} /> : <span className="text-slate-700">{t('intel.someone')}</span>} <Link to={objectPath(rel.object.id)} className="font-mono text-sm text-blue-800 underline">{verb}</Link> <span className="text-slate-700">{t('intel.thisObject')}</span></>}
      {other && related[other] && <TypeBadge type={related[other]!.type} />}
      <TlpBadge tlp={rel.meta.tlp} />
    </li>
  );
}

export default function ObjectPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const version = params.get('version') ?? undefined;
  const [data, setData] = useState<ObjectDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [showRaw, setShowRaw] = useState(false);
  useEffect(() => {
    setData(null); setError(null);
    get<ObjectDetail>(`/api/intel/objects/${encodeURIComponent(id)}`, { version }).then(setData, setError);
  }, [id, version]);

  if (!data) return <Page title={t('intel.objectTitle')}><ErrorNotice error={error} />{!error && <p role="status">{t('common.loading')}</p>}</Page>;
  const { item, permissions, versions, relationships, related } = data;
  const obj = item.object;
  const markings = (obj.object_marking_refs as string[] | undefined) ?? [];
  const granular = (obj.granular_markings as unknown[] | undefined) ?? [];
  const extRefs = (obj.external_references as { source_name?: string; url?: string; external_id?: string; description?: string }[] | undefined) ?? [];
  const props = Object.entries(obj).filter(([k]) => !SHOWN_ELSEWHERE.has(k));
  return (
    <Page title={titleOf(item.meta)}>
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <TypeBadge type={item.meta.type} /> <TlpBadge tlp={item.meta.tlp} /> <ScopeBadge scope={item.meta.scope} />
        {item.meta.revoked && <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900">{t('intel.revoked')}</span>}
        {permissions.ownedByYou && <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-900">{t('intel.ownedByYou')}</span>}
        <span className="font-mono text-xs break-all text-slate-700">{obj.id}</span>
      </p>
      <Link to="/intel" className="text-sm text-blue-800 underline">{t('intel.backToList')}</Link>

      <Card title={t('intel.properties')}>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-[minmax(10rem,auto)_1fr]">
          {props.map(([k, v]) => (
            <Fragment key={k}><dt className="font-mono text-sm font-semibold text-slate-800">{k}</dt><dd className="text-slate-900"><Value name={k} value={v} related={related} /></dd></Fragment>
          ))}
        </dl>
        {extRefs.length > 0 && (
          <>
            <h3 className="mt-4 font-semibold">{t('intel.externalReferences')}</h3>
            <ul className="list-disc pl-5">
              {extRefs.map((r, i) => {
                const url = safeUrl(r.url);
                const label = [r.source_name, r.external_id].filter(Boolean).join(' ') || r.url || '';
                return <li key={i}>{url ? <a href={url} rel="noopener noreferrer" className="text-blue-800 underline">{label}</a> : label}{r.description ? ` — ${r.description}` : ''}</li>;
              })}
            </ul>
          </>
        )}
      </Card>

      <Card title={t('intel.markingTitle')}>
        <dl className="grid grid-cols-[minmax(10rem,auto)_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="font-semibold">{t('intel.storedTlp')}</dt><dd><TlpBadge tlp={item.meta.tlp} /></dd>
          <dt className="font-semibold">{t('intel.scope')}</dt><dd><ScopeBadge scope={item.meta.scope} /> <span className="text-slate-700">{t(`intel.scopeHelp.${item.meta.scope}`)}</span></dd>
          <dt className="font-semibold">{t('intel.objectMarkings')}</dt>
          <dd>{markings.length ? markings.map((m) => <span key={m} className="mr-2 font-mono text-xs">{TLP_MARKING_NAMES[m] ?? m}</span>) : t('intel.noMarkings')}</dd>
          <dt className="font-semibold">{t('intel.granular')}</dt><dd>{granular.length ? t('intel.granularCount', { n: granular.length }) : t('intel.noMarkings')}</dd>
        </dl>
      </Card>

      <Card title={t('intel.relationships')}>
        {relationships.length === 0 ? <p className="text-slate-700">{t('intel.noRelationships')}</p>
          : <ul className="divide-y divide-slate-100">{relationships.map((r) => <Relationship key={r.object.id} rel={r} self={obj.id} related={related} />)}</ul>}
      </Card>

      {OBJECT_SECTIONS.map((Section, i) => <Section key={i} id={obj.id} permissions={permissions} />)}

      <Card title={t('intel.versions')}>
        <ol className="space-y-1 text-sm">
          {versions.map((v) => {
            const current = v.version === item.meta.version;
            return (
              <li key={`${v.version}-${v.dateAdded}`}>
                {current ? <strong aria-current="true">{v.version ? formatDateTime(v.version, i18n.language) : t('intel.unversioned')} ({t('intel.shown')})</strong>
                  : <Link to={objectPath(obj.id, v.version)} className="text-blue-800 underline">{v.version ? formatDateTime(v.version, i18n.language) : t('intel.unversioned')}</Link>}
                <span className="ml-2 text-slate-700">{t('intel.addedOn', { when: formatDateTime(v.dateAdded, i18n.language) })}</span>
                {v.revoked && <span className="ml-2 text-red-900">{t('intel.revoked')}</span>}
              </li>
            );
          })}
        </ol>
      </Card>

      <Card title={t('intel.raw')}>
        <button type="button" aria-expanded={showRaw} aria-controls="raw-json" onClick={() => setShowRaw(!showRaw)}
          className="rounded border border-slate-400 bg-white px-3 py-1 text-sm hover:bg-slate-100">{showRaw ? t('intel.hideRaw') : t('intel.showRaw')}</button>
        {showRaw && <pre id="raw-json" tabIndex={0} aria-label={t('intel.raw')} className="mt-3 max-h-[32rem] overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(obj, null, 2)}</pre>}
      </Card>
    </Page>
  );
}
