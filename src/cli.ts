/**
 * `npm run cli -- <command> [args]`. Each command group lives in src/cli/<group>.ts and exports
 * `run(args: string[]): Promise<number>` (the exit code) and `help: string`.
 */
const GROUPS: Record<string, () => Promise<{ run(args: string[]): Promise<number>; help: string }>> = {
  migrate: () => import('./cli/migrate.ts'),
  'create-admin': () => import('./cli/create-admin.ts'),
  'reset-password': () => import('./cli/reset-password.ts'),
  audit: () => import('./cli/audit.ts'),
  backup: () => import('./cli/backup.ts'),
  restore: () => import('./cli/restore.ts'),
  org: () => import('./cli/org.ts'),
  demo: () => import('./cli/demo.ts'),
  user: () => import('./cli/user.ts'),
  token: () => import('./cli/token.ts'),
  lookup: () => import('./cli/lookup.ts'),
  import: () => import('./cli/import.ts'),
};

async function main(): Promise<number> {
  const [group, ...rest] = process.argv.slice(2);
  if (!group || group === 'help' || group === '--help' || !GROUPS[group]) {
    const helps = await Promise.all(Object.values(GROUPS).map(async (g) => (await g()).help));
    console.log(`Usage: npm run cli -- <command>\n\n${helps.join('\n')}`);
    return group && group !== 'help' && group !== '--help' ? 2 : 0;
  }
  return (await GROUPS[group]!()).run(rest);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
