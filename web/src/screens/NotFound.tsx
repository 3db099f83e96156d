import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/ui.tsx';

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <Link to="/" className="text-blue-800 underline">{t('notFound.home')}</Link>
    </Page>
  );
}
