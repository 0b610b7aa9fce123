/**
 * metaclear/sandbox for a user on the Node that runs this test (CI runs it on 20, 22 and 24): the
 * packed package and its optional peer openapi-backend installed the way the README says, by
 * `npm install` from the registry into a fresh project (no lockfile), then the sandbox is
 * started and used. From Node 22.19 on with `--engine-strict`, so that a dependency declaring a
 * newer Node would fail the install instead of failing later; on Node 20 npm warns that the
 * newest openapi-backend's reference parser declares Node >= 22.19, as the README says, and the
 * 5.20 line installs with engine checks on.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/workspace.js';

const ENV = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function npm(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The install commands of the README's "The package" section, as a user types them. */
function readmeInstallCommands(): string[][] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The package'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npm install'))
    .map((line) => line.split(/\s+/).slice(1));
}

/** Node's version against a "major.minor" floor. */
const nodeBelow = (major: number, minor: number): boolean => {
  const [a = 0, b = 0] = process.versions.node.split('.').map(Number);
  return a < major || (a === major && b < minor);
};

const USER_SCRIPT = `
import { createOracleDocumentsClient } from 'metaclear';
import { startSandbox } from 'metaclear/sandbox';

const sandbox = await startSandbox();
try {
  sandbox.oracle.addFile({ id: 'F1', owner: 'operator', collections: { C: { A: '1', B: '2' } } });
  const client = createOracleDocumentsClient({
    baseUrl: sandbox.oracleBaseUrl,
    auth: { username: 'operator', password: 'pw' },
  });
  const response = await client.deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'] });
  const invalid = await fetch(sandbox.oracleBaseUrl + '/files/F1/metadata', {
    method: 'DELETE',
    headers: { authorization: 'Basic ' + Buffer.from('operator:pw').toString('base64'), 'content-type': 'application/json' },
    body: JSON.stringify({ collection: 'C' }),
  });
  console.log(JSON.stringify({
    response,
    left: sandbox.oracle.file('F1').collections.C,
    invalid: { status: invalid.status, body: await invalid.json() },
  }));
} finally {
  await sandbox.close();
}
`;

let dir: string;
let tarball: string;

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'esm', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'metaclear-peer-'));
  const packed = JSON.parse(
    // stderr captured, not passed through: npm's notices (say, about the machine's npmrc) stay out of the suite's output.
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: REPO,
      env: ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as { filename: string }[];
  tarball = join(dir, packed[0]?.filename as string);
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function freshProject(name: string): string {
  const project = join(dir, name);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`);
  return project;
}

const modern = !nodeBelow(22, 19);

describe('a user who follows the README', () => {
  let project: string;
  const installs: Run[] = [];

  beforeAll(async () => {
    project = freshProject('user');
    for (const args of readmeInstallCommands()) {
      const withTarball = args.map((arg) => (arg === 'metaclear' ? tarball : arg));
      installs.push(await npm(['install', ...withTarball.slice(1), ...(modern ? ['--engine-strict'] : [])], project));
    }
  }, 300_000);

  it('runs the two install commands of the README, and both succeed (with engine checks on from Node 22.19)', () => {
    expect(readmeInstallCommands()).toEqual([
      ['install', 'metaclear'],
      ['install', '-D', 'openapi-backend'],
    ]);
    expect(installs.map((run) => [run.code, run.stderr.match(/ERESOLVE/g)])).toEqual([
      [0, null],
      [0, null],
    ]);
    const warned = installs[1]?.stderr.match(/EBADENGINE[\s\S]*?package: '(@?[^@']+)@/)?.[1];
    expect(warned).toBe(modern ? undefined : '@apidevtools/json-schema-ref-parser');
    expect(existsSync(join(project, 'package-lock.json'))).toBe(true);
  });

  it('gets the newest openapi-backend in the peer range', () => {
    const installed = (name: string): { version: string } =>
      JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'));
    expect(installed('openapi-backend').version).toMatch(/^5\.(2[1-9]|[3-9]\d)\.\d+$/);
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(manifest.devDependencies['openapi-backend']).toMatch(/^\^5\.\d+\.\d+$/);
  });

  it('starts the sandbox from metaclear/sandbox and uses it', () => {
    writeFileSync(join(project, 'try-sandbox.mjs'), USER_SCRIPT);
    const out = JSON.parse(execFileSync(process.execPath, ['try-sandbox.mjs'], { cwd: project, encoding: 'utf8' }));
    expect(out).toEqual({
      response: { errorCode: '0', idList: 'F1', type: 'file' },
      left: { B: '2' },
      invalid: {
        status: 400,
        body: { errorCode: '-1', errorKey: 'sandbox.general', errorMessage: "request body field 'fields' is required" },
      },
    });
  });

  it('may ask for openapi-backend@latest by name: npm resolves it beside metaclear (no ERESOLVE)', async () => {
    const run = await npm(['install', '-D', 'openapi-backend@latest'], project);
    expect([run.code, run.stderr.match(/ERESOLVE/g)]).toEqual([0, null]);
  }, 300_000);
});

describe('on Node 20, the 5.20 line', () => {
  it('installs with engine checks on, as the README suggests to avoid the warning', async () => {
    if (modern) return; // From Node 22.19 on, every release of the range installs without a warning.
    const run = await npm(['install', 'openapi-backend@~5.20.0', '--engine-strict'], freshProject('node20-peer'));
    expect([run.code, run.stderr.match(/EBADENGINE|ERESOLVE/g)]).toEqual([0, null]);
  }, 300_000);
});
