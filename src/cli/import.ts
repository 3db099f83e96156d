/**
 * `import stix FILE [--org ORG] [--scope SCOPE] [--tlp TLP] [--group ID] [--orgs ID,ID]`: stream a
 * STIX 2.1 bundle from disk into the store (never read whole), print the per-object report.
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
import { CliError, configOrExit, EXIT, openConfigured, parseOptions, runCommand, UsageError } from './args.ts';

export const help = `  import stix FILE [--org ORG] [--scope org|orgs|group|network|public] [--tlp clear|green|amber|amber+strict|red]
                  [--group SHARING_GROUP_ID] [--orgs ORG_ID,...]
                                  stream a STIX 2.1 bundle into the intel store (ORG: id or exact name;
                                  without --org the platform owns it); prints the per-object report`;

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const [what, file, ...rest] = args;
    if (what !== 'stix' || !file || file.startsWith('--')) throw new UsageError('Usage: import stix FILE [options]', help);
    const o = parseOptions(rest, { org: 'string', scope: 'string', tlp: 'string', group: 'string', orgs: 'string' }, help);
    const scope = (o.scope ?? (o.org ? 'org' : 'network')) as Scope;
    const tlp = (o.tlp ?? 'amber') as Tlp;
    if (!(SCOPES as readonly string[]).includes(scope)) throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}`, help);
    if (!(TLP_LEVELS as readonly string[]).includes(tlp)) throw new UsageError(`--tlp must be one of ${TLP_LEVELS.join(', ')}`, help);
    if (scope === 'org' && !o.org) throw new UsageError('--scope org needs --org', help);
    if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`);
    const database = await openConfigured(configOrExit());
    try {
      let ownerOrgId: string | null = null;
      if (o.org) {
        const db = database.db;
        const found = await db.select({ id: organisations.id }).from(organisations)
          .where(isUuid(o.org) ? or(eq(organisations.id, o.org), eq(organisations.name, o.org)) : eq(organisations.name, o.org));
        if (found.length !== 1) throw new CliError(`No organisation "${o.org}"`);
        ownerOrgId = found[0]!.id;
      }
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
