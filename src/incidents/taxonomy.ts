/**
 * The vocabularies of incident coordination, hard-coded in the product (not read from test data at
 * run time): the regional incident taxonomy (MISP taxonomy `csirt-americas`), the Reference Security
 * Incident Taxonomy (`rsit`, class:type), severities, PAP (what recipients may DO with the data),
 * the kinds of help an assistance request may ask for, and urgencies.
 */
export const REGIONAL_CLASSES = [
  'defacement', 'malware', 'ddos', 'phishing', 'spam', 'botnet', 'fastflux', 'cryptojacking', 'xss', 'sqli',
  'vulnerability', 'infoleak', 'compromise', 'other',
] as const;
export type RegionalClass = (typeof REGIONAL_CLASSES)[number];

/** RSIT classes and their types (MISP taxonomy `rsit`, namespace `rsit`). */
export const RSIT: Record<string, readonly string[]> = {
  'abusive-content': ['spam', 'harmful-speech', 'violence'],
  'malicious-code': ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'],
  'information-gathering': ['scanner', 'sniffing', 'social-engineering'],
  'intrusion-attempts': ['ids-alert', 'brute-force', 'exploit'],
  intrusions: ['privileged-account-compromise', 'unprivileged-account-compromise', 'application-compromise', 'system-compromise', 'burglary'],
  availability: ['dos', 'ddos', 'misconfiguration', 'sabotage', 'outage'],
  'information-content-security': ['unauthorised-information-access', 'unauthorised-information-modification', 'data-loss', 'data-leak'],
  fraud: ['unauthorised-use-of-resources', 'copyright', 'masquerade', 'phishing'],
  vulnerable: ['weak-crypto', 'ddos-amplifier', 'potentially-unwanted-accessible', 'information-disclosure', 'vulnerable-system'],
  other: ['other', 'undetermined'],
  test: ['test'],
};
/** "class:type" values, e.g. "availability:ddos". */
export const RSIT_VALUES = Object.entries(RSIT).flatMap(([c, types]) => types.map((t) => `${c}:${t}`));
export const isRsit = (v: string): boolean => RSIT_VALUES.includes(v);

/** A sensible RSIT default for each regional class (the form pre-selects it; the team may change it). */
export const RSIT_FOR_REGIONAL: Record<RegionalClass, string> = {
  defacement: 'information-content-security:unauthorised-information-modification',
  malware: 'malicious-code:infected-system',
  ddos: 'availability:ddos',
  phishing: 'fraud:phishing',
  spam: 'abusive-content:spam',
  botnet: 'malicious-code:c2-server',
  fastflux: 'malicious-code:c2-server',
  cryptojacking: 'fraud:unauthorised-use-of-resources',
  xss: 'intrusion-attempts:exploit',
  sqli: 'intrusion-attempts:exploit',
  vulnerability: 'vulnerable:vulnerable-system',
  infoleak: 'information-content-security:data-leak',
  compromise: 'intrusions:system-compromise',
  other: 'other:undetermined',
};

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Permissible Actions Protocol (FIRST): what recipients may do with the information. */
export const PAP_LEVELS = ['clear', 'green', 'amber', 'red'] as const;
export type Pap = (typeof PAP_LEVELS)[number];
export const papLabel = (p: Pap): string => `PAP:${p.toUpperCase()}`;

export const HELP_KINDS = ['forensics', 'malware_analysis', 'coordination', 'takedown', 'legal', 'other'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PARTICIPANT_ROLES = ['helper', 'affected', 'observer', 'coordinator'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
