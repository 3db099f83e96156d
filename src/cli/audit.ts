/**
 * `audit verify`: walks the whole hash chain of the audit log. Exit 0 with a summary when it is
 * intact; exit 1 listing every break (edited, missing or reordered rows, a cut-off tail).
 */
import { eq } from 'drizzle-orm';
import { verifyAudit } from '../core/audit.ts';
import { auditHead } from '../core/tables.ts';
import { configOrExit, openConfigured, parseOptions, runCommand, UsageError } from './args.ts';

const USAGE = '  audit verify                    check the audit log hash chain (exit 1 and each problem when broken)';
export const help = USAGE;

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const [sub, ...rest] = args;
    if (sub !== 'verify') throw new UsageError(sub ? `Unknown audit command: ${sub}` : 'Missing audit command', USAGE);
    parseOptions(rest, {}, USAGE);
    const database = await openConfigured(configOrExit());
    try {
      const started = Date.now();
      const verdict = await verifyAudit(database.db);
      const [head] = await database.db.select().from(auditHead).where(eq(auditHead.id, 1));
      const took = `${Date.now() - started} ms`;
      if (verdict.ok) {
        console.log(`Audit chain intact: ${verdict.checked} entries verified${head ? `, head #${head.seq} ${head.hash.slice(0, 16)}…` : ''} (${took}).`);
        return 0;
      }
      console.error(`Audit chain BROKEN: ${verdict.problems.length} problem(s) in ${verdict.checked} entries (${took}):`);
      for (const p of verdict.problems) console.error(`  #${p.seq} ${p.kind}: ${p.detail}`);
      return 1;
    } finally {
      await database.close();
    }
  });
}
