/** Every table of the platform, for drizzle's typed queries. Modules add their `tables.ts` here. */
export * from '../core/tables.ts';
export * from '../auth/tables.ts';
export * from '../orgs/tables.ts';
export * from '../membership/tables.ts';
export * from '../directory/tables.ts';
export * from '../intel/tables.ts';
export * from '../intel/correlation/tables.ts';
export * from '../intel/taxii/tables.ts';
export * from '../mailing/tables.ts';
export * from '../advisories/tables.ts';
export * from '../reports/tables.ts';
export * from '../messaging/tables.ts';
export * from '../intel/misp/tables.ts';
export * from '../intel/feeds/tables.ts';
export * from '../incidents/tables.ts';
