/** The signed-in user's account: identity, language and time zone, and signing out everywhere. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.tsx';
import { LANGUAGE_NAMES, isLanguage } from '../i18n.ts';
import { Button, Card, ErrorNotice, Page } from '../components/ui.tsx';

export default function Profile() {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  if (!me) return null;
  const locale = me.user.locale;
  return (
    <Page title={t('profile.title')}>
      <Card title={t('profile.account')}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">{t('profile.displayName')}</dt>
          <dd>{me.user.displayName ?? ''}</dd>
          <dt className="font-medium">{t('common.email')}</dt>
          <dd>{me.user.email}</dd>
          <dt className="font-medium">{t('profile.language')}</dt>
          <dd>{isLanguage(locale) ? LANGUAGE_NAMES[locale] : locale}</dd>
          <dt className="font-medium">{t('profile.timeZone')}</dt>
          <dd>{me.user.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone}</dd>
        </dl>
      </Card>
      <Card title={t('profile.sessions')}>
        <p className="mb-3 text-sm text-slate-700">{t('profile.everywhereHint')}</p>
        <ErrorNotice error={error} />
        <Button
          variant="danger"
          onPress={async () => {
            try {
              await signOut(true);
              navigate('/login', { replace: true });
            } catch (e) {
              setError(e);
            }
          }}
        >
          {t('profile.signOutEverywhere')}
        </Button>
      </Card>
    </Page>
  );
}
