/**
 * `import stix FILE [--org ORG] [--scope SCOPE] [--tlp TLP] [--group ID] [--orgs ID,ID]`: stream a
 * STIX 2.1 bundle from disk into the store (never read whole), print the per-object report.
 * `import misp PATH|URL [same options] [--preview]`: MISP events (an event file, a list, a feed
 * directory with manifest.json, or an http(s) URL of either, fetched with the feed guards) mapped
 * and stored by the MISP import; prints one line per event.
 */
import fs from 'node:fs';
import { eq, or } from 'drizzle-orm';
import { system } from '../core/actor.ts';
import { organisations } from '../core/tables.ts';
import { TLP_LEVELS, type Tlp } from '../core/tlp.ts';
import { SCOPES, type Scope } from '../core/visibility.ts';
import { isUuid } from '../core/ids.ts';
import { DomainError } from '../core/errors.ts';
import { ingestBundle } from '../intel/ingest.command.ts';
import { indexNewObjects } from '../intel/correlation/index.command.ts';
import { importMispEvents, previewEvents } from '../intel/misp/import.command.ts';
import { loadMispPath, loadMispSource } from '../intel/misp/source.ts';
import type { Db } from '../db/client.ts';
import { CliError, configOrExit, EXIT, openConfigured, parseOptions, runCommand, UsageError } from './args.ts';

export const help = `  import stix FILE [--org ORG] [--scope org|orgs|group|network|public] [--tlp clear|green|amber|amber+strict|red]
                  [--group SHARING_GROUP_ID] [--orgs ORG_ID,...]
                                  stream a STIX 2.1 bundle into the intel store (ORG: id or exact name;
                                  without --org the platform owns it); prints the per-object report
  import misp PATH|URL [--org ORG] [--scope org|orgs|group|network|public] [--tlp LEVEL] [--group ID] [--orgs ID,...] [--preview]
                                  import MISP events: an event file, a list, a feed directory (manifest.json)
                                  or an http(s) URL of either; --scope is the widest any event may get
                                  (default network; MISP distribution narrows it), --tlp the default for
                                  untagged events; --preview shows what would be created and stores nothing`;

const OPTIONS = { org: 'string', scope: 'string', tlp: 'string', group: 'string', orgs: 'string' } as const;

async function orgIdOf(db: Db, org: string | undefined): Promise<string | null> {
  if (!org) return null;
  const found = await db.select({ id: organisations.id }).from(organisations)
    .where(isUuid(org) ? or(eq(organisations.id, org), eq(organisations.name, org)) : eq(organisations.name, org));
  if (found.length !== 1) throw new CliError(`No organisation "${org}"`);
  return found[0]!.id;
}

