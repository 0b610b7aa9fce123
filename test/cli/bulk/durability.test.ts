/**
 * The order of truth of a backed-up bulk clear, as the files on disk show it at the moment each
 * DELETE reaches the server: the file's backup entry is in the backup file and a fsync of the
 * backup that started after the entry was written has finished; and no journal line already in
 * the journal file names a file done whose entry is not so. The CLI runs in-process (so that the
 * fsyncs it makes can be observed: node:fs's own functions, watched, not replaced) against the
 * sandbox, behind a proxy that reads the files as each DELETE arrives.
 */
import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/program.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { type FaultProxy, startFaultProxy } from '../../helpers/fault-proxy.js';

const USER = 'operator';
const FILES = 40;
let sandbox: Sandbox;
let proxy: FaultProxy;
let dir: string;
/** What the proxy found wrong, as each DELETE arrived. */
let wrong: string[];
let deletesSeen: number;
let onDelete: (fileId: string) => void;

beforeAll(async () => {
  sandbox = await startSandbox();
  proxy = await startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, (request) => {
    if (request.method === 'DELETE') {
      deletesSeen++;
      onDelete(decodeURIComponent(/\/files\/([^/]+)\/metadata/.exec(request.url ?? '')?.[1] ?? ''));
    }
    return undefined;
  });
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-durability-'));
  wrong = [];
  deletesSeen = 0;
  const ids: string[] = [];
  for (let i = 1; i <= FILES; i++) {
    const id = `D${i}`;
    ids.push(id);
    sandbox.oracle.addFile({ id, owner: USER, collections: { C: { A: `a${i}`, B: `b${i}` } } });
  }
  writeFileSync(join(dir, 'ids.txt'), `${ids.join('\n')}\n`);
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Watches the fsyncs of the file at `path`: how many bytes of it each finished one covers at least. */
function watchFsyncs(path: string): { durableBytes: () => number } {
  const fds = new Set<number>();
  let durable = 0;
  const realOpen = fs.openSync;
  jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
    const fd = (realOpen as (...a: unknown[]) => number)(file, ...rest);
    if (String(file) === path) fds.add(fd);
    return fd;
  }) as typeof fs.openSync);
  const realFsyncSync = fs.fsyncSync;
  jest.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
    const size = fds.has(fd) ? fs.fstatSync(fd).size : 0;
    realFsyncSync(fd);
    if (fds.has(fd)) durable = Math.max(durable, size);
  });
  const realFsync = fs.fsync;
  jest.spyOn(fs, 'fsync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    const size = fds.has(fd) ? fs.fstatSync(fd).size : 0;
    realFsync(fd, (error) => {
      if (!error && fds.has(fd)) durable = Math.max(durable, size);
      callback(error);
    });
  }) as typeof fs.fsync);
  return { durableBytes: () => durable };
}

/** The byte offset at which the backup entry of each file ends, in the backup file as it is on disk now. */
function entryEnds(backupPath: string): Map<string, number> {
  const text = readFileSync(backupPath);
  const ends = new Map<string, number>();
  let start = 0;
  for (let end = text.indexOf(0x0a); end !== -1; start = end + 1, end = text.indexOf(0x0a, start)) {
    const line = JSON.parse(text.toString('utf8', start, end)) as { fileId?: string; values?: unknown };
    // An entry (not the outcome line of its clear, which names the file too).
    if (line.fileId !== undefined && line.values !== undefined) ends.set(line.fileId, end + 1);
  }
  return ends;
}

function doneInJournal(journalPath: string): string[] {
  return readFileSync(journalPath, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as { fileId: string; ok: boolean })
    .filter((entry) => entry.ok)
    .map((entry) => entry.fileId);
}

let out = '';
function run(argv: string[]): Promise<number> {
  out = '';
  return runCli({
    argv,
    env: { OCM_BASE_URL: `${proxy.url}/documents/api/1.1`, OCM_USERNAME: USER, OCM_PASSWORD: 'durability-password-1' },
    stdin: Readable.from([]),
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (out += chunk) },
    isTTY: false,
    cwd: dir,
    onSignal: () => () => undefined,
  });
}

describe('a backed-up bulk clear, as the disk shows it when each DELETE arrives', () => {
  it('finds each file backed up and fsynced, and no journal line ahead of the backup', async () => {
    const backup = join(dir, 'b.jsonl');
    const journal = join(dir, 'j.jsonl');
    const fsyncs = watchFsyncs(backup);
    onDelete = (fileId) => {
      const ends = entryEnds(backup);
      const durable = fsyncs.durableBytes();
      const end = ends.get(fileId);
      if (end === undefined) wrong.push(`DELETE ${fileId}: no backup entry in the file`);
      else if (end > durable) wrong.push(`DELETE ${fileId}: its entry (to byte ${end}) is not fsynced (${durable})`);
      for (const done of doneInJournal(journal)) {
        const doneEnd = ends.get(done);
        if (doneEnd === undefined || doneEnd > durable) {
          wrong.push(`DELETE ${fileId}: the journal says ${done} is done, its entry is not on disk`);
        }
      }
    };
    const argv = ['oracle', 'delete-metadata', '--collection', 'C', '--field', 'A', '--field', 'B'];
    const code = await run([
      ...argv,
      '--files-from',
      'ids.txt',
      '--backup',
      'b.jsonl',
      '--journal',
      'j.jsonl',
      '--concurrency',
      '4',
    ]);
    if (code !== 0) throw new Error(out);
    expect(deletesSeen).toBe(FILES);
    expect(wrong).toEqual([]);
    expect(entryEnds(backup).size).toBe(FILES);
    expect(doneInJournal(journal).sort()).toEqual(Array.from({ length: FILES }, (_, i) => `D${i + 1}`).sort());
  });
});
