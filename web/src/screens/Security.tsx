/** Two-step sign-in: enrol an authenticator (QR code), keep the recovery codes, renew or turn off. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import type { ConfirmBody, DisableBody, Enrolment, RecoveryCodes } from '../api-types.ts';
import { useSession } from '../session.tsx';
import { Button, Card, ErrorNotice, Field, Notice, Page, Form } from '../components/ui.tsx';

function CodesList({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-2">
      <p role="status" className="font-medium">{t('security.saveCodes')}</p>
      <ul aria-label={t('security.recoveryCodes')} className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((c) => <li key={c}>{c}</li>)}
      </ul>
    </div>
  );
}

export default function Security() {
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!me) return null;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const codeOf = (form: HTMLFormElement) => String(new FormData(form).get('code')).replace(/\s+/g, '');

  return (
    <Page title={t('security.title')}>
      {me.mustEnrol2fa && !codes && <Notice>{t('security.required')}</Notice>}
      {codes && (
        <Card title={t('security.recoveryCodes')}>
          <CodesList codes={codes} />
          <Button className="mt-4" onPress={() => { setCodes(null); void refresh(); }}>{t('security.savedThem')}</Button>
        </Card>
      )}
      {!codes && !me.twoFactorEnabled && (
        <Card title={t('security.enrolTitle')}>
          {!enrolment ? (
            <>
              <p className="mb-4 text-slate-700">{t('security.enrolIntro')}</p>
              <ErrorNotice error={error} />
              <Button isDisabled={busy} onPress={() => void run(async () => setEnrolment(await post<Enrolment>('/api/auth/2fa/enrol')))}>
                {t('security.start')}
              </Button>
            </>
          ) : (
            <div className="space-y-4">
              <p className="text-slate-700">{t('security.scan')}</p>
              <img src={enrolment.qrDataUrl} alt={t('security.qrAlt')} width={200} height={200} className="rounded border border-slate-200 bg-white" />
              <p className="text-sm">
                {t('security.manual')} <code data-testid="totp-secret" className="break-all rounded bg-slate-100 px-1 font-mono">{enrolment.secret}</code>
              </p>
              <Form className="flex max-w-md flex-col gap-4" onSubmit={(e) => {
                e.preventDefault();
                const body: ConfirmBody = { code: codeOf(e.currentTarget) };
                void run(async () => setCodes((await post<RecoveryCodes>('/api/auth/2fa/confirm', body)).recoveryCodes));
              }}>
                <Field name="code" label={t('login.code')} isRequired autoComplete="one-time-code" inputMode="numeric" />
                <ErrorNotice error={error} />
                <Button type="submit" isDisabled={busy}>{t('security.confirm')}</Button>
              </Form>
            </div>
          )}
        </Card>
      )}
      {!codes && me.twoFactorEnabled && (
        <>
          <Card title={t('security.onTitle')}>
            <p className="mb-4 text-slate-700">{t('security.onIntro')}</p>
            <Form className="flex max-w-md flex-col gap-4" onSubmit={(e) => {
              e.preventDefault();
              const body: ConfirmBody = { code: codeOf(e.currentTarget) };
              void run(async () => setCodes((await post<RecoveryCodes>('/api/auth/2fa/recovery-codes', body)).recoveryCodes));
            }}>
              <Field name="code" label={t('login.code')} isRequired autoComplete="one-time-code" />
              <Button type="submit" variant="secondary" isDisabled={busy}>{t('security.newCodes')}</Button>
            </Form>
          </Card>
          <Card title={t('security.disableTitle')}>
            <Form className="flex max-w-md flex-col gap-4" onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const body: DisableBody = { password: String(f.get('password')), code: String(f.get('code')).replace(/\s+/g, '') };
              void run(async () => {
                await post('/api/auth/2fa/disable', body);
                await refresh();
              });
            }}>
              <Field name="password" type="password" label={t('common.password')} isRequired autoComplete="current-password" />
              <Field name="code" label={t('login.code')} isRequired autoComplete="one-time-code" />
              <ErrorNotice error={error} />
              <Button type="submit" variant="danger" isDisabled={busy}>{t('security.disable')}</Button>
            </Form>
          </Card>
        </>
      )}
    </Page>
  );
}
