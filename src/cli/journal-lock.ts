/**
 * The lock that keeps a second run off a journal in use: `<journal>.lock`, created exclusively
 * (O_EXCL) before the journal is read, holding the process ID and host of the run that has it,
 * and removed on every exit path the process lives through. A lock left by a run that was killed
 * (SIGKILL, a crash) names a process that no longer exists on this host: it is taken over, by
 * one run only when several start together (removeIfStill).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
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
      let text: string | undefined;
      try {
        text = readFileSync(path, 'utf8');
        owner = JSON.parse(text) as LockOwner;
      } catch {
        // Gone, unreadable or cut short: treated as held by an unknown run (below), unless gone.
        if (text === undefined) continue;
      }
      const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
      if (pid !== undefined && owner.host === hostname() && !alive(pid)) {
        // Left by a run that was killed: taken over, only if it is still that lock (see removeIfStill).
        JournalLock.#removeIfStill(path, text);
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

  /**
   * Removes the lock at `path` only if it still holds `stale`. Two runs that found the same dead
   * process in it may both come here: a plain unlink by the second would remove the lock the
   * first has just created, and both would append to the journal. So the lock is first moved
   * aside (rename is atomic: one run gets any one lock file) and read there: the stale lock is
   * deleted; another run's lock is put back (link: never over a lock created meanwhile).
   */
  static #removeIfStill(path: string, stale: string): void {
    const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
    try {
      renameSync(path, aside);
    } catch {
      return; // gone: another run took it over first
    }
    let moved: string | undefined;
    try {
      moved = readFileSync(aside, 'utf8');
    } catch {
      moved = undefined;
    }
    if (moved !== stale) {
      try {
        linkSync(aside, path);
      } catch {
        // A lock was created meanwhile: this one's owner is told apart by the next read (below).
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // Nothing left to remove.
    }
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
