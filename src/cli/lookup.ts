/**
 * `npm run cli -- lookup [--json] [--public] [--server URL --token TOKEN] VALUE... | -`
 * Which team is responsible for IPs, prefixes, ASNs, domains (IDN too) or e-mail addresses.
 * Without --server it reads the local database as the operator (every team, every level; --public
 * shows only what an anonymous visitor sees); with --server it asks a running platform's API with
 * an API token (what that token's user may see). "-" reads values from stdin, one per line.
 */
import readline from 'node:readline';
import { anonymous, system } from '../core/actor.ts';
import { loadConfig } from '../config.ts';
import { BULK_MAX, lookupValues, type LookupResult } from '../directory/lookup.query.ts';
import { openFromConfig } from './open.ts';

export const help = '  lookup [--json] [--public] [--server URL --token T] VALUE... | -   responsible team(s) for IPs, prefixes, ASNs, domains, e-mails';

async function readStdin(): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readline.createInterface({ input: process.stdin })) if (line.trim() && !line.startsWith('#')) out.push(line.trim());
  return out;
}

export async function run(args: string[]): Promise<number> {
  const flags = new Set<string>();
  const opts: Record<string, string> = {};
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--server' || a === '--token') opts[a.slice(2)] = args[++i] ?? '';
    else if (a === '--json' || a === '--public') flags.add(a);
    else if (a === '-') values.push(...(await readStdin()));
    else values.push(a);
  }
  if (!values.length || (opts.server !== undefined && !opts.token)) {
    console.error(`Usage:\n${help}`);
    return 2;
  }
  const results: LookupResult[] = [];
  if (opts.server) {
    for (let i = 0; i < values.length; i += BULK_MAX) {
      const res = await fetch(`${opts.server.replace(/\/$/, '')}/api/directory/lookup`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        body: JSON.stringify({ values: values.slice(i, i + BULK_MAX) }),
      });
      if (!res.ok) {
        console.error(`The server answered ${res.status}: ${await res.text()}`);
        return 1;
      }
      results.push(...((await res.json()) as { items: LookupResult[] }).items);
    }
  } else {
    const database = await openFromConfig(loadConfig());
    try {
      const actor = flags.has('--public') ? anonymous : system('cli');
      for (let i = 0; i < values.length; i += BULK_MAX) results.push(...(await lookupValues(database.db, actor, values.slice(i, i + BULK_MAX))));
    } finally {
      await database.close();
    }
  }
  if (flags.has('--json')) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    const table = [['VALUE', 'KIND', 'MATCHED', 'TEAM'], ...results.map((r) => [
      r.input, r.kind, r.matched ?? '-', r.teams.length ? r.teams.map((t) => `${t.shortName ?? t.name}${t.countryCode ? ` (${t.countryCode})` : ''}`).join(', ') : '-',
    ])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  }
  return results.some((r) => r.kind === 'invalid') ? 1 : 0;
}
