/** Change the password (needs the current one; other sessions are signed out). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api.ts';
import type { ChangePasswordBody } from '../../api-types.ts';
import { Button, Card, ErrorNotice, Field, Notice, Form } from '../../components/ui.tsx';

export function PasswordForm() {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  return (
    <Card title={t('profile.passwordTitle')}>
      <Form className="flex max-w-md flex-col gap-4" onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const body: ChangePasswordBody = { currentPassword: String(f.get('currentPassword')), newPassword: String(f.get('newPassword')) };
        setError(null);
        setSaved(false);
        try {
          await post('/api/me/password', body);
          form.reset();
          setSaved(true);
        } catch (err) {
          setError(err);
        }
      }}>
        <Field name="currentPassword" type="password" label={t('profile.currentPassword')} isRequired autoComplete="current-password" />
        <Field name="newPassword" type="password" label={t('reset.newPassword')} description={t('setup.passwordHint')} isRequired minLength={12} autoComplete="new-password" />
        <ErrorNotice error={error} />
        {saved && <Notice>{t('profile.passwordChanged')}</Notice>}
        <Button type="submit" variant="secondary">{t('profile.changePassword')}</Button>
      </Form>
    </Card>
  );
}
