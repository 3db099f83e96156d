/** Sign in; when the server asks for a second factor, a second step takes a TOTP or recovery code. */
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import type { LoginBody, LoginResponse, SecondFactorBody } from '../api-types.ts';
import { useSession } from '../session.tsx';
import { Button, Card, ErrorNotice, Field, Notice, Page, Form } from '../components/ui.tsx';

/** Where to go after signing in: only paths inside this app. */
const safeNext = (v: string | null) => (v && v.startsWith('/') && !v.startsWith('//') ? v : '/');

export default function Login() {
  const { t } = useTranslation();
  const { me, needsSetup, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<LoginResponse | null>(null);

  if (me) return <Navigate to={next} replace />;

  const finish = async (res: LoginResponse) => {
    await signedIn(res.csrfToken);
    navigate(next, { replace: true });
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (challenge) {
    return (
      <Page title={t('login.secondFactorTitle')}>
        <Card>
          <p className="mb-4 text-slate-700">{t('login.secondFactorIntro')}</p>
          <Form
            className="flex max-w-md flex-col gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              const code = String(new FormData(e.currentTarget).get('code')).replace(/\s+/g, '');
              void run(async () => {
                const body: SecondFactorBody = { challenge: challenge.challenge ?? '', code };
                const res = await post<LoginResponse>('/api/auth/login/second-factor', body);
                await finish(res);
              });
            }}
          >
            <Field name="code" label={t('login.code')} description={t('login.codeHint')} isRequired autoComplete="one-time-code" autoFocus />
            <ErrorNotice error={error} />
            <Button type="submit" isDisabled={busy}>{t('login.verify')}</Button>
          </Form>
        </Card>
      </Page>
    );
  }

  return (
    <Page title={t('login.title')}>
      {needsSetup && <Notice>{t('login.needsSetup')}</Notice>}
      <Card>
        <Form
          className="flex max-w-md flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const body: LoginBody = { email: String(f.get('email')), password: String(f.get('password')) };
            void run(async () => {
              const res = await post<LoginResponse>('/api/auth/login', body);
              if (res.secondFactorRequired) setChallenge(res);
              else await finish(res);
            });
          }}
        >
          <Field name="email" type="email" label={t('common.email')} isRequired autoComplete="username" />
          <Field name="password" type="password" label={t('common.password')} isRequired autoComplete="current-password" />
          <ErrorNotice error={error} />
          <Button type="submit" isDisabled={busy}>{t('login.submit')}</Button>
        </Form>
        <div className="mt-4 flex flex-wrap gap-4 text-sm">
          <Link to="/forgot-password" className="text-blue-800 underline">{t('login.forgot')}</Link>
          <Link to="/apply" className="text-blue-800 underline">{t('login.apply')}</Link>
        </div>
      </Card>
    </Page>
  );
}
