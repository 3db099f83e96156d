/** First run: the one-time link printed by the server creates the first administrator. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import type { SetupBody } from '../api-types.ts';
import { isLanguage } from '../i18n.ts';
import { Button, Card, ErrorNotice, Field, Notice, Page, Form } from '../components/ui.tsx';

export default function Setup() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  if (!token) {
    return <Page title={t('setup.title')}><p>{t('setup.noToken')}</p></Page>;
  }
  if (done) {
    return (
      <Page title={t('setup.title')}>
        <Notice>{t('setup.done')}</Notice>
        <Link to="/login" className="text-blue-800 underline">{t('setup.toLogin')}</Link>
      </Page>
    );
  }
  return (
    <Page title={t('setup.title')}>
      <Card>
        <p className="mb-4 text-slate-700">{t('setup.intro')}</p>
        <Form
          className="flex max-w-md flex-col gap-4"
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const body: SetupBody = {
              token, email: String(f.get('email')), displayName: String(f.get('displayName')), password: String(f.get('password')),
              locale: isLanguage(i18n.language) ? i18n.language : 'en',
            };
            setBusy(true);
            setError(null);
            try {
              await post('/api/setup', body);
              setDone(true);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field name="displayName" label={t('setup.displayName')} isRequired autoComplete="name" />
          <Field name="email" type="email" label={t('common.email')} isRequired autoComplete="email" />
          <Field name="password" type="password" label={t('common.password')} description={t('setup.passwordHint')} isRequired minLength={12} autoComplete="new-password" />
          <ErrorNotice error={error} />
          <Button type="submit" isDisabled={busy}>{t('setup.submit')}</Button>
        </Form>
      </Card>
    </Page>
  );
}
