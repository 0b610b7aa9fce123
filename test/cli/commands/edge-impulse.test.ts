/** `metaclear edge-impulse ...`: the built CLI against the sandbox. */
import { randomUUID } from 'node:crypto';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { builtCli, cliOutputs, leakedSecrets, runCli } from '../../helpers/cli.js';

const API_KEY = `ei-planted-key-${randomUUID()}`;
const OTHER_TOKEN = `ei-planted-jwt-${randomUUID()}`;

let sandbox: Sandbox;
beforeAll(async () => {
  builtCli();
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

const env = (extra: Record<string, string> = {}) => ({
  EDGE_IMPULSE_API_KEY: API_KEY,
  EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl,
  ...extra,
});
const clear = (args: string[], extra?: Record<string, string>) =>
  runCli(['edge-impulse', 'clear-metadata', ...args, '--no-backup'], { env: env(extra) });

function seedFilterCase(): void {
  sandbox.edgeImpulse.addSamples(1, [
    { id: 1, label: 'idle', added: '2024-03-01T00:00:00Z', metadata: { reviewer: 'ann', site: 'lab' } },
    { id: 2, label: 'snake', added: '2024-06-01T00:00:00Z', metadata: { reviewer: 'bob', site: 'field' } },
    { id: 3, label: 'idle', added: '2023-06-01T00:00:00Z', metadata: { reviewer: 'cy', site: 'lab' } },
    { id: 4, label: 'wave', added: '2024-03-01T00:00:00Z', metadata: { reviewer: 'dee', site: 'lab' } },
    { id: 5, label: 'idle', added: '2024-03-01T00:00:00Z', metadata: { reviewer: 'eve', site: 'lab' } },
    { id: 6, label: 'snake', added: '2024-03-01T00:00:00Z', metadata: { reviewer: 'fay', site: 'home' } },
    { id: 7, label: 'idle', category: 'testing', added: '2024-03-01T00:00:00Z', metadata: { reviewer: 'gus' } },
    {
      id: 8,
      label: 'idle',
      added: '2024-03-01T00:00:00Z',
      metadata: { reviewer: 'hal', site: 'lab', device: 'esp32' },
    },
    { id: 9, label: 'idle', added: '2024-03-01T00:00:00Z', length: 200, metadata: { reviewer: 'ida', site: 'lab' } },
  ]);
}

// biome-ignore format: flags with their values, one group per line
const FILTER_ARGS = [
  '--project', '1', '--category', 'training', '--key', 'reviewer',
  '--label', 'idle', '--label', 'snake',
  '--exclude-ids', '5',
  '--min-date', '2024-01-01T00:00:00Z', '--max-date', '2025-01-01',
  '--metadata', 'site=lab, field', '--metadata-not', 'device=esp32', '--combinator', 'and',
  '--min-length', '500', '--data-type', 'audio', '--include-disabled', 'both',
];

const reviewers = () =>
  Object.fromEntries(sandbox.edgeImpulse.samples(1).map((s) => [s.id, s.metadata.reviewer ?? null]));

describe('clear-metadata', () => {
  it('sends every filter in its wire form and clears the key on exactly the matching samples', async () => {
    seedFilterCase();
    const run = await clear(FILTER_ARGS);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Cleared metadata key "reviewer" on the matching training samples of project 1 (no backup: --no-backup).\n',
    );

    expect(sandbox.requests).toHaveLength(1);
    const request = sandbox.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/api/1/raw-data/batch/clear-metadata-by-key');
    expect(request?.query).toEqual({
      category: 'training',
      labels: '["idle","snake"]',
      excludeIds: '[5]',
      minDate: '2024-01-01T00:00:00.000Z',
      maxDate: '2025-01-01T00:00:00.000Z',
      metadata: JSON.stringify([
        { filters_combinator: 'and' },
        { key: 'site', op: 'eq', values: ['lab', 'field'] },
        { key: 'device', op: 'neq', values: ['esp32'] },
      ]),
      minLength: '500',
      dataType: 'audio',
      includeDisabled: 'both',
    });
    expect(request?.body).toEqual({ metadataKey: 'reviewer' });
    expect(request?.credential).toMatchObject({ scheme: 'ApiKeyAuthentication', identity: API_KEY });
    expect(request?.status).toBe(200);
    expect(reviewers()).toEqual({
      1: null,
      2: null,
      3: 'cy',
      4: 'dee',
      5: 'eve',
      6: 'fay',
      7: 'gus',
      8: 'hal',
      9: 'ida',
    });
  });

  it('sends the remaining filters, and --include-samples-without-metadata as no_metadata', async () => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { reviewer: 'ann' } }]);
    const run = await clear([
      ...['--project', '1', '--category', 'all', '--key', 'reviewer', '--ids', '1,2,3', '--filename', 'sample'],
      ...['--max-length', '5000', '--min-frequency', '50', '--max-frequency', '200.5', '--signature-validity', 'valid'],
      ...['--min-label', '0', '--max-label', '10', '--search', 'idle', '--min-id', '1', '--max-id', '100'],
      ...['--metadata', 'reviewer', '--combinator', 'or', '--include-samples-without-metadata'],
    ]);
    expect(run.code).toBe(0);
    expect(sandbox.requests[0]?.query).toEqual({
      category: 'all',
      ids: '[1,2,3]',
      filename: 'sample',
      maxLength: '5000',
      minFrequency: '50',
      maxFrequency: '200.5',
      signatureValidity: 'valid',
      minLabel: '0',
      maxLabel: '10',
      search: 'idle',
      minId: '1',
      maxId: '100',
      metadata: JSON.stringify([{ no_metadata: true }, { filters_combinator: 'or' }, { key: 'reviewer', op: 'eq' }]),
    });
  });

  it('--json prints one JSON document', async () => {
    sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { reviewer: 'ann' } }]);
    const run = await clear(['--project', '1', '--category', 'all', '--key', 'reviewer', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      command: 'edge-impulse clear-metadata',
      ok: true,
      exitCode: 0,
      projectId: 1,
      category: 'all',
      metadataKey: 'reviewer',
      status: 'done',
      backup: null,
    });
    expect(sandbox.edgeImpulse.sample(1, 1)?.metadata).toEqual({});
  });

  it('accepts the credential as a flag, and any of the three kinds', async () => {
    sandbox.edgeImpulse.addProject(1);
    const viaJwt = await runCli(
      [
        'edge-impulse',
        'clear-metadata',
        '--project',
        '1',
        '--category',
        'all',
        '--key',
        'k',
        '--jwt-token',
        OTHER_TOKEN,
      ],
      { env: { EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl } },
    );
    expect(viaJwt.code).toBe(0);
    expect(sandbox.requests[0]?.credential).toMatchObject({ source: 'header x-jwt-token', identity: OTHER_TOKEN });
  });

  it('--dry-run prints the exact request with the credential redacted, and sends nothing', async () => {
    const run = await clear([...FILTER_ARGS, '--dry-run']);
    expect(run.code).toBe(0);
    expect(sandbox.requests).toHaveLength(0);
    const [requestLine, ...rest] = run.stdout.split('\n');
    const url = new URL(requestLine?.replace(/^POST /, '') ?? '');
    expect(requestLine).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/api\/1\/raw-data\/batch\/clear-metadata-by-key\?/,
    );
    expect(url.searchParams.get('labels')).toBe('["idle","snake"]');
    expect(rest).toContain('x-api-key: [redacted]');
    expect(rest).toContain('content-type: application/json');
    expect(rest).toContain('{"metadataKey":"reviewer"}');
    expect(run.stderr).toBe('dry run: 1 request printed; nothing was sent\n');
  });

  it('--dry-run --json prints the request as JSON', async () => {
    const run = await clear(
      ['--project', '7', '--category', 'testing', '--key', 'k', '--label', 'a', '--dry-run', '--json'],
      {
        EDGE_IMPULSE_API_KEY: '',
        EDGE_IMPULSE_BEARER_TOKEN: OTHER_TOKEN,
      },
    );
    expect(run.code).toBe(0);
    expect(sandbox.requests).toHaveLength(0);
    expect(JSON.parse(run.stdout)).toEqual({
      dryRun: true,
      method: 'POST',
      url: `${sandbox.edgeImpulseBaseUrl}/api/7/raw-data/batch/clear-metadata-by-key?category=testing&labels=%5B%22a%22%5D`,
      query: { category: 'testing', labels: '["a"]' },
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
      body: { metadataKey: 'k' },
    });
  });

  it('reports an API failure on stderr with exit status 1', async () => {
    const run = await clear(['--project', '1', '--category', 'all', '--key', 'k'], {
      EDGE_IMPULSE_BASE_URL: `${sandbox.url}/nowhere`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: batchClearMetadataByKey: .*\(HTTP 404\)\n$/);
  });
});

