/**
 * The lock that keeps a second run off a journal in use: `<journal>.lock`, created exclusively
 * (O_EXCL) before the journal is read, holding the process ID and host of the run that has it,
 * and removed on every exit path the process lives through. A lock left by a run that was killed
 * (SIGKILL, a crash) names a process that no longer exists on this host: it is taken over, by
 * one run only when several start together (removeIfStill, under a guard file).
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { UsageError } from '../errors.js';

interface LockOwner {
  pid?: unknown;
  host?: unknown;
  since?: unknown;
}

/** Reads of the lock before giving up ("keeps changing"); with a takeover under way, a pause between them. */
const ATTEMPTS = 100;
const TAKEOVER_WAIT_MS = 5;

/** Blocks this thread for `ms` (the lock is taken once, at start, before anything runs). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        writeFileSync(path, `${me}\n`, { flag: 'wx', mode: 0o600 });
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
        // Left by a run that was killed: taken over, only if it is still that lock (see removeIfStill);
        // while another run is taking it over, wait a moment and read it again.
        if (!JournalLock.#removeIfStill(path, text, me)) pause(TAKEOVER_WAIT_MS);
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
   * Removes the lock at `path` only if it still holds `stale`; false when another run is doing so
   * now (the caller then reads the lock again). Runs that found the same dead process in the lock
   * may all come here, each having read it a moment ago: a plain unlink by a later one would remove
   * the lock an earlier one has just created, and both would append to the journal. So a takeover
   * is done under `<lock>.takeover`, created exclusively: its holder reads the lock again and
   * removes it only if it is still the stale one, then gives the guard back. A guard left by a run
   * killed in those few microseconds is not removed by another run (that would race the same way):
   * the message says to delete it.
   */
  static #removeIfStill(path: string, stale: string | undefined, me: string): boolean {
    const guard = `${path}.takeover`;
    try {
      writeFileSync(guard, `${me}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      let owner: LockOwner = {};
      try {
        owner = JSON.parse(readFileSync(guard, 'utf8')) as LockOwner;
      } catch {
        return false; // gone again, or not yet written: another run is at it
      }
      if (typeof owner.pid === 'number' && owner.host === hostname() && !alive(owner.pid)) {
        throw new UsageError(
          `a run that was taking over the lock ${path} ended before it finished; if no run is using the journal, delete ${guard}`,
        );
      }
      return false;
    }
    try {
      let now: string | undefined;
      try {
        now = readFileSync(path, 'utf8');
      } catch {
        now = undefined;
      }
      if (now !== undefined && now === stale) unlinkSync(path);
      return true;
    } finally {
      unlinkSync(guard);
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
