/**
 * The demo network: clearly fictional organisations and people (example.org/.net domains,
 * documentation IP ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32). Ids are
 * derived from fixed keys so that loading twice adds nothing. Later capabilities add their own.
 */
import crypto from 'node:crypto';
import type { OrgRole, PlatformRole } from '../core/actor.ts';
import type { OrgType } from '../orgs/types.ts';

/** Shared by every demo login, printed on screen; never used outside the demo network. */
export const DEMO_PASSWORD = 'hemisphere-demo-only';

/** A stable UUID for a demo key (same key, same id, on every machine). */
export function demoId(key: string): string {
  const h = crypto.createHash('sha256').update(`hemisphere-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type DemoOrg = { key: string; name: string; shortName: string; type: OrgType; country: string; website: string; description: string };
export type DemoPerson = {
  key: string; name: string; email: string; locale: 'en' | 'es' | 'pt' | 'fr'; platformRole?: PlatformRole;
  orgs: [string, OrgRole][]; pocOf?: string[]; note: string;
};

const NET = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];
const CSIRTS: [string, string, 'en' | 'es' | 'pt' | 'fr'][] = [
  ['AR', 'Argentina', 'es'], ['BR', 'Brazil', 'pt'], ['CL', 'Chile', 'es'], ['CO', 'Colombia', 'es'],
  ['CR', 'Costa Rica', 'es'], ['DO', 'Dominican Republic', 'es'], ['EC', 'Ecuador', 'es'], ['GT', 'Guatemala', 'es'],
  ['JM', 'Jamaica', 'en'], ['MX', 'Mexico', 'es'], ['PE', 'Peru', 'es'], ['HT', 'Haiti', 'fr'],
];

export const DEMO_ORGS: DemoOrg[] = [
  {
    key: 'hub', name: 'Hemisphere Demo Hub (fictional)', shortName: 'DEMO-HUB', type: 'hub', country: 'PA',
    website: 'https://hub.example.org', description: 'Fictional coordination hub of the demo network. Networks: 2001:db8::/32.',
  },
  ...CSIRTS.map(([cc, country], i) => ({
    key: `csirt-${cc}`, name: `Fictional National CSIRT of ${country}`, shortName: `DEMO-CSIRT-${cc}`, type: 'national_csirt' as const,
    country: cc, website: `https://csirt-${cc.toLowerCase()}.example.org`,
    description: `Demo national CSIRT (fictional). Constituency networks: ${NET[i % 3]!.replace(/\.0\/24$/, `.${(i + 1) * 16}/28`)}, 2001:db8:${(i + 1).toString(16)}::/48.`,
  })),
  { key: 'sec-energy', name: 'Fictional Energy Sector CSIRT', shortName: 'DEMO-ENERGY-CSIRT', type: 'sectoral_csirt', country: 'CL', website: 'https://energy-csirt.example.net', description: 'Demo sectoral CSIRT for the power grid (fictional).' },
  { key: 'st-ministry', name: 'Demo Ministry of Digital Affairs (fictional)', shortName: 'DEMO-MINDIG', type: 'government_agency', country: 'CR', website: 'https://mindig.example.org', description: 'Fictional government stakeholder.' },
  { key: 'st-grid', name: 'Demo Grid Operator (fictional)', shortName: 'DEMO-GRID', type: 'critical_infrastructure', country: 'CO', website: 'https://grid.example.net', description: 'Fictional critical-infrastructure operator.' },
  { key: 'st-bank', name: 'Demo Bank of the Americas (fictional)', shortName: 'DEMO-BANK', type: 'private_sector', country: 'MX', website: 'https://bank.example.net', description: 'Fictional private-sector stakeholder.' },
  { key: 'st-uni', name: 'Demo University of Security Studies (fictional)', shortName: 'DEMO-UNI', type: 'academia', country: 'BR', website: 'https://uni.example.org', description: 'Fictional academic stakeholder.' },
  { key: 'st-ngo', name: 'Demo Digital Rights Network (fictional)', shortName: 'DEMO-NGO', type: 'civil_society', country: 'UY', website: 'https://ngo.example.org', description: 'Fictional civil-society stakeholder.' },
];

const person = (key: string, name: string, locale: DemoPerson['locale'], note: string, orgs: DemoPerson['orgs'], extra: Partial<DemoPerson> = {}): DemoPerson =>
  ({ key, name, email: `${key}@demo.example.org`, locale, note, orgs, ...extra });

