/** Accept an invitation from the emailed link: creates the account (or joins with the existing one). */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import type { AcceptBody, InvitationLookup } from '../../api-types.ts';
import { isLanguage } from '../../i18n.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';

export default function AcceptInvitation() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [inv, setInv] = useState<InvitationLookup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (token) get<InvitationLookup>('/api/invitations/lookup', { token }).then(setInv, setError);
  }, [token]);
  return (
    <Page title={t('invitation.title')}>
      <ErrorNotice error={error} />
      {done && (
        <>
          <Notice>{t('invitation.done')}</Notice>
          <Link to="/login" className="text-blue-800 underline">{t('setup.toLogin')}</Link>
        </>
      )}
      {inv && !done && (
        <Card>
          <p className="mb-4 text-slate-700">
            {t('invitation.intro', { org: inv.organisation ?? '', role: t(`orgRoles.${inv.role}`), email: inv.email })}
          </p>
          <Form className="flex max-w-md flex-col gap-4" onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const body: AcceptBody = {
              token, password: String(f.get('password')),
              ...(f.get('displayName') ? { displayName: String(f.get('displayName')) } : {}),
              ...(inv.accountExists ? {} : { locale: isLanguage(i18n.language) ? i18n.language : 'en' }),
            };
            setBusy(true);
            setError(null);
            try {
              await post('/api/invitations/accept', body);
              setDone(true);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}>
            {!inv.accountExists && <Field name="displayName" label={t('setup.displayName')} defaultValue={inv.displayName ?? ''} isRequired autoComplete="name" />}
            <Field
              name="password" type="password" isRequired
              label={inv.accountExists ? t('invitation.existingPassword') : t('common.password')}
              description={inv.accountExists ? undefined : t('setup.passwordHint')}
              autoComplete={inv.accountExists ? 'current-password' : 'new-password'}
            />
            <Button type="submit" isDisabled={busy}>{t('invitation.accept')}</Button>
          </Form>
        </Card>
      )}
    </Page>
  );
}
