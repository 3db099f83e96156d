/** Shapes of the directory API as the screens use them (fields absent when the caller may not see them). */
export type Level = 'public' | 'members' | 'hub';
export type TeamKey = { id: string; fingerprint: string; userIds: string[]; algorithm: string; expiresAt: string | null; state: 'valid' | 'expired' | 'revoked' };
export type TeamContact = { id: string; kind: 'person' | 'role'; name: string; function: string; email: string; phone: string | null; visibility: Level; lastVerifiedAt?: string | null };
export type Team = {
  orgId: string; name: string; shortName: string | null; type: string; countryCode: string | null;
  officialName?: string; countries?: string[]; established?: string | null; website?: string | null; roleEmail?: string | null;
  phones?: string[]; emergencyPhone?: string | null; businessHours?: string | null; timeZone?: string | null;
  constituencyDescription?: string; sectors?: string[]; asns?: string[]; ipv4?: string[]; ipv6?: string[]; domains?: string[];
  contacts?: TeamContact[]; keys?: TeamKey[]; lastVerifiedAt?: string | null;
  fieldVisibility?: Record<string, Level>; lastConfirmedAt?: string | null; stale?: boolean;
  policies: { canEdit: boolean; canConfirm: boolean };
};
export type LookupItem = { input: string; kind: string; normalized: string | null; matched: string | null; teams: { orgId: string; name: string; shortName: string | null; countryCode: string | null }[] };
export const FIELDS = [
  'officialName', 'countries', 'established', 'website', 'roleEmail', 'phones', 'emergencyPhone', 'businessHours', 'timeZone',
  'constituencyDescription', 'asns', 'ipv4', 'ipv6', 'domains', 'sectors', 'contacts', 'keys', 'lastVerified',
] as const;
export const LEVELS: Level[] = ['public', 'members', 'hub'];
export const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';
export const textareaClass = 'rounded border border-slate-400 bg-white px-3 py-2 font-mono text-sm text-slate-900';
