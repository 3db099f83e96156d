/** The page an emailed contact-check link opens: what it is about, and one button to confirm. */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { Button, Card, ErrorNotice, Notice, Page } from '../../components/ui.tsx';

export default function Verify() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [about, setAbout] = useState<{ team: string; contact: string | null; answeredAt: string | null } | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<typeof about>('/api/directory/verify', { token }).then((a) => { setAbout(a); setDone(!!a?.answeredAt); }, setError);
  }, [token]);
  return (
    <Page title={t('directory.verifyTitle')}>
      <ErrorNotice error={error} />
      {about && (
        <Card>
          <p className="mb-3">{t('directory.verifyAbout', { contact: about.contact ?? '', team: about.team })}</p>
          {done ? <Notice>{t('directory.verifyDone')}</Notice> : (
            <Button onPress={() => post('/api/directory/verify', { token }).then(() => setDone(true), setError)}>{t('directory.verifyButton')}</Button>
          )}
        </Card>
      )}
    </Page>
  );
}
