/**
 * Shared plumbing of the CLI commands: option parsing with usage errors (exit 2), reading a secret
 * from stdin, and opening the configured database with the refusals operators need to read.
 */
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { DataDirLockedError } from '../db/lockfile.ts';
import type { Database } from '../db/client.ts';
import { openFromConfig } from './open.ts';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

export class UsageError extends Error {
  constructor(message: string, public readonly usage: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A problem the operator has to act on (printed without a stack trace). */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT.failed) {
    super(message);
    this.name = 'CliError';
  }
}

type Spec = Record<string, 'string' | 'flag'>;
export type Parsed<S extends Spec> = { [K in keyof S]?: S[K] extends 'flag' ? boolean : string };

/** `--name value`, `--name=value` and `--flag`; anything else is a usage error. */
export function parseOptions<S extends Spec>(args: string[], spec: S, usage: string): Parsed<S> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`Unexpected argument: ${arg}`, usage);
    const [, name, inline] = m as unknown as [string, string, string | undefined];
    const kind = spec[name];
    if (!kind) throw new UsageError(`Unknown option: --${name}`, usage);
    if (name in out) throw new UsageError(`--${name} given twice`, usage);
    if (kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`, usage);
      out[name] = true;
    } else {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value`, usage);
      }
      out[name] = value;
    }
  }
  return out as Parsed<S>;
}

export function required(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`, usage);
  return value;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

/** Opens the configured database; an embedded one that a running platform holds is refused (exit 3). */
export async function openConfigured(config: Config): Promise<Database> {
  try {
    return await openFromConfig(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      throw new CliError(`${err.message}\nThe embedded database can only be used by one process: stop the platform, then run this command again.`, EXIT.locked);
    }
    throw err;
  }
}

/** Runs a command body, turning usage and operator errors into a message and an exit code. */
export async function runCommand(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\nUsage:\n${err.usage}`);
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      console.error(err.message);
      return err.exitCode;
    }
    throw err;
  }
}
