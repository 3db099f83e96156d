/** One application: its content, the mandate, and the decisions the server says this person may take. */
import { useCallback, useEffect, useId, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import type { Application } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { Button, Card, ErrorNotice, Notice, Page } from '../../components/ui.tsx';

type Decision = 'validate' | 'decline' | 'approve' | 'reject';

export default function ApplicationReview() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { id = '' } = useParams();
  const [app, setApp] = useState<Application | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const load = useCallback(() => get<Application>(`/api/membership/applications/${id}`).then(setApp, setError), [id]);
  useEffect(() => {
    void load();
  }, [load]);
  if (!app) return <Page title={t('applications.title')}><ErrorNotice error={error} /></Page>;

  const decide = async (d: Decision) => {
    setError(null);
    try {
      await post(`/api/membership/applications/${id}/${d}`, reason.trim() ? { reason: reason.trim() } : {});
      setDone(d);
      setReason('');
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const p = app.policies;
  const any = p.canValidate || p.canDecline || p.canApprove || p.canReject;
  const row = (label: string, value: string | null | undefined) => (
    <>
      <dt className="font-medium">{label}</dt>
      <dd className="break-words">{value ?? ''}</dd>
    </>
  );
  return (
    <Page title={app.orgName}>
      {done && <Notice>{t(`review.done.${done}`)}</Notice>}
      <Card>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {row(t('status.status'), t(`applicationStatus.${app.status}`))}
          {row(t('apply.orgType'), t(`orgTypes.${app.orgType}`))}
          {row(t('apply.country'), app.countryCode)}
          {row(t('apply.website'), app.website)}
          {row(t('apply.constituency'), app.constituency)}
          {row(t('apply.headName'), app.headName)}
          {row(t('apply.headEmail'), app.headEmail)}
          {row(t('apply.applicantEmail'), app.applicantEmail)}
          {row(t('status.submittedAt'), formatDateTime(app.createdAt, i18n.language, me?.user.timeZone))}
          {app.nextActor && row(t('status.next'), t(`nextActor.${app.nextActor}`))}
        </dl>
        {app.mandateFilename && (
          <a href={`/api/membership/applications/${app.id}/mandate`} download className="mt-3 inline-block text-blue-800 underline">
            {t('review.mandate', { file: app.mandateFilename })}
          </a>
        )}
      </Card>
      {any && (
        <Card title={t('review.decide')}>
          <div className="flex max-w-xl flex-col gap-3">
            <label htmlFor={reasonId} className="text-sm font-medium text-slate-800">{t('review.reason')}</label>
            <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} className="rounded border border-slate-400 px-3 py-2" />
            <ErrorNotice error={error} />
            <div className="flex flex-wrap gap-2">
              {p.canValidate && <Button onPress={() => void decide('validate')}>{t('review.validate')}</Button>}
              {p.canDecline && <Button variant="danger" onPress={() => void decide('decline')}>{t('review.decline')}</Button>}
              {p.canApprove && <Button onPress={() => void decide('approve')}>{t('review.approve')}</Button>}
              {p.canReject && <Button variant="danger" onPress={() => void decide('reject')}>{t('review.reject')}</Button>}
            </div>
          </div>
        </Card>
      )}
    </Page>
  );
}
