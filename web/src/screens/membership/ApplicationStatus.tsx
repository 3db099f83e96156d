/** The applicant's private status page (the token from the emailed link). */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import type { ApplicantStatus } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { Card, ErrorNotice, Notice, Page } from '../../components/ui.tsx';

export default function ApplicationStatus() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [status, setStatus] = useState<ApplicantStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (token) get<ApplicantStatus>('/api/membership/status', { token }).then(setStatus, setError);
  }, [token]);
  const when = (v: string | null | undefined) => (v ? formatDateTime(v, i18n.language) : '');
  return (
    <Page title={t('status.title')}>
      {params.get('new') && <Notice>{t('status.received')}</Notice>}
      <ErrorNotice error={error} />
      {status && (
        <Card title={status.orgName}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="font-medium">{t('status.status')}</dt>
            <dd data-testid="application-status">{t(`applicationStatus.${status.status}`)}</dd>
            <dt className="font-medium">{t('status.submittedAt')}</dt>
            <dd>{when(status.submittedAt)}</dd>
            {status.nextActor && (
              <>
                <dt className="font-medium">{t('status.next')}</dt>
                <dd>{t(`nextActor.${status.nextActor}`)}</dd>
              </>
            )}
            {status.steps.pointOfContact?.reason && (
              <>
                <dt className="font-medium">{t('status.pocReason')}</dt>
                <dd>{status.steps.pointOfContact.reason}</dd>
              </>
            )}
            {status.steps.coordinator.reason && (
              <>
                <dt className="font-medium">{t('status.coordinatorReason')}</dt>
                <dd>{status.steps.coordinator.reason}</dd>
              </>
            )}
          </dl>
          <p className="mt-4 text-sm text-slate-700">{t('status.keepLink')}</p>
        </Card>
      )}
    </Page>
  );
}
