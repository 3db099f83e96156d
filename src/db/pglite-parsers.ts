/**
 * drizzle's PGlite driver hands the same parsers with every query (timestamps, dates, intervals and
 * their arrays kept as text; drizzle maps them itself), and PGlite merges them into its ~400-entry
 * parser table on each query: measured at ~180 µs of a trivial query's ~300 µs. The embedded client
 * is created with those parsers as its own, and drizzle's per-query copy is dropped on the way in,
 * so every result is parsed exactly as before, once.
 */
import { types, type PGlite } from '@electric-sql/pglite';

const asText = (v: string) => v;
/** The parsers drizzle-orm/pglite passes with each query (see its session.js). */
export const DRIZZLE_PARSERS: Record<number, (v: string) => unknown> = {
  [types.TIMESTAMP]: asText, [types.TIMESTAMPTZ]: asText, [types.INTERVAL]: asText, [types.DATE]: asText,
  1231: asText, 1115: asText, 1185: asText, 1187: asText, 1182: asText, // numeric[], timestamp[], timestamptz[], interval[], date[]
};
const KEYS = Object.keys(DRIZZLE_PARSERS).sort().join(',');

type Options = { parsers?: Record<number, unknown> } & Record<string, unknown>;
type Query = (q: string, params?: unknown[], options?: Options) => Promise<unknown>;

/** Drops the per-query parsers when they are exactly the client's own (anything else passes untouched). */
const withoutRedundantParsers = (query: Query): Query => (q, params, options) => {
  if (options?.parsers && Object.keys(options.parsers).sort().join(',') === KEYS) {
    const { parsers: _same, ...rest } = options;
    return query(q, params, rest);
  }
  return query(q, params, options);
};

const wrap = <T extends object>(target: T, extra: (prop: string | symbol) => unknown): T =>
  new Proxy(target, {
    get(t, prop) {
      const own = extra(prop);
      if (own !== undefined) return own;
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });

/**
 * The client drizzle is given: the same PGlite with drizzle's parsers made its own (after PGlite's
 * start-up filled in its array-type parsers, which would otherwise win for the arrays), and
 * drizzle's redundant per-query copy dropped.
 */
export function clientForDrizzle(client: PGlite): PGlite {
  Object.assign(client.parsers, DRIZZLE_PARSERS);
  return wrap(client, (prop) => {
    if (prop === 'query') return withoutRedundantParsers(client.query.bind(client) as Query);
    if (prop === 'transaction') {
      return <R>(fn: (tx: unknown) => Promise<R>) => client.transaction((tx) =>
        fn(wrap(tx, (p) => (p === 'query' ? withoutRedundantParsers(tx.query.bind(tx) as Query) : undefined))));
    }
    return undefined;
  });
}
