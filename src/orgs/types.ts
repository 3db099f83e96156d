/** Organisation types and roles, and which types form the trusted network (the TLP:GREEN community). */
import { z } from 'zod';

export const ORG_TYPES = [
  'national_csirt', 'sectoral_csirt', 'government_agency', 'critical_infrastructure', 'private_sector',
  'academia', 'civil_society', 'international_organisation', 'hub',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/** CSIRT teams apply for membership (vetted by the national point of contact, then the hub). */
export const CSIRT_TYPES = ['national_csirt', 'sectoral_csirt'] as const satisfies readonly OrgType[];
/** Stakeholders register with lighter vetting (coordinator only) and are not network members. */
export const STAKEHOLDER_TYPES = [
  'government_agency', 'critical_infrastructure', 'private_sector', 'academia', 'civil_society', 'international_organisation',
] as const satisfies readonly OrgType[];

export const isNetworkMemberType = (t: string): boolean => t === 'national_csirt' || t === 'sectoral_csirt' || t === 'hub';

export const ORG_ROLES = ['org_admin', 'member', 'observer'] as const;
export const OrgRoleSchema = z.enum(ORG_ROLES);
export const CountryCodeSchema = z.string().trim().length(2).transform((s) => s.toUpperCase()).pipe(z.string().regex(/^[A-Z]{2}$/));
