/**
 * The lock that keeps a second run off a journal in use: `<journal>.lock`, created exclusively
 * (O_EXCL) before the journal is read, holding the process ID and host of the run that has it,
 * and removed on every exit path the process lives through. A lock left by a run that was killed
 * (SIGKILL, a crash) names a process that no longer exists on this host: it is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { UsageError } from './errors.js';

interface LockOwner {
  pid?: unknown;
  host?: unknown;
  since?: unknown;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JournalLock {
  #held = true;
  private constructor(readonly path: string) {}

  /** Takes the lock of `journal`, or throws a UsageError naming the run that holds it; `name` is how messages call the journal. */
  static take(journal: string, name: string, now: number): JournalLock {
    const path = `${journal}.lock`;
    const me = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date(now).toISOString() });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(path, `${me}\n`, { flag: 'wx', mode: 0o644 });
        return new JournalLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new UsageError(`${name}: cannot create its lock ${path} (${(error as NodeJS.ErrnoException).code})`);
        }
      }
      let owner: LockOwner = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
      } catch {
        // Unreadable or cut short: treated as held by an unknown run (below).
      }
      const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
      if (pid !== undefined && owner.host === hostname() && !alive(pid)) {
        try {
          unlinkSync(path); // left by a run that was killed: taken over
        } catch {
          // Another run took it over first: try again.
        }
        continue;
      }
      const who =
        pid !== undefined
          ? `process ${pid} on ${String(owner.host)}, since ${String(owner.since)}`
          : 'a run whose lock cannot be read';
      throw new UsageError(
        `${name} is in use by another run (${who}); wait for it to end, or, if no run is using it, delete ${path}`,
      );
    }
    throw new UsageError(`${name}: its lock ${path} keeps changing; is another run starting?`);
  }

  /** Gives the lock back (idempotent, never throws). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to give back.
    }
  }
}
