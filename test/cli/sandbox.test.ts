/** `metaclear sandbox`: starts, serves the demo data to the CLI itself, stops on a signal. */
import { DEMO } from '../../src/sandbox/demo-state.js';
import { builtCli, runCli, startCli } from '../helpers/cli.js';

beforeAll(() => {
  builtCli();
});

describe('metaclear sandbox', () => {
  it('--port 0: prints the base URLs and example commands, serves the demo data, stops on SIGTERM', async () => {
    const cli = startCli(['sandbox', '--port', '0']);
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
        { env: { EDGE_IMPULSE_BASE_URL: `${url}/v1`, EDGE_IMPULSE_API_KEY: DEMO.edgeImpulseApiKey } },
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
