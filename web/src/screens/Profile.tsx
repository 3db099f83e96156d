/** The signed-in user's account: identity, language and time zone, password, two-step sign-in, sessions, API tokens. */
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.tsx';
import { Card, Page } from '../components/ui.tsx';
import { AccountForm } from './profile/AccountForm.tsx';
import { PasswordForm } from './profile/PasswordForm.tsx';
import { Sessions } from './profile/Sessions.tsx';
import { ApiTokens } from './profile/ApiTokens.tsx';

export default function Profile() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Page title={t('profile.title')}>
      <AccountForm />
      <Card title={t('security.title')}>
        <p className="mb-2 text-sm">{me.twoFactorEnabled ? t('security.statusOn') : t('security.statusOff')}</p>
        <Link to="/security" className="text-blue-800 underline">{t('security.manage')}</Link>
      </Card>
      <PasswordForm />
      <Sessions />
      <ApiTokens />
    </Page>
  );
}
