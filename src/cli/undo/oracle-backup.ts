/**
 * The backup of a bulk `oracle delete-metadata` run (on by default; --no-backup turns it off): the
 * per-file step of the run becomes "read the file's own values of the named fields
 * (directAssigned=1) → write them to the backup → clear exactly the fields that held one". The
 * backup entry is on disk (written and fsynced) before the DELETE is sent, so no value is ever
 * cleared that the backup does not hold, even after a power loss; the files in flight share one
 * fsync (group commit: the entries written while a fsync runs wait for the next, together). The
 * journal line that says a file is done is written after its DELETE was answered, so after its
 * entry is on disk. A file with no value of its own in the fields is not sent a DELETE at all.
 * Once the DELETE is answered, its outcome is written after the entry (`done`, or `refused` for a
 * 4xx answer; see backup-file.ts), which tells a restore which of two entries of one file to apply.
 * The single-file form (`--file`) takes the same step, into a backup of its own.
 *
 * With --journal, the backup defaults to `<journal>.backup.jsonl` and a resumed run (the same
 * command) appends to it, once its header is found to bind the same target; without one, the
 * default is a new `metaclear-backup-oracle-<UTC time>.jsonl`, and an existing path is refused.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DeleteManyItem, FileCollectionResponse } from '../../index.js';
import { readOwnValues } from '../../oracle-documents/values.js';
import { checkOutputPath, freeDefaultName } from '../bulk/output-paths.js';
import { modeText, type RecordWriteError } from '../bulk/record-file.js';
import type { RequestGate } from '../bulk/request-gate.js';
import type { CliContext } from '../context.js';
import type { DeleteTarget } from '../oracle/delete-plan.js';
import type { OracleSession } from '../oracle/session.js';
import { plural, shellQuote } from '../terminal/output.js';
import { type BackupHeader, BackupWriteError, BackupWriter, type OracleEntry, recordedBaseUrl } from './backup-file.js';

/** What the per-file step did: the server's answer (null: nothing to clear, nothing sent) and the fields it cleared. */
export interface ClearOutcome {
  response: FileCollectionResponse | null;
  cleared: string[];
}

export const oracleRestoreCommand = (path: string): string => `metaclear restore ${shellQuote(path)}`;

export interface BackupPlace {
  path: string;
  /** The file exists: a resumed run appends to it. */
  append: boolean;
}

function headerOf(ctx: CliContext, target: DeleteTarget): BackupHeader {
  return {
    api: 'oracle-documents',
    baseUrl: recordedBaseUrl(target.baseUrl),
    target: { collection: target.collection, fields: [...target.fields] },
    created: new Date(ctx.now()).toISOString(),
  };
}

export class OracleBackup {
  readonly #writer: BackupWriter<OracleEntry>;
  readonly #appended: boolean;
  /** Files whose values were cleared by this run. */
  cleared = 0;
  /** Files whose own values this run read (whether they held any). */
  read = 0;

  private constructor(writer: BackupWriter<OracleEntry>, appended: boolean) {
    this.#writer = writer;
    this.#appended = appended;
  }

  /**
   * Where the backup of the run goes, checked before anything is read or sent: `--backup <path>`,
   * or the default beside the journal (appended to on a resume) or in the current folder.
   */
  static check(
    ctx: CliContext,
    target: DeleteTarget,
    /** --backup <path>; undefined: the default. */
    backupPath: string | undefined,
    journalPath: string | undefined,
    others: readonly { flag: string; path: string | undefined }[],
  ): BackupPlace {
    const spec =
      backupPath !== undefined
        ? backupPath
        : journalPath !== undefined
          ? `${journalPath}.backup.jsonl`
          : freeDefaultName(ctx.deps.cwd, 'backup-oracle', ctx.now(), 'jsonl');
    const resuming = journalPath !== undefined;
    const path = checkOutputPath('--backup', spec, ctx.deps.cwd, {
      others,
      existingAllowed: resuming,
      existingHint:
        'a backup is never overwritten: choose another path (or resume the run it is of, with its --journal)',
    });
    const append = resuming && existsSync(path);
    if (append) BackupWriter.checkSameTarget(path, '--backup', headerOf(ctx, target));
    return { path, append };
  }

  /** Opens (creates, or appends to on a resume) the backup checked by `check`. */
  static open(ctx: CliContext, target: DeleteTarget, place: BackupPlace): OracleBackup {
    const header = headerOf(ctx, target);
    const writer = place.append
      ? BackupWriter.resume<OracleEntry>(place.path, '--backup', header)
      : BackupWriter.create<OracleEntry>(place.path, '--backup', header);
    return new OracleBackup(writer, place.append);
  }

