/**
 * The CLI run in-process with injected dependencies (src/cli/program.ts), and the lazy reading of
 * bulk input: what the subprocess tests cannot see.
 */
import { Readable } from 'node:stream';
import { fileIds } from '../../src/cli/bulk/file-ids.js';
import { causesInOrder } from '../../src/cli/bulk/summary.js';
import { runCli } from '../../src/cli/program.js';
import { scratchCwd } from '../helpers/cli.js';

function buffer() {
  let text = '';
  return { sink: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

function deps(argv: string[], env: Record<string, string>) {
  const stdout = buffer();
  const stderr = buffer();
  const handlers = new Map<string, () => void>();
  return {
    stdout,
    stderr,
    handlers,
    deps: {
      argv,
      env,
      stdin: Readable.from([]),
      stdout: stdout.sink,
      stderr: stderr.sink,
      isTTY: false,
      cwd: scratchCwd(),
      onSignal: (signal: string, handler: () => void) => {
        handlers.set(signal, handler);
        return () => handlers.delete(signal);
      },
    },
  };
}

describe('runCli in-process', () => {
  it('reads the environment it is given, not process.env', async () => {
    const key = 'in-process-planted-key-1234';
    expect(process.env.EDGE_IMPULSE_API_KEY).toBeUndefined();
    const run = deps(
      [
        'edge-impulse',
        'clear-metadata',
        '--project',
        '3',
        '--category',
        'all',
        '--key',
        'k',
        '--no-backup',
        '--dry-run',
      ],
      {
        EDGE_IMPULSE_API_KEY: key,
      },
    );
    expect(await runCli(run.deps)).toBe(0);
    expect(run.stdout.text()).toBe(
      'POST https://studio.edgeimpulse.com/v1/api/3/raw-data/batch/clear-metadata-by-key?category=all\n' +
        'content-type: application/json\nx-api-key: [redacted]\n\n{"metadataKey":"k"}\n\n',
    );
    expect(run.stderr.text()).toBe('dry run: 1 request printed; nothing was sent\n');
    expect(run.handlers.size).toBe(0); // signal handlers removed after the run
  });

  it('a required option satisfied by the injected environment', async () => {
    const run = deps(
      ['oracle', 'delete-metadata', '--file', 'F1', '--collection', 'C', '--field', 'A', '--dry-run', '--no-backup'],
      {
        OCM_BASE_URL: 'https://tenant.example.com/documents/api/1.1',
        OCM_BEARER_TOKEN: 'in-process-token-5678',
      },
    );
    expect(await runCli(run.deps)).toBe(0);
    expect(run.stdout.text()).toMatch(
      /^DELETE https:\/\/tenant\.example\.com\/documents\/api\/1\.1\/files\/F1\/metadata\n/,
    );
    expect(run.stdout.text()).toContain('authorization: [redacted]\n');
    expect(run.stdout.text()).not.toContain('in-process-token-5678');
  });

  it('an empty variable counts as unset', async () => {
    const run = deps(
      [
        'edge-impulse',
        'clear-metadata',
        '--project',
        '1',
        '--category',
        'all',
        '--key',
        'k',
        '--no-backup',
        '--dry-run',
      ],
      {
        EDGE_IMPULSE_API_KEY: '',
        EDGE_IMPULSE_JWT_TOKEN: 'in-process-jwt-9012',
      },
    );
    expect(await runCli(run.deps)).toBe(0);
    expect(run.stdout.text()).toContain('x-jwt-token: [redacted]');
  });

  it('a credential typed into the wrong flag is still kept out of the messages', async () => {
    const secret = 'typo-planted-secret-3456';
    const run = deps(['edge-impulse', 'clear-metadata', `--api-key=${secret}`, '--project', secret], {});
    expect(await runCli(run.deps)).toBe(2);
    expect(run.stderr.text()).toMatch(/argument '\[redacted\]' is invalid/);
    expect(run.stderr.text()).not.toContain(secret);
  });

  it('so is a credential shorter than four characters, as a whole word, while other words stay as they are', async () => {
    const run = deps(['edge-impulse', 'clear-metadata', '--api-key=Q7z', '--project', 'Q7z'], {});
    expect(await runCli(run.deps)).toBe(2);
    expect(run.stderr.text()).toMatch(/^error: option '--project <id>' argument '\[redacted\]' is invalid/);
    expect(run.stderr.text()).not.toContain('Q7z');
  });

  it('takes the proxy from the environment it is given, and names the variable when it cannot be used', async () => {
    const run = deps(['oracle', 'delete-metadata', '--file', 'F1', '--collection', 'C', '--field', 'A'], {
      OCM_BASE_URL: 'https://tenant.example.com/documents/api/1.1',
      OCM_BEARER_TOKEN: 'in-process-token-5678',
      https_proxy: 'socks5://ops:proxy-pw-in-process@proxy.corp:1080',
    });
    expect(await runCli(run.deps)).toBe(2);
    expect(run.stderr.text()).toMatch(
      /^error: https_proxy: the scheme socks5: is not supported; expected an http:\/\//,
    );
    expect(run.stderr.text()).not.toContain('proxy-pw-in-process');
  });
});

describe('reading file IDs', () => {
  it('pulls lines only as they are consumed (100,000 lines are never read ahead)', async () => {
    const total = 100_000;
    let produced = 0;
    const input = new Readable({
      highWaterMark: 1024,
      read() {
        if (produced >= total) {
          this.push(null);
          return;
        }
        const lines = Array.from({ length: 100 }, (_, i) => `FILE-${produced + i}`).join('\n');
        produced += 100;
        this.push(`${lines}\n`);
      },
    });
    const taken: string[] = [];
    for await (const { id } of fileIds(input)) {
      taken.push(id);
      if (taken.length === 5) break;
    }
    expect(taken).toEqual(['FILE-0', 'FILE-1', 'FILE-2', 'FILE-3', 'FILE-4']);
    expect(produced).toBeLessThan(2_000);
  });

  it('skips blank lines and # comments, trims, drops a BOM and CRs', async () => {
    const ids: string[] = [];
    for await (const { id } of fileIds(Readable.from(['\uFEFFA\r\n', '  # note\r\n', '\n', '  B  \n#C\nD']))) {
      ids.push(id);
    }
    expect(ids).toEqual(['A', 'B', 'D']);
  });

  it('gives each ID its line number and the byte offset after its line, across chunks', async () => {
    const seen = [];
    for await (const entry of fileIds(Readable.from([Buffer.from('é1\n#\nA'), Buffer.from('B\r\n\nC')])))
      seen.push(entry);
    expect(seen).toEqual([
      { id: 'é1', line: 1, end: 4 },
      { id: 'AB', line: 3, end: 10 },
      { id: 'C', line: 5, end: 12 },
    ]);
  });

  it('refuses a line that is not UTF-8 (a byte split across chunks is fine), naming the line', async () => {
    const euro = Buffer.from('€');
    const ok = [];
    for await (const { id } of fileIds(
      Readable.from([Buffer.concat([Buffer.from('A\nB'), euro.subarray(0, 1)]), euro.subarray(1)]),
    )) {
      ok.push(id);
    }
    expect(ok).toEqual(['A', 'B€']);
    const read = async () => {
      for await (const _ of fileIds(Readable.from([Buffer.from([0x41, 0x0a, 0x42, 0xff, 0x0a])]), 'ids.txt'));
    };
    await expect(read()).rejects.toThrow(/^ids\.txt: line 2 is not valid UTF-8/);
  });

  it('refuses an over-long line as soon as it is too long, without holding it whole', async () => {
    let pushed = 0;
    const input = new Readable({
      read() {
        pushed++;
        this.push(pushed > 5000 ? null : 'x'.repeat(1000));
      },
    });
    const read = async () => {
      for await (const _ of fileIds(input, 'stdin'));
    };
    await expect(read()).rejects.toThrow(/^stdin: line 1 is longer than 1024 bytes/);
    expect(pushed).toBeLessThan(10);
  });
});

describe("the bulk summary's causes", () => {
  it('come in a fixed order, whatever order the files finished in', () => {
    const expected: [string, number][] = [
      ['HTTP 403 Forbidden', 1],
      ['HTTP 404 Not Found', 2],
      ['HTTP 503 Service Unavailable', 4],
      ['errorCode -16', 3],
      ['no answer (network)', 1],
      ['cancelled', 5],
    ];
    for (const seen of [
      [...expected].reverse(),
      [expected[5], expected[2], expected[0], expected[4], expected[1], expected[3]],
    ]) {
      expect(causesInOrder(new Map(seen as [string, number][]))).toEqual(expected);
    }
  });
});
