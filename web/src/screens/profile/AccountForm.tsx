/** Name, language and time zone (PATCH /api/me); the new language applies at once. */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import type { ProfilePatchBody } from '../../api-types.ts';
import { applyLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, rememberLanguage } from '../../i18n.ts';
import { useSession } from '../../session.tsx';
import { Button, Card, ErrorNotice, Field, Notice, Form } from '../../components/ui.tsx';

const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';

export function AccountForm() {
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const langId = useId();
  const tzId = useId();
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']), []);
  if (!me) return null;
  const tz = me.user.timeZone || '';
  return (
    <Card title={t('profile.account')}>
      <p className="mb-3 text-sm text-slate-700">{me.user.email}</p>
      <Form className="flex max-w-md flex-col gap-4" onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const locale = String(f.get('locale'));
        const body: ProfilePatchBody = {
          displayName: String(f.get('displayName')),
          ...(isLanguage(locale) ? { locale } : {}),
          ...(f.get('timeZone') ? { timeZone: String(f.get('timeZone')) } : {}),
        };
        setError(null);
        setSaved(false);
        try {
          await api('PATCH', '/api/me', body);
          if (isLanguage(locale)) {
            rememberLanguage(null);
            await applyLanguage(locale);
          }
          await refresh();
          setSaved(true);
        } catch (err) {
          setError(err);
        }
      }}>
        <Field name="displayName" label={t('profile.displayName')} defaultValue={me.user.displayName ?? ''} isRequired autoComplete="name" />
        <div className="flex flex-col gap-1">
          <label htmlFor={langId} className="text-sm font-medium text-slate-800">{t('profile.language')}</label>
          <select id={langId} name="locale" defaultValue={me.user.locale} className={selectClass}>
            {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={tzId} className="text-sm font-medium text-slate-800">{t('profile.timeZone')}</label>
          <select id={tzId} name="timeZone" defaultValue={tz} className={selectClass}>
            <option value="">{t('profile.browserTimeZone')}</option>
            {zones.map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </div>
        <ErrorNotice error={error} />
        {saved && <Notice>{t('common.saved')}</Notice>}
        <Button type="submit">{t('common.save')}</Button>
      </Form>
    </Card>
  );
}
