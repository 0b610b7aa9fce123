/**
 * The journal of a bulk run (`--journal <path>`): append-only, one JSON line per finished file,
 * `{"fileId":"F1","ok":true}` or `{"fileId":"F2","ok":false,"cause":"HTTP 404 Not Found"}`.
 * Running the same command again with the same journal skips the files that succeeded, and
 * appends to it: a run of a million files can be interrupted and resumed any number of times.
 */
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { UsageError } from './errors.js';
import { lines } from './file-ids.js';
import { RecordFile } from './record-file.js';

export const JOURNAL_HEADER = '# metaclear journal v1: one JSON line per finished file';

function endsWithNewline(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

export class Journal {
  private constructor(
    readonly file: RecordFile,
    /** The files that succeeded in earlier runs. */
    readonly done: ReadonlySet<string>,
  ) {}

  /** Reads an existing journal (it must be one), or starts a new one. */
  static async open(path: string, flag: string): Promise<Journal> {
    const done = new Set<string>();
    if (existsSync(path)) {
      let first = true;
      for await (const { text, line } of lines(createReadStream(path), `${flag} ${path}`)) {
        if (first) {
          first = false;
          if (text !== JOURNAL_HEADER) {
            throw new UsageError(
              `${flag} ${path} is not a metaclear journal (its first line is not "${JOURNAL_HEADER}"); choose another path`,
            );
          }
          continue;
        }
        if (text === '' || text.startsWith('#')) continue;
        let entry: { fileId?: unknown; ok?: unknown };
        try {
          entry = JSON.parse(text) as typeof entry;
        } catch {
          // A line cut short by a kill while it was written: that file is simply not done.
          continue;
        }
        if (typeof entry.fileId !== 'string') {
          throw new UsageError(`${flag} ${path}: line ${line} is not a journal entry`);
        }
        if (entry.ok === true) done.add(entry.fileId);
      }
      const file = new RecordFile(path, 'a');
      // A line cut short by a kill must not swallow the first line of this run.
      if (!endsWithNewline(path)) file.write('\n');
      return new Journal(file, done);
    }
    const file = new RecordFile(path, 'wx');
    file.line(JOURNAL_HEADER);
    return new Journal(file, done);
  }

  succeeded(fileId: string): void {
    this.file.line(JSON.stringify({ fileId, ok: true }));
  }

  failed(fileId: string, cause: string): void {
    this.file.line(JSON.stringify({ fileId, ok: false, cause }));
  }
}