describe('bad flags: exit status 2, a clear message, nothing sent', () => {
  const base = ['--project', '1', '--category', 'training', '--key', 'k'];
  it.each([
    [
      'a non-integer project',
      ['--project', 'abc', '--category', 'all', '--key', 'k'],
      /option '--project <id>' argument 'abc' is invalid\. Expected an integer\./,
    ],
    [
      'a fractional project',
      ['--project', '1.5', '--category', 'all', '--key', 'k'],
      /'--project <id>' argument '1\.5' is invalid/,
    ],
    [
      'project 0 (refused by the facade)',
      ['--project', '0', '--category', 'all', '--key', 'k'],
      /^error: --project: got 0; expected a positive integer$/m,
    ],
    [
      'an unknown category',
      ['--project', '1', '--category', 'nope', '--key', 'k'],
      /argument 'nope' is invalid\. Allowed choices are training, testing, validation, post-processing, all\./,
    ],
    [
      'a missing --key',
      ['--project', '1', '--category', 'all'],
      /required option not specified: --key <metadataKey>$/m,
    ],
    ['a missing --project', ['--category', 'all', '--key', 'k'], /required option not specified: --project <id>$/m],
    [
      'a bad date',
      [...base, '--min-date', 'yesterday'],
      /^error: option '--min-date <iso>' argument 'yesterday' is invalid\. Expected an ISO 8601 date or date-time with its zone/m,
    ],
    [
      'a bad ID list',
      [...base, '--ids', '1,x'],
      /'--ids <ids>' argument '1,x' is invalid\. Expected comma-separated integers/,
    ],
    [
      'a negative ID (refused by the facade)',
      [...base, '--ids', '1,-2'],
      /^error: --ids\[1\]: got -2; expected a non-negative integer$/m,
    ],
    [
      'an empty metadata rule',
      [...base, '--metadata', '=x'],
      /'--metadata <rule>' argument '=x' is invalid\. Expected key or key=value1,value2\./,
    ],
    ['an unknown data type', [...base, '--data-type', 'video'], /Allowed choices are audio, image/],
    ['--timeout without --wait', [...base, '--timeout', '5'], /^error: --timeout applies to --wait; add --wait$/m],
    ['an unknown flag', [...base, '--lable', 'idle'], /unknown option '--lable'\n\(Did you mean --label\?\)/],
    [
      'a base URL with credentials (refused by the facade)',
      [...base, '--base-url', 'https://user:pw@example.com/v1'],
      /^error: --base-url \(EDGE_IMPULSE_BASE_URL\): it contains credentials; expected/m,
    ],
  ])('%s', async (_, args, message) => {
    const run = await clear(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/\(add --help for usage\)\n$/);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('no credential at all', async () => {
    const run = await runCli(['edge-impulse', 'clear-metadata', ...base], {
      env: { EDGE_IMPULSE_BASE_URL: sandbox.edgeImpulseBaseUrl },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: no Edge Impulse credential: set EDGE_IMPULSE_API_KEY, EDGE_IMPULSE_JWT_TOKEN or EDGE_IMPULSE_BEARER_TOKEN/,
    );
  });

  it('two credentials as flags', async () => {
    const run = await clear([...base, '--jwt-token', OTHER_TOKEN, '--api-key', API_KEY]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --api-key and --jwt-token cannot be used together; give one credential$/m);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('two credentials in the environment, none as a flag', async () => {
    const run = await clear(base, { EDGE_IMPULSE_BEARER_TOKEN: OTHER_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: EDGE_IMPULSE_API_KEY and EDGE_IMPULSE_BEARER_TOKEN are both set; set one \(or pass one credential as a flag, which overrides them\)$/m,
    );
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('--wait and job-status', () => {
  let jobs: Sandbox;
  beforeAll(async () => {
    jobs = await startSandbox({ jobThreshold: 1, jobPolls: 2 });
  });
  afterAll(() => jobs?.close());
  beforeEach(() => {
    jobs.reset();
    jobs.edgeImpulse.addSamples(1, [
      { id: 1, metadata: { reviewer: 'ann', site: 'lab' } },
      { id: 2, metadata: { reviewer: 'bob' } },
      { id: 3, metadata: { reviewer: 'cy' } },
    ]);
  });
  const jobEnv = () => ({ EDGE_IMPULSE_API_KEY: API_KEY, EDGE_IMPULSE_BASE_URL: jobs.edgeImpulseBaseUrl });
  const ei = (args: string[]) => runCli(['edge-impulse', ...args], { env: jobEnv() });
  const CLEAR = ['clear-metadata', '--project', '1', '--category', 'all', '--key', 'reviewer', '--no-backup'];

  it('without --wait: prints the job and how to follow it', async () => {
    const run = await ei(CLEAR);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Clearing metadata key "reviewer" on the matching samples of project 1: the server continues as job 1 (no backup: --no-backup).\n' +
        'Follow it with: metaclear edge-impulse job-status --project 1 --job 1 --wait\n',
    );
    expect(jobs.edgeImpulse.samples(1).map((s) => s.metadata.reviewer)).toEqual(['ann', 'bob', 'cy']);
  });

  it('--wait follows the job to its end, with one progress line per poll on a non-terminal stderr', async () => {
    const run = await ei([...CLEAR, '--wait']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Cleared metadata key "reviewer" on the matching samples of project 1: job 1 finished successfully \(2 polls, \d+\.\d s; no backup: --no-backup\)\.\n$/,
    );
    expect(run.stderr.split('\n')).toEqual([
      'job 1: waiting (Ctrl-C stops waiting; the job keeps running)',
      expect.stringMatching(/^job 1: running \(poll 1, \d+\.\d s\)$/),
      expect.stringMatching(/^job 1: finished \(poll 2, \d+\.\d s\)$/),
      '',
    ]);
    expect(jobs.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/api/1/raw-data/batch/clear-metadata-by-key',
      'GET /v1/api/1/jobs/1/status',
      'GET /v1/api/1/jobs/1/status',
    ]);
    expect(jobs.edgeImpulse.samples(1).map((s) => s.metadata)).toEqual([{ site: 'lab' }, {}, {}]);
  });

  it('--wait --json prints the finished job', async () => {
    const run = await ei([...CLEAR, '--wait', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      command: 'edge-impulse clear-metadata',
      ok: true,
      exitCode: 0,
      projectId: 1,
      category: 'all',
      metadataKey: 'reviewer',
      status: 'job',
      jobId: 1,
    });
    expect(out.job).toMatchObject({ id: 1, finishedSuccessful: true, categoryKey: 'batchClearMetadataByKey' });
  });

  it('--wait on a job that fails: exit status 1 and the reason', async () => {
    jobs.edgeImpulse.failNextJob(1, 'disk full');
    const run = await ei([...CLEAR, '--wait']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: job 1 \(Clear metadata by key\) finished without success at \S+: disk full$/m);
  });

  it('--wait --timeout: exit status 124, and how to pick the job up again', async () => {
    const run = await ei([...CLEAR, '--wait', '--timeout', '0.2']);
    expect(run.code).toBe(124);
    expect(run.stderr).toMatch(/^error: job 1 had not finished after 200 ms$/m);
    expect(run.stderr).toMatch(
      /^job 1 keeps running on the server; follow it with: metaclear edge-impulse job-status --project 1 --job 1 --wait$/m,
    );
  });

  it('job-status shows a job; --wait follows it; --json prints it', async () => {
    await ei(CLEAR);
    const running = await ei(['job-status', '--project', '1', '--job', '1']);
    expect(running.code).toBe(0);
    expect(running.stdout).toMatch(/^job 1 \(Clear metadata by key\): running, started \S+\n$/);

    const waited = await ei(['job-status', '--project', '1', '--job', '1', '--wait', '--json']);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({
      command: 'edge-impulse job-status',
      ok: true,
      exitCode: 0,
      projectId: 1,
      jobId: 1,
      job: { id: 1, finishedSuccessful: true },
    });
    expect(waited.stderr).toMatch(/^job 1: finished \(poll 1, /m);

    const finished = await ei(['job-status', '--project', '1', '--job', '1']);
    expect(finished.stdout).toMatch(/^job 1 \(Clear metadata by key\): finished successfully at \S+\n$/);
  });

  it('job-status of an unknown job: exit status 1 with the HTTP status', async () => {
    const run = await ei(['job-status', '--project', '1', '--job', '99']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: getJobStatus: the server answered 404 Not Found: Job 99 not found in project 1 (HTTP 404)\n',
    );
  });

  it('job-status --dry-run prints the GET and sends nothing', async () => {
    const run = await ei(['job-status', '--project', '1', '--job', '42', '--dry-run']);
    expect(run.code).toBe(0);
    expect(jobs.requests).toHaveLength(0);
    expect(run.stdout).toBe(`GET ${jobs.edgeImpulseBaseUrl}/api/1/jobs/42/status\nx-api-key: [redacted]\n\n`);
  });

  it('job-status without --job', async () => {
    const run = await ei(['job-status', '--project', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option not specified: --job <id>$/m);
  });
});

describe('--help', () => {
  it.each([
    [['edge-impulse', '--help'], /clear-metadata/],
    [['edge-impulse', 'clear-metadata', '--help'], /--exclude-ids <ids>/],
    [['edge-impulse', 'job-status', '--help'], /--job <id>/],
  ])('%j', async (args, specific) => {
    const run = await runCli(args, { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(specific);
    expect(run.stdout).toMatch(/EDGE_IMPULSE_API_KEY/);
    expect(run.stdout).toMatch(/EDGE_IMPULSE_BASE_URL/);
    if (args.length > 2) {
      // An example after the heading, its comment (wrapped to 80 columns) before it.
      expect(run.stdout).toMatch(/Examples:\n( {2}# .*\n)* {2}metaclear edge-impulse /);
      expect(run.stdout).toMatch(/Exit status:/);
    }
  });
});

// Last: every run above has been recorded.
it('no planted credential appears in the stdout or stderr of any run', () => {
  expect(cliOutputs.length).toBeGreaterThan(40);
  expect(leakedSecrets([API_KEY, OTHER_TOKEN])).toEqual([]);
});
