/** Routes: each screen is its own lazily loaded chunk; guards follow what the server says. */
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Shell } from './components/Shell.tsx';
import { can, useSession, type Capability } from './session.tsx';

const Setup = lazy(() => import('./screens/Setup.tsx'));
const Login = lazy(() => import('./screens/Login.tsx'));
const Dashboard = lazy(() => import('./screens/Dashboard.tsx'));
const Profile = lazy(() => import('./screens/Profile.tsx'));
const AuditLog = lazy(() => import('./screens/AuditLog.tsx'));
const Outbox = lazy(() => import('./screens/Outbox.tsx'));
const Security = lazy(() => import('./screens/Security.tsx'));
const Apply = lazy(() => import('./screens/membership/Apply.tsx'));
const ApplicationStatus = lazy(() => import('./screens/membership/ApplicationStatus.tsx'));
const Applications = lazy(() => import('./screens/membership/Applications.tsx'));
const ApplicationReview = lazy(() => import('./screens/membership/ApplicationReview.tsx'));
const AcceptInvitation = lazy(() => import('./screens/membership/AcceptInvitation.tsx'));
const Organisations = lazy(() => import('./screens/Organisations.tsx'));
const Messages = lazy(() => import('./screens/messaging/Messages.tsx'));
const IncidentCases = lazy(() => import('./screens/incidents/Cases.tsx'));
const IncidentCase = lazy(() => import('./screens/incidents/CasePage.tsx'));
const IncidentTriage = lazy(() => import('./screens/incidents/Triage.tsx'));
const IncidentReport = lazy(() => import('./screens/incidents/ReportForms.tsx').then((m) => ({ default: m.MemberReport })));
const PublicIncidentReport = lazy(() => import('./screens/incidents/ReportForms.tsx').then((m) => ({ default: m.PublicReport })));
const ConfirmIncidentReport = lazy(() => import('./screens/incidents/ReportForms.tsx').then((m) => ({ default: m.ConfirmReport })));
const AssistanceList = lazy(() => import('./screens/incidents/Assistance.tsx'));
const AssistanceNew = lazy(() => import('./screens/incidents/Assistance.tsx').then((m) => ({ default: m.NewRequest })));
const AssistanceRequest = lazy(() => import('./screens/incidents/AssistancePage.tsx'));
const AssistanceStats = lazy(() => import('./screens/incidents/Stats.tsx'));
const IncidentNotifications = lazy(() => import('./screens/incidents/Notifications.tsx'));
const NotFound = lazy(() => import('./screens/NotFound.tsx'));
const Directory = lazy(() => import('./screens/directory/Directory.tsx'));
const TeamPage = lazy(() => import('./screens/directory/TeamPage.tsx'));
const DirectoryLookup = lazy(() => import('./screens/directory/Lookup.tsx'));
const DirectoryVerify = lazy(() => import('./screens/directory/Verify.tsx'));
const SharingGroups = lazy(() => import('./screens/directory/SharingGroups.tsx'));
const ContactChecks = lazy(() => import('./screens/directory/ContactChecks.tsx'));
const IntelObjects = lazy(() => import('./screens/intel/ObjectList.tsx'));
const IntelObject = lazy(() => import('./screens/intel/ObjectPage.tsx'));
const IntelUpload = lazy(() => import('./screens/intel/Upload.tsx'));
const IntelLookup = lazy(() => import('./screens/intel/Lookup.tsx'));
const IntelCollections = lazy(() => import('./screens/intel/Collections.tsx'));
const MispEvents = lazy(() => import('./screens/intel/MispEvents.tsx'));
const MispEventPage = lazy(() => import('./screens/intel/MispEvents.tsx').then((m) => ({ default: m.MispEventPage })));
const MispImport = lazy(() => import('./screens/intel/MispImport.tsx'));
const MispFeedExport = lazy(() => import('./screens/intel/FeedExport.tsx'));
const IntelFeeds = lazy(() => import('./screens/intel/Feeds.tsx'));
const MailingCampaigns = lazy(() => import('./screens/mailing/Campaigns.tsx'));
const ListSubscribe = lazy(() => import('./screens/mailing/ListPages.tsx').then((m) => ({ default: m.Subscribe })));
const ListConfirm = lazy(() => import('./screens/mailing/ListPages.tsx').then((m) => ({ default: m.Confirm })));
const ListPreferences = lazy(() => import('./screens/mailing/ListPages.tsx').then((m) => ({ default: m.Preferences })));
const ListArchive = lazy(() => import('./screens/mailing/ListPages.tsx').then((m) => ({ default: m.Archive })));
const ListArchivedMessage = lazy(() => import('./screens/mailing/ListPages.tsx').then((m) => ({ default: m.ArchivedMessage })));
const AdvisoryList = lazy(() => import('./screens/advisories/AdvisoryList.tsx'));
const AdvisoryEditor = lazy(() => import('./screens/advisories/AdvisoryEditor.tsx'));
const AdvisoryPage = lazy(() => import('./screens/advisories/AdvisoryPage.tsx'));
const PublicAdvisoryList = lazy(() => import('./screens/advisories/PublicAdvisories.tsx').then((m) => ({ default: m.PublicAdvisoryList })));
const PublicAdvisoryPage = lazy(() => import('./screens/advisories/PublicAdvisories.tsx').then((m) => ({ default: m.PublicAdvisoryPage })));
const ReportsLibrary = lazy(() => import('./screens/reports/Library.tsx'));
const PublicReports = lazy(() => import('./screens/reports/PublicReports.tsx'));
const ForgotPassword = lazy(() => import('./screens/PasswordReset.tsx').then((m) => ({ default: m.ForgotPassword })));
const ResetPassword = lazy(() => import('./screens/PasswordReset.tsx').then((m) => ({ default: m.ResetPassword })));
const VerifyEmail = lazy(() => import('./screens/PasswordReset.tsx').then((m) => ({ default: m.VerifyEmail })));
const Unlock = lazy(() => import('./screens/PasswordReset.tsx').then((m) => ({ default: m.Unlock })));

