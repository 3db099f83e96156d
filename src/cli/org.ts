import { loadConfig } from '../config.ts';
import { organisationTable } from '../orgs/organisations.query.ts';
import { openFromConfig } from './open.ts';

export const help = '  org list                        organisations: name, type, country, members';

export async function run(args: string[]): Promise<number> {
  if (args[0] !== 'list') {
    console.error(`Usage:\n${help}`);
    return 2;
  }
  const database = await openFromConfig(loadConfig());
  try {
    const rows = await organisationTable(database.db);
    const table = [['NAME', 'TYPE', 'COUNTRY', 'MEMBERS'], ...rows.map((r) => [r.name, r.type, r.country ?? '', String(r.members)])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const r of table) console.log(r.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
    console.log(`\n${rows.length} organisation(s)`);
    return 0;
  } finally {
    await database.close();
  }
}
