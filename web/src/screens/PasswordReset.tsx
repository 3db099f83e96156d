/** Forgotten password: ask for a link by email, then set a new password with it. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import type { ResetCompleteBody, ResetRequestBody } from '../api-types.ts';
import { Button, Card, ErrorNotice, Field, Notice, Page, Form } from '../components/ui.tsx';

function useSubmit() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, done, run };
}

export function ForgotPassword() {
  const { t } = useTranslation();
  const s = useSubmit();
  return (
    <Page title={t('reset.requestTitle')}>
      <Card>
        {s.done ? <Notice>{t('reset.requested')}</Notice> : (
          <Form className="flex max-w-md flex-col gap-4" onSubmit={(e) => {
            e.preventDefault();
            const body: ResetRequestBody = { email: String(new FormData(e.currentTarget).get('email')) };
            void s.run(() => post('/api/auth/password-reset/request', body));
          }}>
            <p className="text-slate-700">{t('reset.requestIntro')}</p>
            <Field name="email" type="email" label={t('common.email')} isRequired autoComplete="email" />
            <ErrorNotice error={s.error} />
            <Button type="submit" isDisabled={s.busy}>{t('reset.requestSubmit')}</Button>
          </Form>
        )}
      </Card>
    </Page>
  );
}

export function ResetPassword() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const s = useSubmit();
  return (
    <Page title={t('reset.title')}>
      <Card>
        {s.done ? (
          <>
            <Notice>{t('reset.done')}</Notice>
            <Link to="/login" className="mt-3 inline-block text-blue-800 underline">{t('setup.toLogin')}</Link>
          </>
        ) : (
          <Form className="flex max-w-md flex-col gap-4" onSubmit={(e) => {
            e.preventDefault();
            const body: ResetCompleteBody = { token, password: String(new FormData(e.currentTarget).get('password')) };
            void s.run(() => post('/api/auth/password-reset/complete', body));
          }}>
            <Field name="password" type="password" label={t('reset.newPassword')} description={t('setup.passwordHint')} isRequired minLength={12} autoComplete="new-password" />
            <ErrorNotice error={s.error} />
            <Button type="submit" isDisabled={s.busy || !token}>{t('reset.submit')}</Button>
          </Form>
        )}
      </Card>
    </Page>
  );
}

/** A one-click confirmation for an emailed link (a button, so that mail scanners do not use it). */
function ConfirmLink({ title, intro, done, path }: { title: string; intro: string; done: string; path: string }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const s = useSubmit();
  return (
    <Page title={title}>
      <Card>
        {s.done ? <Notice>{done}</Notice> : (
          <div className="flex max-w-md flex-col gap-4">
            <p className="text-slate-700">{intro}</p>
            <ErrorNotice error={s.error} />
            <Button isDisabled={s.busy || !token} onPress={() => void s.run(() => post(path, { token }))}>{t('common.confirm')}</Button>
          </div>
        )}
        <Link to="/" className="mt-3 inline-block text-blue-800 underline">{t('notFound.home')}</Link>
      </Card>
    </Page>
  );
}

export function VerifyEmail() {
  const { t } = useTranslation();
  return <ConfirmLink title={t('verify.title')} intro={t('verify.intro')} done={t('verify.done')} path="/api/auth/verify-email" />;
}

export function Unlock() {
  const { t } = useTranslation();
  return <ConfirmLink title={t('unlock.title')} intro={t('unlock.intro')} done={t('unlock.done')} path="/api/auth/unlock" />;
}
