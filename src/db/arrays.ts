/**
 * PostgreSQL array literals for bulk statements: a batch's columns travel as one typed array
 * parameter each and are read with `unnest(...)`. PostgreSQL's array input parses them at about
 * twice the speed of `json_to_recordset` over the same rows (measured on both drivers), and a
 * JS array handed to drizzle's `sql` would become one parameter per element instead.
 */

/** `{"a","b",NULL}`: any text, quoted and escaped; null stays SQL NULL. */
export const pgTextArray = (vs: readonly (string | null)[]): string =>
  `{${vs.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;

/** `{1,2,3}` for integer columns. */
export const pgIntArray = (vs: readonly number[]): string => `{${vs.join(',')}}`;
