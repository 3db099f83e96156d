/**
 * What STIX 2.1 says about each object type: its kind, its required properties, which of its
 * properties are timestamps, and which types its references may point to. Written from the
 * specification (STIX 2.1 OS, sections 4–7); the conformance tests check it against the OASIS
 * JSON schemas. Custom types (not listed here) get the common rules of their kind.
 */
export type StixKind = 'sdo' | 'sro' | 'sco' | 'meta';

export type TypeRule = {
  kind: StixKind;
  required?: string[];
  /** Properties holding timestamps (any precision, UTC 'Z'). */
  timestamps?: string[];
  /** Allowed target types per reference property (`*_ref` or `*_refs`). */
  refs?: Record<string, readonly string[]>;
  /** Allowed target types are anything but these. */
  refsNot?: Record<string, readonly string[]>;
};

const SDO_TYPES = [
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
  'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report',
  'threat-actor', 'tool', 'vulnerability',
] as const;
export const SCO_TYPES = [
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr',
  'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
  'windows-registry-key', 'x509-certificate',
] as const;

const NOT_SDO_SCO = ['relationship', 'sighting', 'bundle', 'marking-definition', 'language-content'];

export const CATALOG: Record<string, TypeRule> = {
  'attack-pattern': { kind: 'sdo', required: ['name'] },
  campaign: { kind: 'sdo', required: ['name'], timestamps: ['first_seen', 'last_seen'] },
  'course-of-action': { kind: 'sdo', required: ['name'] },
  grouping: { kind: 'sdo', required: ['context', 'object_refs'] },
  identity: { kind: 'sdo', required: ['name'] },
  incident: { kind: 'sdo', required: ['name'] },
  indicator: { kind: 'sdo', required: ['pattern', 'pattern_type', 'valid_from'], timestamps: ['valid_from', 'valid_until'] },
  infrastructure: { kind: 'sdo', required: ['name'], timestamps: ['first_seen', 'last_seen'] },
  'intrusion-set': { kind: 'sdo', required: ['name'], timestamps: ['first_seen', 'last_seen'] },
  location: { kind: 'sdo' },
  malware: {
    kind: 'sdo', required: ['is_family'], timestamps: ['first_seen', 'last_seen'],
    refs: { operating_system_refs: ['software'], sample_refs: ['file', 'artifact'] },
  },
  'malware-analysis': {
    kind: 'sdo', required: ['product'], timestamps: ['analysis_started', 'analysis_ended', 'submitted'],
    refs: { host_vm_ref: ['software'], operating_system_ref: ['software'], installed_software_refs: ['software'], sample_ref: ['file', 'network-traffic', 'artifact'] },
  },
  note: { kind: 'sdo', required: ['content', 'object_refs'] },
  'observed-data': { kind: 'sdo', required: ['first_observed', 'last_observed', 'number_observed'], timestamps: ['first_observed', 'last_observed'] },
  opinion: { kind: 'sdo', required: ['opinion', 'object_refs'] },
  report: { kind: 'sdo', required: ['name', 'published', 'object_refs'], timestamps: ['published'] },
  'threat-actor': { kind: 'sdo', required: ['name'], timestamps: ['first_seen', 'last_seen'] },
  tool: { kind: 'sdo', required: ['name'] },
  vulnerability: { kind: 'sdo', required: ['name'] },

  relationship: {
    kind: 'sro', required: ['relationship_type', 'source_ref', 'target_ref'], timestamps: ['start_time', 'stop_time'],
    refsNot: { source_ref: NOT_SDO_SCO, target_ref: NOT_SDO_SCO },
  },
  sighting: {
    kind: 'sro', required: ['sighting_of_ref'], timestamps: ['first_seen', 'last_seen'],
    refsNot: { sighting_of_ref: NOT_SDO_SCO },
    refs: { observed_data_refs: ['observed-data'], where_sighted_refs: ['identity', 'location'] },
  },

  artifact: { kind: 'sco' },
  'autonomous-system': { kind: 'sco', required: ['number'] },
  directory: { kind: 'sco', required: ['path'], timestamps: ['ctime', 'mtime', 'atime'], refs: { contains_refs: ['file', 'directory'] } },
  'domain-name': { kind: 'sco', required: ['value'], refs: { resolves_to_refs: ['ipv4-addr', 'ipv6-addr', 'domain-name'] } },
  'email-addr': { kind: 'sco', required: ['value'], refs: { belongs_to_ref: ['user-account'] } },
  'email-message': {
    kind: 'sco', required: ['is_multipart'], timestamps: ['date'],
    refs: { from_ref: ['email-addr'], sender_ref: ['email-addr'], to_refs: ['email-addr'], cc_refs: ['email-addr'], bcc_refs: ['email-addr'], raw_email_ref: ['artifact'] },
  },
  file: {
    kind: 'sco', timestamps: ['ctime', 'mtime', 'atime'],
    refs: { parent_directory_ref: ['directory'], content_ref: ['artifact'] },
  },
  'ipv4-addr': { kind: 'sco', required: ['value'], refs: { resolves_to_refs: ['mac-addr'], belongs_to_refs: ['autonomous-system'] } },
  'ipv6-addr': { kind: 'sco', required: ['value'], refs: { resolves_to_refs: ['mac-addr'], belongs_to_refs: ['autonomous-system'] } },
  'mac-addr': { kind: 'sco', required: ['value'] },
  mutex: { kind: 'sco', required: ['name'] },
  'network-traffic': {
    kind: 'sco', required: ['protocols'], timestamps: ['start', 'end'],
    refs: {
      src_ref: ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'], dst_ref: ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
      src_payload_ref: ['artifact'], dst_payload_ref: ['artifact'], encapsulates_refs: ['network-traffic'], encapsulated_by_ref: ['network-traffic'],
    },
  },
  process: {
    kind: 'sco', timestamps: ['created_time'],
    refs: { opened_connection_refs: ['network-traffic'], creator_user_ref: ['user-account'], image_ref: ['file'], parent_ref: ['process'], child_refs: ['process'] },
  },
  software: { kind: 'sco', required: ['name'] },
  url: { kind: 'sco', required: ['value'] },
  'user-account': { kind: 'sco', timestamps: ['account_created', 'account_expires', 'credential_last_changed', 'account_first_login', 'account_last_login'] },
  'windows-registry-key': { kind: 'sco', timestamps: ['modified_time'], refs: { creator_user_ref: ['user-account'] } },
  'x509-certificate': { kind: 'sco', timestamps: ['validity_not_before', 'validity_not_after'] },

  'marking-definition': { kind: 'meta', refs: { object_marking_refs: ['marking-definition'] } },
  'language-content': { kind: 'meta', required: ['object_ref', 'contents'], refsNot: { object_ref: ['bundle', 'language-content'] } },
  'extension-definition': { kind: 'meta', required: ['name', 'schema', 'version', 'extension_types'] },
};

/** Reference properties with fixed targets on every object. */
export const COMMON_REFS: Record<string, readonly string[]> = {
  object_marking_refs: ['marking-definition'],
};

export const isSdoType = (t: string): boolean => (SDO_TYPES as readonly string[]).includes(t);
export const isScoType = (t: string): boolean => (SCO_TYPES as readonly string[]).includes(t);

/** Kind of a type; a custom type is an SDO unless its id or properties say otherwise (see validator). */
export function kindOf(type: string, obj: Record<string, unknown>): StixKind {
  const rule = CATALOG[type];
  if (rule) return rule.kind;
  // Custom objects: without created/modified they can only be SCOs (new-sco extension).
  return 'created' in obj || 'modified' in obj ? 'sdo' : 'sco';
}

/** Core properties reserved by STIX that no SDO/SRO may carry (core.json `not`). */
export const RESERVED_PROPERTIES = ['severity', 'action', 'username', 'phone_numbers'];
