/** `metaclear sandbox`: starts, serves the demo data to the CLI itself, stops on a signal. */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEMO } from '../../src/sandbox/demo-state.js';
import { builtCli, runCli, runPrinted, startCli } from '../helpers/cli.js';

interface PackageJson {
  peerDependencies: Record<string, string>;
}

const REPO = resolve(__dirname, '..', '..');

beforeAll(() => {
  builtCli();
});

describe('metaclear sandbox', () => {
  it('--port 0: prints the base URLs and example commands, serves the demo data, stops on SIGTERM', async () => {
    const cli = startCli(['sandbox', '--port', '0']);
    const scratch = mkdtempSync(join(tmpdir(), 'metaclear-sandbox-try-'));
    try {
      const [, url] = await cli.waitForStdout(/^metaclear sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      await cli.waitForStdout(/^Stop it with Ctrl-C\.$/m);
      const out = cli.stdout();
      expect(out).toContain(`  Edge Impulse base URL: ${url}/v1\n`);
      expect(out).toContain(`  Oracle base URL:       ${url}/documents/api/1.1\n`);
      expect(out).toContain(`export EDGE_IMPULSE_BASE_URL=${url}/v1 EDGE_IMPULSE_API_KEY=${DEMO.edgeImpulseApiKey}`);
      expect(out).toContain(`metaclear oracle delete-metadata --file ${DEMO.oracleFileId} --collection CollectionA`);

      // The example commands work against it.
      const ei = await runCli(
        [
          'edge-impulse',
          'clear-metadata',
          '--project',
          '1',
          '--category',
          'training',
          '--key',
          'site',
          '--label',
          'idle',
        ],
        // In a folder of its own: the clear writes its backup where it runs, not in the repository.
        { env: { EDGE_IMPULSE_BASE_URL: `${url}/v1`, EDGE_IMPULSE_API_KEY: DEMO.edgeImpulseApiKey }, cwd: scratch },
      );
      expect(ei.code).toBe(0);
      const ocm = await runCli(
        ['oracle', 'delete-metadata', '--file', DEMO.oracleFileId, '--collection', 'CollectionA', '--field', 'A1'],
        {
          env: {
            OCM_BASE_URL: `${url}/documents/api/1.1`,
            OCM_USERNAME: DEMO.oracleUser,
            OCM_PASSWORD: DEMO.oraclePassword,
          },
        },
      );
      expect(ocm.code).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      cli.child.kill('SIGTERM');
    }
    const run = await cli.result;
    expect(run.code).toBe(0);
    expect(run.signal).toBeNull();
    expect(run.stdout).toMatch(/\nSIGTERM: stopping the sandbox\n$/);
    expect(run.stderr).toBe('');
  });

  it('stops on SIGINT (Ctrl-C) with exit status 0; --empty starts without demo data', async () => {
    const cli = startCli(['sandbox', '--port', '0', '--empty']);
    await cli.waitForStdout(/^Stop it with Ctrl-C\.$/m);
    expect(cli.stdout()).not.toContain('Demo data');
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nSIGINT: stopping the sandbox\n$/);
  });

  it('--log prints each request it receives; demo project 2 starts a job that --wait really follows', async () => {
    const cli = startCli(['sandbox', '--port', '0', '--log']);
    try {
      const [, url] = await cli.waitForStdout(/^metaclear sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      await cli.waitForStdout(/^Stop it with Ctrl-C\.$/m);
      const tryLine = `metaclear edge-impulse clear-metadata --project ${DEMO.edgeImpulseJobProjectId} --category training --key batch --wait`;
      expect(cli.stdout()).toContain(tryLine);
      // With --no-backup: one clear request, so that the log below is that request and its polls
      // (the backed-up run of the same line is tested in edge-impulse-backup.test.ts).
      const run = await runCli([...tryLine.split(' ').slice(1), '--no-backup'], {
        env: { EDGE_IMPULSE_BASE_URL: `${url}/v1`, EDGE_IMPULSE_API_KEY: DEMO.edgeImpulseApiKey },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^Cleared metadata key "batch" on the matching training samples of project 2: job \d+ finished successfully \(3 polls, .*; no backup: --no-backup\)\.$/m,
      );
      expect(run.stderr).toMatch(/^job \d+: running \(poll 1, /m);
      // One log line per request: the POST, then the three status polls.
      await cli.waitForStderr(/(^GET .*\n){3}/m);
      const logged = cli.stderr().trimEnd().split('\n');
      expect(logged).toEqual([
        expect.stringMatching(
          /^POST \/v1\/api\/2\/raw-data\/batch\/clear-metadata-by-key\?category=training 200 \d+ ms ApiKeyAuthentication$/,
        ),
        ...Array.from({ length: 3 }, () =>
          expect.stringMatching(/^GET \/v1\/api\/2\/jobs\/\d+\/status 200 \d+ ms ApiKeyAuthentication$/),
        ),
      ]);
      expect(cli.stderr()).not.toContain(DEMO.edgeImpulseApiKey);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect((await cli.result).code).toBe(0);
  });

  it('--oracle-files 300: seeds 300 files with values, prints the command that lists their IDs, and a bulk run clears them', async () => {
    const cli = startCli(['sandbox', '--port', '0', '--oracle-files', '300']);
    const scratch = mkdtempSync(join(tmpdir(), 'metaclear-sandbox-bulk-'));
    try {
      const [, url] = await cli.waitForStdout(/^metaclear sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      await cli.waitForStdout(/^Stop it with Ctrl-C\.$/m);
      const out = cli.stdout();
      expect(out).toContain('300 Oracle files for a bulk trial');
      const listing = /^ {2}(seq 1 300 .*> sandbox-file-ids\.txt)$/m.exec(out)?.[1];
      const bulk = /^ {2}(metaclear oracle delete-metadata --files-from sandbox-file-ids\.txt .*)$/m.exec(out)?.[1];
      expect(listing).toBeDefined();
      expect(bulk).toBeDefined();
      const env = {
        OCM_BASE_URL: `${url}/documents/api/1.1`,
        OCM_USERNAME: DEMO.oracleUser,
        OCM_PASSWORD: DEMO.oraclePassword,
      };
      const oracle = (id: string) =>
        fetch(`${url}/documents/api/1.1/files/${id}/metadata?directAssigned=1`, {
          headers: {
            authorization: `Basic ${Buffer.from(`${DEMO.oracleUser}:${DEMO.oraclePassword}`).toString('base64')}`,
          },
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { metadata?: unknown } }));

      // The printed commands, run as printed: the listing names 300 files that all hold values.
      expect((await runPrinted(listing as string, { cwd: scratch })).code).toBe(0);
      const ids = readFileSync(join(scratch, 'sandbox-file-ids.txt'), 'utf8').trimEnd().split('\n');
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
      for (const id of [ids[0], ids[299]]) {
        const before = await oracle(id as string);
        expect(before.status).toBe(200);
        const n = (id as string).replace('sandbox-file-', '');
        expect(before.body.metadata).toEqual({ CollectionA: { A1: `value ${n}`, A2: `value ${n}` } });
      }
      const run = await runPrinted(bulk as string, { cwd: scratch, env, timeoutMs: 120_000 });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/300 succeeded/);
      for (const id of [ids[0], ids[150], ids[299]]) {
        const after = await oracle(id as string);
        expect(after.status).toBe(200);
        expect(after.body.metadata).toEqual({ CollectionA: {} });
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      cli.child.kill('SIGTERM');
    }
    expect((await cli.result).code).toBe(0);
  }, 180_000);

  it('checks the demo Oracle password as the service does: a wrong one is refused with 401', async () => {
    const cli = startCli(['sandbox', '--port', '0']);
    try {
      const [, url] = await cli.waitForStdout(/^metaclear sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      await cli.waitForStdout(/^Stop it with Ctrl-C\.$/m);
      const run = await runCli(
        ['oracle', 'delete-metadata', '--file', DEMO.oracleFileId, '--collection', 'CollectionA', '--field', 'A1'],
        {
          env: {
            OCM_BASE_URL: `${url}/documents/api/1.1`,
            OCM_USERNAME: DEMO.oracleUser,
            OCM_PASSWORD: 'not-the-demo-password',
          },
        },
      );
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/401/);
      expect(run.stderr).not.toContain('not-the-demo-password');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect((await cli.result).code).toBe(0);
  });

  it('a busy port: says which flag picks another, exit status 2', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as AddressInfo).port;
    try {
      const run = await runCli(['sandbox', '--port', String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(run.stderr).toContain('--port');
      expect(run.stdout).toBe('');
    } finally {
      await new Promise((done) => busy.close(done));
    }
  });

  it('installed globally without its optional peer: says to install the peer globally', async () => {
    // The layout of `npm install -g metaclear`: <prefix>/lib/node_modules/metaclear, with its
    // dependencies inside it, and no package.json beside that node_modules.
    const prefix = mkdtempSync(join(tmpdir(), 'metaclear-global-'));
    try {
      const root = join(prefix, 'lib', 'node_modules', 'metaclear');
      mkdirSync(root, { recursive: true });
      cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
      cpSync(join(REPO, 'dist'), join(root, 'dist'), { recursive: true });
      for (const api of ['edge-impulse', 'oracle-documents']) {
        cpSync(join(REPO, 'generated', api, 'openapi.json'), join(root, 'generated', api, 'openapi.json'));
      }
      for (const dependency of ['commander', 'openapi-fetch', 'openapi-typescript-helpers']) {
        cpSync(join(REPO, 'node_modules', dependency), join(root, 'node_modules', dependency), { recursive: true });
      }
      const child = spawn(process.execPath, [join(root, 'dist', 'esm', 'cli', 'main.js'), 'sandbox', '--port', '0'], {
        cwd: prefix,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(code).toBe(2);
      const range = (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as PackageJson)
        .peerDependencies['openapi-backend'];
      expect(stderr).toContain(
        `error: the sandbox needs openapi-backend, an optional peer dependency of metaclear, which is not installed; install it with: npm install --global 'openapi-backend@${range}' (metaclear is installed globally, so the peer must be too)\n`,
      );
      expect(dirname(root)).toMatch(/node_modules$/);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('refuses a bad port', async () => {
    const run = await runCli(['sandbox', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /option '--port <n>' argument '70000' is invalid\. Expected a port number from 0 to 65535\./,
    );
  });

  it('--help', async () => {
    const run = await runCli(['sandbox', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--port <n>/);
    expect(run.stdout).toMatch(/Examples:\n {2}metaclear sandbox/);
    expect(run.stdout).toContain('openapi-backend');
  });
});

describe('metaclear', () => {
  it('--help lists the commands and the exit statuses', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/edge-impulse +clear a metadata key/);
    expect(run.stdout).toMatch(/oracle +delete values of metadata fields/);
    expect(run.stdout).toMatch(/sandbox \[options\] +start the local sandbox/);
    expect(run.stdout).toMatch(/Exit status:\n {2}0 {4}success/);
  });

  it('--version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command: exit status 2', async () => {
    const run = await runCli(['clear-everything']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'clear-everything'/);
  });

  it('no command: the help on stderr, exit status 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: metaclear/);
  });
});
