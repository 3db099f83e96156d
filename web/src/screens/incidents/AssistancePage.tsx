/**
 * One assistance request: what happened and the help needed; a network team offers help; the
 * requester sees every offer (accept or decline), the timers, and closes with lessons learned and
 * a rating. Accepted helpers reach the shared case and its channel from here.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Notice, Page } from '../../components/ui.tsx';
import { Checkboxes, Duration, HELP_KINDS, linkClass, type RequestDetail, Section, Select, StatusBadge, TextArea, TlpBadge, UrgencyBadge, useLabels } from './shared.tsx';

function OfferForm({ r, done }: { r: RequestDetail; done: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [message, setMessage] = useState('');
  const [kinds, setKinds] = useState<string[]>(r.helpKinds);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    setError(null);
    try { await post(`/api/incidents/assistance/${r.id}/offers`, { message, helpKinds: kinds }); done(); } catch (e) { setError(e); }
  };
  return (
    <Section title={t('incidents.offerHelp')} id="offer-h">
      <div className="space-y-3">
        <TextArea label={t('incidents.offerMessage')} value={message} onChange={setMessage} rows={4} />
        <Checkboxes legend={t('incidents.helpOffered')} values={HELP_KINDS} selected={kinds} onChange={setKinds} label={l.help} />
        <ErrorNotice error={error} />
        <Button onPress={() => void send()}>{t('incidents.sendOffer')}</Button>
      </div>
    </Section>
  );
}

function CloseForm({ r, done }: { r: RequestDetail; done: () => void }) {
  const { t } = useTranslation();
  const [lessons, setLessons] = useState('');
  const [rating, setRating] = useState('5');
  const [error, setError] = useState<unknown>(null);
  const close = async () => {
    setError(null);
    try { await post(`/api/incidents/assistance/${r.id}/close`, { lessonsLearned: lessons, rating: Number(rating) }); done(); } catch (e) { setError(e); }
  };
  return (
    <Section title={t('incidents.closeRequest')} id="close-h">
      <div className="space-y-3">
        <TextArea label={t('incidents.lessonsLearned')} value={lessons} onChange={setLessons} rows={5} description={t('incidents.lessonsHelp')} />
        <Select label={t('incidents.rating')} value={rating} onChange={setRating} options={['5', '4', '3', '2', '1'].map((n) => [n, t('incidents.ratingValue', { n })])} />
        <ErrorNotice error={error} />
        <Button onPress={() => void close()}>{t('incidents.closeWithLessons')}</Button>
      </div>
    </Section>
  );
}

export default function AssistancePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const l = useLabels();
  const [r, setR] = useState<RequestDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const reload = useCallback(() => { get<RequestDetail>(`/api/incidents/assistance/${id}`).then(setR, setError); }, [id]);
  useEffect(reload, [reload]);
  if (!r) return <Page title={t('incidents.assistanceTitle')}><ErrorNotice error={error} />{!error && <p role="status">{t('common.loading')}</p>}</Page>;
  const decide = async (offerId: string, decision: 'accept' | 'decline') => {
    setError(null);
    try { await post(`/api/incidents/assistance/${r.id}/offers/${offerId}/${decision}`); setNotice(decision === 'accept' ? t('incidents.offerAccepted') : t('incidents.offerDeclined')); reload(); } catch (e) { setError(e); }
  };
  const live = r.status === 'open' || r.status === 'in_progress';
  const accepted = r.offers.some((o) => o.status === 'accepted');
  return (
    <Page title={r.title}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={r.status} kind="request" /><UrgencyBadge urgency={r.urgency} /><TlpBadge tlp={r.tlp} />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorNotice error={error} />
      <Section title={t('incidents.whatHappened')} id="what-h">
        <p className="whitespace-pre-wrap text-sm">{r.whatHappened}</p>
        <dl className="mt-3 grid grid-cols-1 gap-2 text-sm sm:grid-cols-2">
          <div><dt className="font-medium">{t('incidents.requester')}</dt><dd>{r.requester?.name}{r.requester?.countryCode ? ` (${r.requester.countryCode})` : ''}</dd></div>
          <div><dt className="font-medium">{t('incidents.helpNeeded')}</dt><dd>{r.helpKinds.map(l.help).join(', ')}</dd></div>
          <div><dt className="font-medium">{t('incidents.published')}</dt><dd>{formatDateTime(r.createdAt, i18n.language)}</dd></div>
          <div><dt className="font-medium">{t('incidents.timeToFirstOffer')}</dt><dd><Duration seconds={r.timeToFirstOfferSeconds} /></dd></div>
          <div><dt className="font-medium">{t('incidents.timeToAcceptance')}</dt><dd><Duration seconds={r.timeToAcceptanceSeconds} /></dd></div>
        </dl>
        {(r.permissions.owner || accepted) && r.caseId && <p className="mt-3"><Link className={linkClass} to={`/incidents/cases/${r.caseId}`}>{t('incidents.openSharedCase')}</Link></p>}
      </Section>
      {r.status === 'closed' && (
        <Section title={t('incidents.lessonsLearned')} id="lessons-h">
          <p className="whitespace-pre-wrap text-sm">{r.lessonsLearned}</p>
          {r.rating && <p className="mt-2 text-sm">{t('incidents.ratingValue', { n: r.rating })}</p>}
        </Section>
      )}
      <Section title={r.permissions.owner ? t('incidents.offersReceived') : t('incidents.yourOffer')} id="offers-h">
        {r.offers.length === 0 && <p className="text-sm text-slate-700">{t('incidents.noOffers')}</p>}
        <ul className="space-y-3">
          {r.offers.map((o) => (
            <li key={o.id} className="rounded border border-slate-200 p-3" data-offer={o.orgName}>
              <p className="font-medium">{o.orgName}{o.countryCode ? ` (${o.countryCode})` : ''} · {o.userName} <StatusBadge status={o.status} kind="offer" /></p>
              <p className="text-xs text-slate-700">{o.helpKinds.map(l.help).join(', ')} · {formatDateTime(o.createdAt, i18n.language)}</p>
              <p className="mt-1 whitespace-pre-wrap text-sm">{o.message}</p>
              {r.permissions.owner && live && o.status === 'offered' && (
                <div className="mt-2 flex gap-2">
                  <Button onPress={() => void decide(o.id, 'accept')} aria-label={t('incidents.acceptOfferOf', { org: o.orgName })}>{t('incidents.accept')}</Button>
                  <Button variant="secondary" onPress={() => void decide(o.id, 'decline')} aria-label={t('incidents.declineOfferOf', { org: o.orgName })}>{t('incidents.decline')}</Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </Section>
      {r.permissions.canOffer && <OfferForm r={r} done={() => { setNotice(t('incidents.offerSent')); reload(); }} />}
      {r.permissions.owner && live && <CloseForm r={r} done={() => { setNotice(t('incidents.requestClosed')); reload(); }} />}
    </Page>
  );
}