function Loading() {
  const { t } = useTranslation();
  return <p role="status" className="text-slate-700">{t('common.loading')}</p>;
}

function RequireUser({ need, children }: { need?: Capability; children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  // A role that requires two-step sign-in opens nothing else until it is set up.
  if (me.mustEnrol2fa && location.pathname !== '/security') return <Navigate to="/security" replace />;
  if (need && !can(me, need)) return <NotFound />;
  return <>{children}</>;
}

export function App() {
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/setup" element={<Setup />} />
          <Route path="/login" element={<Login />} />
          <Route path="/forgot-password" element={<ForgotPassword />} />
          <Route path="/reset-password" element={<ResetPassword />} />
          <Route path="/verify-email" element={<VerifyEmail />} />
          <Route path="/unlock" element={<Unlock />} />
          <Route path="/apply" element={<Apply />} />
          <Route path="/apply/status" element={<ApplicationStatus />} />
          <Route path="/invitations/accept" element={<AcceptInvitation />} />
          <Route path="/membership/applications" element={<RequireUser><Applications /></RequireUser>} />
          <Route path="/membership/applications/:id" element={<RequireUser><ApplicationReview /></RequireUser>} />
          <Route path="/orgs" element={<RequireUser><Organisations /></RequireUser>} />
          <Route path="/directory" element={<Directory />} />
          <Route path="/directory/teams/:orgId" element={<TeamPage />} />
          <Route path="/directory/verify" element={<DirectoryVerify />} />
          <Route path="/directory/lookup" element={<RequireUser><DirectoryLookup /></RequireUser>} />
          <Route path="/sharing-groups" element={<RequireUser><SharingGroups /></RequireUser>} />
          <Route path="/directory/checks" element={<RequireUser need="coordinator"><ContactChecks /></RequireUser>} />
          <Route path="/security" element={<RequireUser><Security /></RequireUser>} />
          <Route path="/" element={<RequireUser><Dashboard /></RequireUser>} />
          <Route path="/profile" element={<RequireUser><Profile /></RequireUser>} />
          <Route path="/admin/audit" element={<RequireUser need="admin"><AuditLog /></RequireUser>} />
          <Route path="/admin/outbox" element={<RequireUser need="admin"><Outbox /></RequireUser>} />
          <Route path="/lists/confirm" element={<ListConfirm />} />
          <Route path="/lists/preferences" element={<ListPreferences />} />
          <Route path="/lists/unsubscribe" element={<ListPreferences />} />
          <Route path="/lists/archive" element={<ListArchive />} />
          <Route path="/lists/archive/:id" element={<ListArchivedMessage />} />
          <Route path="/lists/:slug" element={<ListSubscribe />} />
          <Route path="/mailing" element={<RequireUser need="coordinator"><MailingCampaigns /></RequireUser>} />
          <Route path="/advisories" element={<RequireUser><AdvisoryList /></RequireUser>} />
          <Route path="/advisories/new" element={<RequireUser need="network"><AdvisoryEditor /></RequireUser>} />
          <Route path="/advisories/edit/:id" element={<RequireUser><AdvisoryEditor /></RequireUser>} />
          <Route path="/advisories/view/:id" element={<RequireUser><AdvisoryPage /></RequireUser>} />
          <Route path="/advisories/:trackingId" element={<PublicAdvisoryPage />} />
          <Route path="/public/advisories" element={<PublicAdvisoryList />} />
          <Route path="/reports" element={<RequireUser><ReportsLibrary /></RequireUser>} />
          <Route path="/public/reports" element={<PublicReports />} />
          <Route path="/intel" element={<RequireUser><IntelObjects /></RequireUser>} />
          <Route path="/intel/objects/:id" element={<RequireUser><IntelObject /></RequireUser>} />
          <Route path="/intel/upload" element={<RequireUser><IntelUpload /></RequireUser>} />
          <Route path="/intel/lookup" element={<RequireUser><IntelLookup /></RequireUser>} />
          <Route path="/intel/taxii" element={<RequireUser><IntelCollections /></RequireUser>} />
          <Route path="/intel/misp" element={<RequireUser><MispEvents /></RequireUser>} />
          <Route path="/intel/misp/import" element={<RequireUser><MispImport /></RequireUser>} />
          <Route path="/intel/misp/export" element={<RequireUser><MispFeedExport /></RequireUser>} />
          <Route path="/intel/misp/:uuid" element={<RequireUser><MispEventPage /></RequireUser>} />
          <Route path="/intel/feeds" element={<RequireUser><IntelFeeds /></RequireUser>} />
          <Route path="/messages/:channelId?" element={<RequireUser><Messages /></RequireUser>} />
          <Route path="/report" element={<PublicIncidentReport />} />
          <Route path="/report/confirm" element={<ConfirmIncidentReport />} />
          <Route path="/incidents/cases" element={<RequireUser><IncidentCases /></RequireUser>} />
          <Route path="/incidents/cases/:id" element={<RequireUser><IncidentCase /></RequireUser>} />
          <Route path="/incidents/report" element={<RequireUser><IncidentReport /></RequireUser>} />
          <Route path="/incidents/reports" element={<RequireUser><IncidentTriage /></RequireUser>} />
          <Route path="/incidents/reports/:id" element={<RequireUser><IncidentTriage /></RequireUser>} />
          <Route path="/incidents/assistance" element={<RequireUser><AssistanceList /></RequireUser>} />
          <Route path="/incidents/assistance/new" element={<RequireUser><AssistanceNew /></RequireUser>} />
          <Route path="/incidents/assistance/:id" element={<RequireUser><AssistanceRequest /></RequireUser>} />
          <Route path="/incidents/assistance-stats" element={<RequireUser need="coordinator"><AssistanceStats /></RequireUser>} />
          <Route path="/incidents/notifications" element={<RequireUser><IncidentNotifications /></RequireUser>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