export const DEMO_PEOPLE: DemoPerson[] = [
  person('admin', 'Ada Admin (demo)', 'en', 'platform administrator', [], { platformRole: 'administrator' }),
  person('coordinator', 'Carla Coordinator (demo)', 'es', 'hub coordinator', [['hub', 'org_admin']], { platformRole: 'coordinator' }),
  person('poc-ar', 'Pablo PoC (demo)', 'es', 'national point of contact, Argentina', [['csirt-AR', 'member']], { pocOf: ['AR'] }),
  person('poc-br', 'Paula PoC (demo)', 'pt', 'national point of contact, Brazil', [['csirt-BR', 'member']], { pocOf: ['BR'] }),
  person('poc-cl', 'Pedro PoC (demo)', 'es', 'national point of contact, Chile', [['csirt-CL', 'member']], { pocOf: ['CL'] }),
  person('poc-co', 'Patricia PoC (demo)', 'es', 'national point of contact, Colombia', [['csirt-CO', 'member']], { pocOf: ['CO'] }),
  person('poc-mx', 'Pilar PoC (demo)', 'es', 'national point of contact, Mexico', [['csirt-MX', 'member']], { pocOf: ['MX'] }),
  ...CSIRTS.map(([cc, country, locale]) => person(`admin-${cc.toLowerCase()}`, `Org Admin ${cc} (demo)`, locale, `org admin, CSIRT of ${country}`, [[`csirt-${cc}`, 'org_admin']])),
  person('analyst-jm', 'Morgan Member (demo)', 'en', 'member (analyst), CSIRT of Jamaica', [['csirt-JM', 'member']]),
  person('analyst-ht', 'Marie Membre (demo)', 'fr', 'member (analyst), CSIRT of Haiti', [['csirt-HT', 'member']]),
  person('observer-mx', 'Omar Observer (demo)', 'es', 'observer, CSIRT of Mexico', [['csirt-MX', 'observer']]),
  person('energy', 'Elena Energy (demo)', 'es', 'org admin, sectoral CSIRT', [['sec-energy', 'org_admin']]),
  person('stakeholder', 'Sam Stakeholder (demo)', 'en', 'stakeholder (ministry)', [['st-ministry', 'org_admin']]),
  person('bank', 'Bruno Bank (demo)', 'es', 'stakeholder (private sector)', [['st-bank', 'member']]),
];

export type DemoApplication = {
  key: string; kind: 'membership' | 'stakeholder'; route: 'poc' | 'coordinator'; status: string; orgName: string; orgType: OrgType;
  country: string; locale: DemoPerson['locale']; pocReason?: string; coordinatorReason?: string; pocBy?: string; coordinatorBy?: string;
};

/** Pending applications at each step, and a refusal at each step. */
export const DEMO_APPLICATIONS: DemoApplication[] = [
  { key: 'app-br-finance', kind: 'membership', route: 'poc', status: 'submitted', orgName: 'Fictional Finance Sector CSIRT (BR)', orgType: 'sectoral_csirt', country: 'BR', locale: 'pt' },
  { key: 'app-ar-health', kind: 'membership', route: 'poc', status: 'validated', orgName: 'Fictional Health Sector CSIRT (AR)', orgType: 'sectoral_csirt', country: 'AR', locale: 'es', pocBy: 'poc-ar' },
  { key: 'app-bz-national', kind: 'membership', route: 'coordinator', status: 'submitted', orgName: 'Fictional National CSIRT of Belize', orgType: 'national_csirt', country: 'BZ', locale: 'en' },
  { key: 'app-pe-telco', kind: 'stakeholder', route: 'coordinator', status: 'submitted', orgName: 'Demo Telecom Operator (fictional)', orgType: 'critical_infrastructure', country: 'PE', locale: 'es' },
  { key: 'app-cl-dup', kind: 'membership', route: 'poc', status: 'declined', orgName: 'Fictional Second National CSIRT of Chile', orgType: 'national_csirt', country: 'CL', locale: 'es', pocBy: 'poc-cl', pocReason: 'Chile already has a national CSIRT in the network (demo).' },
  { key: 'app-co-nomandate', kind: 'membership', route: 'poc', status: 'rejected', orgName: 'Fictional Transport CSIRT (CO)', orgType: 'sectoral_csirt', country: 'CO', locale: 'es', pocBy: 'poc-co', coordinatorBy: 'coordinator', coordinatorReason: 'The mandate document is not signed (demo).' },
];
