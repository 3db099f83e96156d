/**
 * PGlite has no lock of its own on its data directory: two processes opening it would corrupt it.
 * We take an exclusive lock file (O_EXCL create) holding our pid and host. A lock left by a process
 * that is gone (crash, kill -9) is taken over; a live one refuses with DataDirLockedError.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  readonly code = 'data_dir_locked';
  constructor(public readonly lockPath: string, public readonly pid: number) {
    super(
      `The data directory is in use by another Hemisphere process (pid ${pid}, lock ${lockPath}). ` +
        `Stop that process first, or point DATA_DIR elsewhere.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type DirLock = { path: string; release(): void };

/**
 * Locks this process holds. A lock file naming our own pid is normally a leftover of an earlier
 * process that had the same pid (containers restart as pid 1) and is taken over — unless we really
 * hold it, in which case a second open in the same process must be refused like any other.
 */
const heldHere = new Set<string>();

export function acquireDirLock(dir: string): DirLock {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.resolve(dir, 'hemisphere.lock');
  if (heldHere.has(lockPath)) throw new DataDirLockedError(lockPath, process.pid);
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, body);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      heldHere.add(lockPath);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release); // one listener per held lock, not one per lock ever taken
        heldHere.delete(lockPath);
        try {
          const held = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number };
          if (held.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { path: lockPath, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let held: { pid?: number; host?: string } = {};
      try {
        held = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
      } catch {
        // Half-written lock from a crash mid-write: treat as stale.
      }
      const sameHost = !held.host || held.host === os.hostname();
      if (held.pid && held.pid !== process.pid && sameHost && alive(held.pid)) {
        throw new DataDirLockedError(lockPath, held.pid);
      }
      if (held.pid && !sameHost) throw new DataDirLockedError(lockPath, held.pid);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}