function sharing(o: { scope?: string; tlp?: string; org?: string }, defaultScope: Scope): { scope: Scope; tlp: Tlp } {
  const scope = (o.scope ?? defaultScope) as Scope;
  const tlp = (o.tlp ?? 'amber') as Tlp;
  if (!(SCOPES as readonly string[]).includes(scope)) throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}`, help);
  if (!(TLP_LEVELS as readonly string[]).includes(tlp)) throw new UsageError(`--tlp must be one of ${TLP_LEVELS.join(', ')}`, help);
  if (scope === 'org' && !o.org) throw new UsageError('--scope org needs --org', help);
  return { scope, tlp };
}

async function runMisp(source: string, rest: string[]): Promise<number> {
  const o = parseOptions(rest, { ...OPTIONS, preview: 'flag' }, help);
  const { scope, tlp } = sharing(o, 'network');
  const isUrl = /^https?:\/\//i.test(source);
  if (!isUrl && !fs.existsSync(source)) throw new CliError(`No such file or directory: ${source}`);
  const config = configOrExit();
  try {
    const events = isUrl ? await loadMispSource(source, { limits: config.feeds }) : loadMispPath(source);
    if (o.preview) {
      for (const p of previewEvents(events, { scope, tlpDefault: tlp })) {
        const types = Object.entries(p.stixTypes).map(([t, n]) => `${n} ${t}`).join(', ');
        const scopes = Object.entries(p.scopes).map(([sc, n]) => `${n} ${sc}`).join(', ');
        console.log(`${p.uuid} "${p.info}": ${p.counts.attributes} attribute(s), ${p.counts.objects} object(s), ${p.counts.tags} tag(s); TLP:${p.tlp.toUpperCase()}; would create ${types}; scopes ${scopes}`);
      }
      console.log(`${events.length} event(s) previewed; nothing stored`);
      return EXIT.ok;
    }
    const database = await openConfigured(config);
    try {
      const ownerOrgId = await orgIdOf(database.db, o.org);
      const results = await importMispEvents(database.db, { actor: system('cli import misp') }, events, {
        ownerOrgId, scope, tlpDefault: tlp, sharingGroupId: o.group ?? null, scopeOrgIds: o.orgs?.split(',').filter(Boolean), source: 'cli',
      });
      let bad = 0;
      for (const r of results) {
        const c = r.counts;
        console.log(`${r.uuid} ${r.status} "${r.info}": ${c.attributes} attribute(s), ${c.objects} object(s), ${c.tags} tag(s), ${c.sightings} sighting(s); `
          + `stored ${r.stored.added} added, ${r.stored.unchanged} unchanged, ${r.stored.conflict} conflict(s), ${r.stored.rejected} rejected`);
        for (const p of r.problems) console.log(`  #${p.index} ${p.id ?? '(no id)'} ${p.status}: ${(p.issues ?? []).map((i) => `${i.path || '(object)'}: ${i.message}`).join('; ')}`);
        if (r.status === 'failed' || r.stored.rejected + r.stored.conflict > 0) bad++;
      }
      console.log(`${results.length} event(s): ${results.filter((r) => r.status === 'imported').length} imported, ${results.filter((r) => r.status === 'unchanged').length} unchanged, `
        + `${results.filter((r) => r.status === 'older').length} older than stored, ${bad} with problems`);
      return bad > 0 ? EXIT.failed : EXIT.ok;
    } finally {
      await database.close();
    }
  } catch (err) {
    if (err instanceof DomainError) throw new CliError(err.message, EXIT.failed);
    throw err;
  }
}

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const [what, file, ...rest] = args;
    if ((what !== 'stix' && what !== 'misp') || !file || file.startsWith('--')) throw new UsageError('Usage: import stix FILE [options] | import misp PATH|URL [options]', help);
    if (what === 'misp') return runMisp(file, rest);
    const o = parseOptions(rest, OPTIONS, help);
    const { scope, tlp } = sharing(o, o.org ? 'org' : 'network');
    if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`);
    const database = await openConfigured(configOrExit());
    try {
      const ownerOrgId = await orgIdOf(database.db, o.org);
      const report = await ingestBundle(database.db, { actor: system('cli import') }, fs.createReadStream(file, { highWaterMark: 256 * 1024 }), {
        ownerOrgId, scope, tlpDefault: tlp, sharingGroupId: o.group ?? null, scopeOrgIds: o.orgs?.split(',').filter(Boolean),
      });
      await indexNewObjects(database.db); // correlation and lookups see the new observables at once
      for (const r of report.results) {
        if (r.status === 'rejected' || r.status === 'conflict') {
          console.log(`#${r.index} ${r.id ?? '(no id)'} ${r.status}: ${(r.issues ?? []).map((i) => `${i.path || '(object)'}: ${i.message}`).join('; ')}`);
        }
      }
      const c = report.counts;
      console.log(`${report.total} object(s): ${c.added} added, ${c.unchanged} unchanged, ${c.conflict} conflict(s), ${c.rejected} rejected`);
      return c.rejected + c.conflict > 0 ? EXIT.failed : EXIT.ok;
    } catch (err) {
      if (err instanceof DomainError) throw new CliError(err.message, EXIT.failed);
      throw err;
    } finally {
      await database.close();
    }
  });
}