  get path(): string {
    return resolve(this.#writer.path);
  }

  /** Entries this run wrote. */
  get entries(): number {
    return this.#writer.entries;
  }

  /** The per-file call of the run: read own values → backup entry → clear those fields. */
  step(
    session: OracleSession,
    gate?: RequestGate,
  ): (item: DeleteManyItem, signal: AbortSignal) => Promise<ClearOutcome> {
    // Without a gate (one file), each request goes out at once.
    const request = <T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> =>
      gate ? gate.run(signal, call) : call();
    return async (item, signal) => {
      const values = await request(signal, () => readOwnValues(session.reader, { ...item, signal }));
      this.read++;
      const cleared = Object.keys(values);
      if (cleared.length === 0) return { response: null, cleared };
      // No request is held while the entry waits for the disk: another file's may go out meanwhile.
      const line = await this.#writer.commit({ fileId: item.fileId, values });
      let response: FileCollectionResponse;
      try {
        response = await request(signal, () =>
          session.client.deleteFileMetadataValues({ ...item, fields: cleared, signal }),
        );
      } catch (error) {
        // Refused only as observed: the file read again holds every value the backup took. An
        // answer alone does not say it (the call may have been done and its answer lost, then
        // retried and refused); a clear whose effect is unknown gets no outcome line, which the
        // restore takes for a clear that may have gone out.
        if (!signal.aborted && (await this.#intact(session, item, values, request, signal))) {
          this.#outcome('refused', line, item.fileId);
        }
        throw error;
      }
      this.#outcome('done', line, item.fileId);
      this.cleared++;
      return { response, cleared };
    };
  }

  /** Whether the file still holds every value of `values` (false when it cannot be read). */
  async #intact(
    session: OracleSession,
    item: DeleteManyItem,
    values: Record<string, string | number | boolean>,
    request: <T>(signal: AbortSignal, call: () => Promise<T>) => Promise<T>,
    signal: AbortSignal,
  ): Promise<boolean> {
    try {
      const now = await request(signal, () => readOwnValues(session.reader, { ...item, signal }));
      return Object.entries(values).every(([field, value]) => now[field] === value);
    } catch {
      return false;
    }
  }

  /**
   * The clear's outcome line (see backup-file.ts). A write that fails here is said by onFailure (the
   * run stops); the clear's outcome stands, and the restore derives it as for a run killed here.
   */
  #outcome(clear: 'done' | 'refused', line: number, fileId: string): void {
    try {
      this.#writer.addRecord({ clear, line, fileId });
    } catch {
      // Said by onFailure.
    }
  }

  /** A write of the backup failed: the run is to stop (the step refuses to clear the file, too). */
  set onFailure(listener: ((error: RecordWriteError) => void) | undefined) {
    this.#writer.onFailure = listener;
  }

  /**
   * Made durable and closed; a new backup that holds nothing is removed. Returns whether it is
   * kept. Never throws: a last sync that fails is said by summaryLine.
   */
  close(): boolean {
    try {
      this.#writer.close();
    } catch (error) {
      this.#closeError = error instanceof Error ? error.message : String(error);
      if (error instanceof BackupWriteError) this.#closeFailure = error.cause;
    }
    if (this.#writer.entries === 0 && !this.#appended && this.#closeError === undefined) {
      this.#discard();
      return false;
    }
    return true;
  }

  #closeError: string | undefined;
  #closeFailure: RecordWriteError | undefined;

  /** The write or fsync that failed as the backup was closed, if one did. */
  get closeFailure(): RecordWriteError | undefined {
    return this.#closeFailure;
  }

  #discard(): void {
    try {
      unlinkSync(this.#writer.path);
    } catch {
      // Already gone: nothing to keep.
    }
  }

  /** The summary's line about the backup. */
  summaryLine(kept: boolean): string {
    if (!kept && this.read === 0) {
      return "Backup: none written: no file's values were read, so none was cleared.";
    }
    if (!kept) {
      return `Backup: none needed: none of the ${plural(this.read, 'file')} read held a value of its own in these fields.`;
    }
    if (this.#closeError !== undefined) {
      return `Backup: ${this.path}: ${this.#closeError}; the entries written before it are in the file. Undo with: ${oracleRestoreCommand(this.path)}`;
    }
    const tightened = this.#writer.tightened;
    const madePrivate = tightened === undefined ? '' : `; made private (0600): it was ${modeText(tightened)}`;
    return `Backup: ${this.path} (${plural(this.#writer.entries, 'file')}${this.#appended ? ' added to it by this run' : ''})${madePrivate}. Undo with: ${oracleRestoreCommand(this.path)}`;
  }
}

export const NO_BACKUP_LINE = 'No backup (--no-backup): the values cleared cannot be restored by metaclear.';
