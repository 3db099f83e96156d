/**
 * The advisory's structured fields: CVEs with CVSS vectors (scored by the server as they are typed),
 * affected vendors/products/versions, references, severity, audience and the TLP marking. Pure
 * form state here; the editor screen sends it (POST when new, PATCH after).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api.ts';
import { Button, Field } from '../../components/ui.tsx';
import { SEVERITY_LEVELS, TLPS, selectClass, type CvssResult, type LiveAdvisory, type UpdateAdvisoryBody } from './shared.tsx';

export type VulnRow = { cve: string; title: string; cwe: string; cvssV3: string; cvssV4: string; cvssV4Score: string };
export type AffectedRow = { vendor: string; product: string; versions: string; fixedIn: string };
export type RefRow = { url: string; summary: string };
export type Marking = { tlp: string; scope: string; scopeOrgIds: string[]; sharingGroupId: string | null; recipientUserIds: string[] };
export type FieldsState = { severity: string; audience: string; vulnerabilities: VulnRow[]; affected: AffectedRow[]; references: RefRow[]; marking: Marking };

export const emptyVuln = (): VulnRow => ({ cve: '', title: '', cwe: '', cvssV3: '', cvssV4: '', cvssV4Score: '' });
export const emptyAffected = (): AffectedRow => ({ vendor: '', product: '', versions: '', fixedIn: '' });

export function emptyFields(): FieldsState {
  return {
    severity: '', audience: '', vulnerabilities: [emptyVuln()], affected: [emptyAffected()], references: [],
    marking: { tlp: 'clear', scope: 'public', scopeOrgIds: [], sharingGroupId: null, recipientUserIds: [] },
  };
}

export function fieldsFrom(live: LiveAdvisory): FieldsState {
  return {
    severity: live.severity, audience: live.audience,
    vulnerabilities: live.vulnerabilities.map((v) => ({
      cve: v.cve ?? '', title: v.title, cwe: v.cwe ?? '', cvssV3: v.cvssV3?.vectorString ?? '', cvssV4: v.cvssV4?.vectorString ?? '',
      cvssV4Score: typeof v.cvssV4?.baseScore === 'number' ? String(v.cvssV4.baseScore) : '',
    })),
    affected: live.affected.map((a) => ({ vendor: a.vendor, product: a.product, versions: a.versions.join(', '), fixedIn: a.fixedIn.join(', ') })),
    references: live.references.map((r) => ({ ...r })),
    marking: { tlp: live.marking.tlp, scope: live.marking.scope, scopeOrgIds: live.marking.scopeOrgIds, sharingGroupId: live.marking.sharingGroupId, recipientUserIds: live.marking.recipientUserIds },
  };
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** The wire form of the fields (empty optional values left out; the server validates the rest). */
export function fieldsBody(f: FieldsState): Required<Pick<UpdateAdvisoryBody, 'audience' | 'vulnerabilities' | 'affected' | 'references' | 'marking'>> & Pick<UpdateAdvisoryBody, 'severity'> {
  return {
    ...(f.severity ? { severity: f.severity as UpdateAdvisoryBody['severity'] } : {}),
    audience: f.audience.trim(),
    vulnerabilities: f.vulnerabilities.map((v) => ({
      cve: opt(v.cve), title: v.title.trim(), cwe: opt(v.cwe), cvssV3: opt(v.cvssV3), cvssV4: opt(v.cvssV4),
      cvssV4Score: v.cvssV4Score.trim() ? Number(v.cvssV4Score) : undefined,
    })),
    affected: f.affected.map((a) => ({ vendor: a.vendor.trim(), product: a.product.trim(), versions: list(a.versions), fixedIn: list(a.fixedIn) })),
    references: f.references.map((r) => ({ url: r.url.trim(), summary: r.summary.trim() })),
    marking: f.marking as NonNullable<UpdateAdvisoryBody['marking']>,
  };
}

