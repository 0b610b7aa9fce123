/**
 * `npm run specs:update` against a vendor served by a local HTTP server (127.0.0.1, port 0):
 * the workspace's manifests are pointed at it, and the server serves the committed docs page and
 * OpenAPI document, changed ones, broken ones or nothing.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO, type RunResult, runScript, Workspace } from '../helpers/workspace.js';

const VENDOR = 'specs/edge-impulse/vendor';
const PAGE = `${VENDOR}/batch-clear-metadata-by-key.page.md`;
const YAML = `${VENDOR}/batch-clear-metadata-by-key.yaml`;
const MANIFEST = `${VENDOR}/batch-clear-metadata-by-key.manifest.yaml`;
const JOBS_SOURCE = `${VENDOR}/get-job-status.source.yaml`;
const JOBS_YAML = `${VENDOR}/get-job-status.yaml`;
const JOBS_MANIFEST = `${VENDOR}/get-job-status.manifest.yaml`;
const SAMPLES_SOURCE = `${VENDOR}/samples.source.yaml`;
const SAMPLES_MANIFEST = `${VENDOR}/samples.manifest.yaml`;
const OPERATION = 'POST /api/{projectId}/raw-data/batch/clear-metadata-by-key';
const DISABLED = '          - both\n          - enabled\n          - disabled\n';

const run = promisify(execFile);

/** `npm run specs:update -- <args>` as npm runs it, on the workspace. */
async function specsUpdate(ws: Workspace, ...args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(REPO, 'scripts', 'launch.mjs'), 'specs-update', '--root', ws.root, '--date', '2030-01-02', ...args],
      { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 2 ** 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let ws: Workspace;
let server: Server;
/** What the server answers on /docs/page.md and on /openapi.yml: a status and a body. */
let answer: { status: number; body: string };
let document: { status: number; body: string };
const requests: string[] = [];
/** Where the server sends a request for /moved. */
let redirectTo = '';

beforeEach(async () => {
  ws = new Workspace();
  requests.length = 0;
  answer = { status: 200, body: ws.read(PAGE) };
  document = { status: 200, body: ws.read(JOBS_SOURCE) };
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const served =
      req.url === '/docs/page.md'
        ? answer
        : req.url === '/openapi.yml'
          ? document
          : req.url === '/samples.yml'
            ? { status: 200, body: ws.read(SAMPLES_SOURCE) }
            : undefined;
    if (req.url === '/moved') {
      res.writeHead(302, { location: redirectTo }).end();
      return;
    }
    res.writeHead(served?.status ?? 404, { 'content-type': 'text/plain' });
    res.end(served?.body ?? 'not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  ws.edit(
    MANIFEST,
    'source: https://docs.edgeimpulse.com/apis/studio/raw-data/clear-metadata-by-key-multiple-samples.md',
    `source: http://127.0.0.1:${port}/docs/page.md`,
  );
  ws.edit(
    JOBS_MANIFEST,
    'source: https://raw.githubusercontent.com/edgeimpulse/ei-agentic-claude/58dcf57ad37543843f89028c1f9cc73c890f2c48/src/openapi/openapi.yml',
    `source: http://127.0.0.1:${port}/openapi.yml`,
  );
  ws.edit(
    SAMPLES_MANIFEST,
    'source: https://raw.githubusercontent.com/edgeimpulse/ei-agentic-claude/58dcf57ad37543843f89028c1f9cc73c890f2c48/src/openapi/openapi.yml',
    `source: http://127.0.0.1:${port}/samples.yml`,
  );
});

afterEach(async () => {
  server.close();
  await once(server, 'close');
  ws.dispose();
});

describe('npm run specs:update', () => {
  it('finds nothing to do when the source serves the page as vendored', async () => {
    const before = ws.snapshot();
    const result = await specsUpdate(ws);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\/docs\/page\.md: unchanged/);
    expect(result.stdout).toMatch(/\/openapi\.yml: unchanged/);
    expect(result.stdout).toMatch(/every vendored file matches its source \(3 source\(s\)\); nothing written/);
    expect(requests).toEqual(['GET /docs/page.md', 'GET /openapi.yml', 'GET /samples.yml']);
    expect(ws.snapshot()).toEqual(before);
  });

  it('re-extracts a changed page, prints the API change report and writes the page, its YAML and the date', async () => {
    const changedPage = ws.read(PAGE).replace(DISABLED, '          - both\n          - enabled\n');
    answer = { status: 200, body: changedPage };
    const generatedBefore = ws.snapshot('generated');
    const result = await specsUpdate(ws);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        'API changes (committed generated/<api>/openapi.json → new bundle):',
        'edge-impulse: 1 breaking, 1 non-breaking',
        `  breaking     [Replaced] possible values in query parameter \`includeDisabled\` (${OPERATION})`,
        '  non-breaking [Added] component `parameters.FiltersDisabledParameter-2` [a component added: a new name in the types]',
        'semver impact on the package: major',
      ].join('\n'),
    );
    expect(result.stdout).toMatch(/run "npm run generate"/);
    expect(ws.read(PAGE)).toBe(changedPage);
    expect(ws.read(YAML)).not.toContain(DISABLED);
    expect(ws.read(YAML)).toContain('          - both\n          - enabled\n    FiltersIdsParameter:');
    expect(ws.read(MANIFEST)).toMatch(
      /\nretrieved: '2030-01-02'\nnote: >-\n {2}The source URL is an unverified inference/,
    );
    // generated/ is left to `npm run generate`.
    expect(ws.snapshot('generated')).toEqual(generatedBefore);
  });

  it('re-extracts the selected operation from a changed OpenAPI document, and reports it', async () => {
    const changed = ws
      .read(JOBS_SOURCE)
      .replace(
        "        - $ref: '#/components/parameters/JobIdParameter'\n",
        "        - $ref: '#/components/parameters/JobIdParameter'\n        - name: detail\n          in: query\n          required: true\n          description: How much to say.\n          schema:\n            type: string\n",
      );
    expect(changed).not.toBe(ws.read(JOBS_SOURCE));
    document = { status: 200, body: changed };
    const result = await specsUpdate(ws);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /\/openapi\.yml: changed specs\/edge-impulse\/vendor\/get-job-status\.yaml, specs\/edge-impulse\/vendor\/get-job-status\.source\.yaml/,
    );
    expect(result.stdout).toContain(
      'edge-impulse: 1 breaking\n  breaking     [Added] required query parameter `detail` (GET /api/{projectId}/jobs/{jobId}/status)\n',
    );
    expect(ws.read(JOBS_SOURCE)).toBe(changed);
    expect(ws.read(JOBS_YAML)).toContain('        - name: detail\n          in: query\n          required: true\n');
    expect(ws.read(JOBS_MANIFEST)).toMatch(
      /\nretrieved: '2030-01-02'\nnote: >-\n {2}get-job-status\.source\.yaml is not the document/,
    );
    // The docs page did not change: neither did its files nor its manifest.
    expect(ws.read(MANIFEST)).toMatch(
      /\nretrieved: '2026-11-23'\nnote: >-\n {2}The source URL is an unverified inference/,
    );
  });

  it('with --check or --fail-on breaking reports the change and writes nothing', async () => {
    answer = { status: 200, body: ws.read(PAGE).replace(DISABLED, '          - both\n          - enabled\n') };
    const before = ws.snapshot();
    const check = await specsUpdate(ws, '--check', '--format', 'json');
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout) as { counts: { breaking: number }; sources: { changed: string[] }[] };
    expect(report.counts.breaking).toBe(1);
    expect(report.sources[0]?.changed).toEqual([YAML, PAGE]);
    expect(check.stderr).toMatch(/vendored files differ from their sources; nothing written/);
    const gate = await specsUpdate(ws, '--fail-on', 'breaking');
    expect(gate.code).toBe(1);
    expect(gate.stderr).toMatch(/1 change\(s\) of a kind --fail-on breaking refuses; nothing written/);
    expect(ws.snapshot()).toEqual(before);
  });

  it.each([
    {
      name: 'a document without the selected operation',
      serve: () => {
        document = {
          status: 200,
          body: ws.read(JOBS_SOURCE).replace('operationId: getJobStatus', 'operationId: jobStatus'),
        };
        return answer;
      },
      expected: /get-job-status\.manifest\.yaml: the source cannot be extracted\n {2}.*getJobStatus/,
    },
    {
      name: 'a page without its YAML block',
      serve: () => ({ status: 200, body: '# Clear metadata by key\n\nMoved elsewhere.\n' }),
      expected:
        /batch-clear-metadata-by-key\.manifest\.yaml: the source cannot be extracted\n {2}.*found 0 yaml blocks/,
    },
    {
      name: 'a page whose YAML does not parse',
      serve: () => ({ status: 200, body: ws.read(PAGE).replace('paths:\n', 'paths: [\n') }),
      expected: /the yaml block does not parse/,
    },
    {
      name: 'a page for another operation',
      serve: () => ({
        status: 200,
        body: ws.read(PAGE).replace('operationId: batchClearMetadataByKey', 'operationId: batchClearAll'),
      }),
      expected: /the page documents batchClearAll: expected batchClearMetadataByKey, as the manifest selects/,
    },
    {
      name: 'an HTTP error',
      serve: () => ({ status: 503, body: 'down for maintenance' }),
      expected: /\/docs\/page\.md: HTTP 503 Service Unavailable: expected 200 and the page or document/,
    },
  ])('fails on $name and writes nothing', async ({ serve, expected }) => {
    answer = serve();
    const before = ws.snapshot();
    const result = await specsUpdate(ws);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^specs:update: failed; nothing written\n/);
    expect(result.stderr).toMatch(expected);
    expect(ws.snapshot()).toEqual(before);
  });

  it('refuses a body larger than --max-size, and writes nothing', async () => {
    const before = ws.snapshot();
    const result = await specsUpdate(ws, '--max-size', '1000');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\/docs\/page\.md: the body is larger than 1000 bytes: expected a page or document of at most 1000 bytes \(--max-size\)/,
    );
    expect(ws.snapshot()).toEqual(before);
  });

  it('follows a redirect on the same host, refuses one to another host unless the manifest allows it', async () => {
    const port = (server.address() as AddressInfo).port;
    const source = /source: (\S+)/.exec(ws.read(MANIFEST))?.[1] as string;
    ws.edit(MANIFEST, `source: ${source}`, `source: http://127.0.0.1:${port}/moved`);

    redirectTo = `http://127.0.0.1:${port}/docs/page.md`;
    const same = await specsUpdate(ws, '--check');
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);

    redirectTo = `http://localhost:${port}/docs/page.md`;
    requests.length = 0;
    const before = ws.snapshot();
    const other = await specsUpdate(ws);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `/moved: redirects to another host, localhost:${port}: expected the source's host 127.0.0.1:${port}, or a host the manifest lists under redirectHosts`,
    );
    expect(requests).toEqual(['GET /moved', 'GET /openapi.yml', 'GET /samples.yml']);
    expect(ws.snapshot()).toEqual(before);

    ws.edit(MANIFEST, "retrieved: '2026-11-23'", `retrieved: '2026-11-23'\nredirectHosts:\n  - localhost:${port}`);
    const allowed = await specsUpdate(ws, '--check');
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
  });

  it('reads the manifest that specs:extract --source writes', async () => {
    const source = /source: (\S+)/.exec(ws.read(MANIFEST))?.[1] as string;
    rmSync(ws.path(MANIFEST));
    const extract = await runScript('extract-page', [
      ws.path(PAGE),
      '--root',
      ws.root,
      '--source',
      source,
      '--date',
      '2030-01-01',
    ]);
    expect(extract.code).toBe(0);
    expect(ws.read(MANIFEST)).toBe(
      [
        '# Where the vendored files batch-clear-metadata-by-key.* come from; written by the specs commands.',
        '# `npm run specs:update` fetches the source again, re-extracts the selection and rewrites them.',
        `source: ${source}`,
        'kind: docs-page',
        'selection:',
        '  operationIds:',
        '    - batchClearMetadataByKey',
        "retrieved: '2030-01-01'",
        '',
      ].join('\n'),
    );
    const result = await specsUpdate(ws);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/every vendored file matches its source/);
    expect(requests).toEqual(['GET /docs/page.md', 'GET /openapi.yml', 'GET /samples.yml']);
  });

  it('says which manifest field is wrong, before fetching anything', async () => {
    ws.edit(MANIFEST, 'kind: docs-page', 'kind: web-page');
    const result = await specsUpdate(ws);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /batch-clear-metadata-by-key\.manifest\.yaml: kind is "web-page": expected one of docs-page, openapi-document/,
    );
    expect(requests).toEqual([]);
  });
});
