/** A CSIRT applies for membership (no account needed); the answer is a private status link. */
import { useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import type { ApplicationBody, Country, CsirtType, Submitted } from '../../api-types.ts';
import { isLanguage } from '../../i18n.ts';
import { Button, Card, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';

const CSIRT: CsirtType[] = ['national_csirt', 'sectoral_csirt'];
const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';
const labelClass = 'text-sm font-medium text-slate-800';

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export default function Apply() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [countries, setCountries] = useState<Country[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = { country: useId(), type: useId(), mandate: useId(), constituency: useId() };
  const lang = isLanguage(i18n.language) ? i18n.language : 'en';
  useEffect(() => {
    get<{ items: Country[] }>('/api/countries', { oas: 'true', locale: lang }).then((r) => setCountries(r.items), setError);
  }, [lang]);

  return (
    <Page title={t('apply.title')}>
      <Card>
        <p className="mb-4 text-slate-700">{t('apply.intro')}</p>
        <Form className="grid max-w-2xl gap-4" onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const s = (k: string) => String(f.get(k) ?? '').trim();
          const file = f.get('mandate');
          setBusy(true);
          setError(null);
          try {
            const body: ApplicationBody = {
              orgName: s('orgName'), orgType: s('orgType') as CsirtType, countryCode: s('countryCode'),
              ...(s('website') ? { website: s('website') } : {}), constituency: s('constituency'),
              headName: s('headName'), headEmail: s('headEmail'), applicantEmail: s('applicantEmail'), locale: lang,
              mandate: file instanceof File && file.size > 0
                ? { filename: file.name, contentType: file.type || 'application/octet-stream', dataBase64: await toBase64(file) }
                : { filename: '', contentType: '', dataBase64: '' },
            };
            const res = await post<Submitted>('/api/membership/applications', body);
            navigate(`/apply/status?token=${encodeURIComponent(res.statusToken)}&new=1`);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}>
          <Field name="orgName" label={t('apply.orgName')} isRequired />
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.type} className={labelClass}>{t('apply.orgType')}</label>
            <select id={ids.type} name="orgType" required className={selectClass}>
              {CSIRT.map((c) => <option key={c} value={c}>{t(`orgTypes.${c}`)}</option>)}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.country} className={labelClass}>{t('apply.country')}</label>
            <select id={ids.country} name="countryCode" required className={selectClass} defaultValue="">
              <option value="" disabled>{t('apply.chooseCountry')}</option>
              {countries.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
            </select>
          </div>
          <Field name="website" type="url" label={t('apply.website')} />
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.constituency} className={labelClass}>{t('apply.constituency')}</label>
            <textarea id={ids.constituency} name="constituency" required minLength={10} rows={4} className={selectClass} />
          </div>
          <Field name="headName" label={t('apply.headName')} isRequired />
          <Field name="headEmail" type="email" label={t('apply.headEmail')} isRequired />
          <Field name="applicantEmail" type="email" label={t('apply.applicantEmail')} isRequired />
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.mandate} className={labelClass}>{t('apply.mandate')}</label>
            <input id={ids.mandate} name="mandate" type="file" required accept=".pdf,.odt,.docx,.doc,.png,.jpg,.jpeg,.txt" className="text-sm" />
          </div>
          <ErrorNotice error={error} />
          <Button type="submit" isDisabled={busy}>{t('apply.submit')}</Button>
        </Form>
      </Card>
    </Page>
  );
}