/** The score of a vector as the server computes it (v3.1), or its validity (v4.0: score as published). */
export function CvssScore({ vector }: { vector: string }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<CvssResult | null>(null);
  useEffect(() => {
    if (!vector.trim()) { setResult(null); return; }
    let live = true;
    const timer = setTimeout(() => {
      post<CvssResult>('/api/advisories/cvss', { vector: vector.trim() }).then((r) => live && setResult(r), () => live && setResult(null));
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [vector]);
  return (
    <p aria-live="polite" className="text-xs" data-testid="cvss-score">
      {result && (result.valid
        ? (typeof result.baseScore === 'number'
          ? <span className="font-semibold text-slate-900">{t('advisories.cvssScore', { score: result.baseScore.toFixed(1), severity: t(`advisories.severity.${(result.baseSeverity ?? 'none').toLowerCase()}`) })}</span>
          : <span className="text-slate-800">{t('advisories.cvssV4Valid')}</span>)
        : <span className="text-red-800">{t('advisories.cvssInvalid', { error: result.error })}</span>)}
    </p>
  );
}

type Props = { value: FieldsState; onChange: (f: FieldsState) => void; disabled?: boolean };

export function FieldsEditor({ value: f, onChange, disabled }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<FieldsState>) => onChange({ ...f, ...patch });
  const setVuln = (i: number, patch: Partial<VulnRow>) => set({ vulnerabilities: f.vulnerabilities.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  const setAff = (i: number, patch: Partial<AffectedRow>) => set({ affected: f.affected.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const setRef = (i: number, patch: Partial<RefRow>) => set({ references: f.references.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const scopes = ['org', 'network', 'public', ...(f.marking.scope === 'orgs' || f.marking.scope === 'group' ? [f.marking.scope] : [])];
  return (
    <fieldset disabled={disabled} className="space-y-6">
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('advisories.tlp')}
          <select className={selectClass} value={f.marking.tlp} onChange={(e) => {
            const tlp = e.target.value;
            set({ marking: { ...f.marking, tlp, scope: tlp !== 'clear' && f.marking.scope === 'public' ? 'network' : f.marking.scope } });
          }}>
            {TLPS.map((l) => <option key={l} value={l}>TLP:{l.toUpperCase()}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('advisories.scope')}
          <select className={selectClass} value={f.marking.scope} onChange={(e) => set({ marking: { ...f.marking, scope: e.target.value } })}>
            {scopes.map((s) => <option key={s} value={s} disabled={s === 'public' && f.marking.tlp !== 'clear'}>{t(`advisories.scopes.${s}`)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('advisories.severityLabel')}
          <select className={selectClass} value={f.severity} onChange={(e) => set({ severity: e.target.value })}>
            <option value="">{t('advisories.severityAuto')}</option>
            {SEVERITY_LEVELS.map((s) => <option key={s} value={s}>{t(`advisories.severity.${s}`)}</option>)}
          </select>
        </label>
      </div>
      {f.marking.tlp === 'red' && <p className="text-sm text-slate-700">{t('advisories.redHint')}</p>}
      <Field label={t('advisories.audience')} value={f.audience} onChange={(audience) => set({ audience })} description={t('advisories.audienceHint')} />

      <section aria-labelledby="ed-vulns" className="space-y-3">
        <h3 id="ed-vulns" className="font-semibold">{t('advisories.vulnerabilities')}</h3>
        {f.vulnerabilities.map((v, i) => (
          <div key={i} role="group" aria-label={t('advisories.vulnN', { n: i + 1 })} className="grid gap-2 rounded border border-slate-200 p-3 sm:grid-cols-2">
            <Field label={t('advisories.cve')} value={v.cve} onChange={(cve) => setVuln(i, { cve })} description={t('advisories.cveHint')} />
            <Field label={t('advisories.cwe')} value={v.cwe} onChange={(cwe) => setVuln(i, { cwe })} />
            <div className="sm:col-span-2"><Field label={t('advisories.vulnTitle')} value={v.title} onChange={(title) => setVuln(i, { title })} isRequired /></div>
            <div><Field label={t('advisories.cvssV3')} value={v.cvssV3} onChange={(cvssV3) => setVuln(i, { cvssV3 })} inputClassName="font-mono text-xs" /><CvssScore vector={v.cvssV3} /></div>
            <div><Field label={t('advisories.cvssV4')} value={v.cvssV4} onChange={(cvssV4) => setVuln(i, { cvssV4 })} inputClassName="font-mono text-xs" /><CvssScore vector={v.cvssV4} /></div>
            {v.cvssV4.trim() && <Field label={t('advisories.cvssV4Score')} value={v.cvssV4Score} onChange={(cvssV4Score) => setVuln(i, { cvssV4Score })} inputMode="decimal" />}
            {f.vulnerabilities.length > 1 && <div className="sm:col-span-2"><Button variant="secondary" isDisabled={disabled} onPress={() => set({ vulnerabilities: f.vulnerabilities.filter((_, j) => j !== i) })}>{t('advisories.remove')}</Button></div>}
          </div>
        ))}
        <Button variant="secondary" isDisabled={disabled} onPress={() => set({ vulnerabilities: [...f.vulnerabilities, emptyVuln()] })}>{t('advisories.addVuln')}</Button>
      </section>

      <section aria-labelledby="ed-affected" className="space-y-3">
        <h3 id="ed-affected" className="font-semibold">{t('advisories.affected')}</h3>
        {f.affected.map((a, i) => (
          <div key={i} role="group" aria-label={t('advisories.productN', { n: i + 1 })} className="grid gap-2 rounded border border-slate-200 p-3 sm:grid-cols-2">
            <Field label={t('advisories.vendor')} value={a.vendor} onChange={(vendor) => setAff(i, { vendor })} isRequired />
            <Field label={t('advisories.product')} value={a.product} onChange={(product) => setAff(i, { product })} isRequired />
            <Field label={t('advisories.versions')} value={a.versions} onChange={(versions) => setAff(i, { versions })} description={t('advisories.commaSeparated')} isRequired />
            <Field label={t('advisories.fixedIn')} value={a.fixedIn} onChange={(fixedIn) => setAff(i, { fixedIn })} description={t('advisories.commaSeparated')} />
            {f.affected.length > 1 && <div className="sm:col-span-2"><Button variant="secondary" isDisabled={disabled} onPress={() => set({ affected: f.affected.filter((_, j) => j !== i) })}>{t('advisories.remove')}</Button></div>}
          </div>
        ))}
        <Button variant="secondary" isDisabled={disabled} onPress={() => set({ affected: [...f.affected, emptyAffected()] })}>{t('advisories.addProduct')}</Button>
      </section>

      <section aria-labelledby="ed-refs" className="space-y-3">
        <h3 id="ed-refs" className="font-semibold">{t('advisories.references')}</h3>
        {f.references.map((r, i) => (
          <div key={i} role="group" aria-label={t('advisories.referenceN', { n: i + 1 })} className="grid gap-2 rounded border border-slate-200 p-3 sm:grid-cols-2">
            <Field label={t('advisories.url')} type="url" value={r.url} onChange={(url) => setRef(i, { url })} isRequired />
            <Field label={t('advisories.refSummary')} value={r.summary} onChange={(summary) => setRef(i, { summary })} isRequired />
            <div className="sm:col-span-2"><Button variant="secondary" isDisabled={disabled} onPress={() => set({ references: f.references.filter((_, j) => j !== i) })}>{t('advisories.remove')}</Button></div>
          </div>
        ))}
        <Button variant="secondary" isDisabled={disabled} onPress={() => set({ references: [...f.references, { url: '', summary: '' }] })}>{t('advisories.addReference')}</Button>
      </section>
    </fieldset>
  );
}
