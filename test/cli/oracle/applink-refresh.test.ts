/**
 * `--applink-refresh-token`: a run through an applink outlives its access token. The built CLI
 * against the sandbox, whose applink token is expired mid-run by a proxy in front of it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, runCli } from '../../helpers/cli.js';
import { startFaultProxy } from '../../helpers/fault-proxy.js';

const LINK = { id: 'LF5Bxj4TPo_p4n4qWn0tbKTicR2cTUJKv7X_refresh', accessToken: `ocm-planted-access-${randomUUID()}` };
const REFRESH = `ocm-planted-refresh-${randomUUID()}`;
const FILES = Array.from({ length: 20 }, (_, i) => `RF${String(i).padStart(3, '0')}`);

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-refresh-'));
  for (const id of FILES) {
    sandbox.oracle.addFile({
      id,
      owner: 'someone-else',
      collections: { C: { A: '1' } },
      appLinks: [{ ...LINK, role: 'contributor', refreshToken: REFRESH }],
    });
  }
  writeFileSync(join(dir, 'ids.txt'), `${FILES.join('\n')}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a bulk clear through a proxy that expires the applink's token after the 5th request. */
async function runExpiring(extra: Record<string, string>, flags: string[] = []) {
  let seen = 0;
  const proxy = await startFaultProxy(new URL(sandbox.oracleBaseUrl).origin, () => {
    if (++seen === 6) sandbox.oracle.expireAppLinkToken(LINK.id);
    return undefined;
  });
  try {
    return await runCli(
      [
        'oracle',
        'delete-metadata',
        '--files-from',
        'ids.txt',
        '--collection',
        'C',
        '--field',
        'A',
        '--concurrency',
        '1',
        ...flags,
      ],
      {
        env: {
          OCM_BASE_URL: `${proxy.url}/documents/api/1.1`,
          OCM_APPLINK_ID: LINK.id,
          OCM_APPLINK_TOKEN: LINK.accessToken,
          ...extra,
        },
        cwd: dir,
      },
    );
  } finally {
    await proxy.close();
  }
}

it('an expired access token is refreshed once, and every file is cleared; no token is printed', async () => {
  const run = await runExpiring({ OCM_APPLINK_REFRESH_TOKEN: REFRESH });
  expect(run.code).toBe(0);
  for (const id of FILES) expect(sandbox.oracle.file(id)?.collections.C).toEqual({});
  const refreshes = sandbox.requests.filter((r) => r.method === 'PUT');
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0]?.path).toBe('/documents/api/1.1/applinks/token');
  expect(run.stderr).toContain('the applink access token expired: a new one was fetched with --applink-refresh-token');
  const output = run.stdout + run.stderr;
  const fresh = sandbox.requests.at(-1)?.headers.accesstoken as string;
  expect(fresh).not.toBe(LINK.accessToken);
  for (const secret of [LINK.accessToken, REFRESH, fresh]) expect(output).not.toContain(secret);
});

it('without it, the files after the expiry fail with errorCode -26, as before', async () => {
  // --no-backup: one request per file, so the 5 files before the expiry are the ones cleared.
  const run = await runExpiring({}, ['--no-backup']);
  expect(run.code).toBe(1);
  expect(sandbox.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  expect(FILES.filter((id) => sandbox.oracle.file(id)?.collections.C?.A === undefined)).toHaveLength(5);
});

it('a refresh token Oracle refuses fails the files it could not save, naming the refresh; no token printed', async () => {
  const run = await runExpiring({ OCM_APPLINK_REFRESH_TOKEN: `${REFRESH}-wrong` });
  expect(run.code).toBe(1);
  expect(run.stdout + run.stderr).toMatch(/refreshAppLinkToken/);
  expect(run.stdout + run.stderr).not.toContain(REFRESH);
});

it('is refused without an applink, before anything is sent', async () => {
  const run = await runCli(['oracle', 'delete-metadata', '--file', 'RF000', '--collection', 'C', '--field', 'A'], {
    env: {
      OCM_BASE_URL: sandbox.oracleBaseUrl,
      OCM_BEARER_TOKEN: 'bearer-1234567',
      OCM_APPLINK_REFRESH_TOKEN: REFRESH,
    },
    cwd: dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--applink-refresh-token (OCM_APPLINK_REFRESH_TOKEN) refreshes an applink');
  expect(sandbox.requests).toHaveLength(0);
});
