/**
 * The API change report: one fixture pair per kind of change (test/fixtures/api-changes/,
 * before.json against each other file), and the report of the real `generate` command.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ApiChange, compareBundles } from '../../scripts/api-changes.js';
import { REPO, type RunResult, Workspace } from '../helpers/workspace.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'api-changes');
const fixture = (name: string): object => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as object;
const changesTo = (name: string): Promise<ApiChange[]> => compareBundles(fixture('before'), fixture(name));
/** The changes callers see: without annotation changes (descriptions, summaries, examples). */
const forCallers = (changes: ApiChange[]): Record<string, unknown>[] =>
  changes
    .filter((c) => c.type !== 'annotation')
    .map(({ type, action, operation, description }) => ({ type, action, operation, description }));

describe('classification, one fixture pair per kind of change', () => {
  it('a parameter removed is breaking', async () => {
    expect(forCallers(await changesTo('parameter-removed'))).toEqual([
      {
        type: 'breaking',
        action: 'remove',
        operation: 'GET /items/{id}',
        description: '[Removed] query parameter `fields`',
      },
    ]);
  });

  it('an enum value removed from a request field is breaking, and the values are reported', async () => {
    const changes = await changesTo('enum-value-removed');
    expect(forCallers(changes)).toEqual([
      {
        type: 'breaking',
        action: 'remove',
        operation: 'POST /items/{id}',
        description: '[Replaced] possible values of `kind` in Request Body content (application/json)',
      },
    ]);
    expect(changes[0]?.before).toBe('large');
    expect(changes[0]?.pointer).toBe(
      '/paths/~1items~1{id}/post/requestBody/content/application~1json/schema/properties/kind/enum/1',
    );
  });

  it('an enum value removed from a response field is not breaking (callers receive fewer values)', async () => {
    expect(forCallers(await changesTo('response-enum-value-removed')).map((c) => [c.type, c.operation])).toEqual([
      ['non-breaking', 'GET /items/{id}'],
      ['non-breaking', 'POST /items/{id}'],
    ]);
  });

  it('a request field made required is breaking', async () => {
    expect(forCallers(await changesTo('field-made-required'))).toEqual([
      {
        type: 'breaking',
        action: 'add',
        operation: 'POST /items/{id}',
        description: '[Added] required status to `name` in Request Body content (application/json)',
      },
    ]);
  });

  it('a request field whose type changed is breaking', async () => {
    const changes = await changesTo('type-changed');
    expect(forCallers(changes)).toEqual([
      {
        type: 'breaking',
        action: 'replace',
        operation: 'POST /items/{id}',
        description: '[Replaced] type definition of `size` in Request Body content (application/json)',
      },
    ]);
    expect([changes[0]?.before, changes[0]?.after]).toEqual(['integer', 'string']);
  });

  it('a response field whose type changed is breaking too, in every operation that returns it', async () => {
    expect(forCallers(await changesTo('response-type-changed')).map((c) => [c.type, c.operation])).toEqual([
      ['breaking', 'GET /items/{id}'],
      ['breaking', 'POST /items/{id}'],
    ]);
  });

  it('an operation added is not breaking', async () => {
    expect(forCallers(await changesTo('operation-added'))).toEqual([
      { type: 'non-breaking', action: 'add', operation: 'GET /items', description: '[Added] operation GET /items' },
    ]);
  });

  it('lists breaking changes first', async () => {
    const after = fixture('operation-added') as { paths: Record<string, { get: { parameters: unknown[] } }> };
    after.paths['/items/{id}']?.get.parameters.splice(1, 1);
    const types = (await compareBundles(fixture('before'), after)).map((c) => c.type);
    expect(types).toEqual(['breaking', 'non-breaking']);
  });

  it('finds nothing between a document and itself', async () => {
    expect(await changesTo('before')).toEqual([]);
  });
});

describe('security schemes and requirements (the components callers authenticate with)', () => {
  interface Secured {
    components: { securitySchemes: Record<string, Record<string, string>> };
    security: Record<string, string[]>[];
  }
  /** before.json with an API key in a header, required by every operation. */
  const secured = (change?: (doc: Secured) => void): object => {
    const doc = structuredClone(fixture('before')) as Secured;
    doc.components.securitySchemes = { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } };
    doc.security = [{ apiKey: [] }];
    change?.(doc);
    return doc;
  };
  const securityChanges = async (change: (doc: Secured) => void) =>
    (await compareBundles(secured(), secured(change))).map(({ type, action, pointer, description }) => ({
      type,
      action,
      pointer,
      description,
    }));

  it('a scheme removed is breaking', async () => {
    const changes = await securityChanges((doc) => {
      delete doc.components.securitySchemes.apiKey;
      doc.security = [];
    });
    expect(changes).toEqual([
      {
        type: 'breaking',
        action: 'remove',
        pointer: '/components/securitySchemes/apiKey',
        description: '[Removed] security scheme `apiKey`',
      },
      { type: 'breaking', action: 'remove', pointer: '/security/0', description: '[Removed] security requirement' },
    ]);
  });

  it('a scheme renamed is breaking', async () => {
    const changes = await securityChanges((doc) => {
      doc.components.securitySchemes = { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } };
      doc.security = [{ key: [] }];
    });
    expect(changes.filter((c) => c.type === 'breaking').map((c) => c.pointer)).toEqual(
      expect.arrayContaining(['/components/securitySchemes/apiKey', '/security/0/key']),
    );
  });

  it.each([
    ['name', 'x-key'],
    ['in', 'query'],
  ])('a header scheme whose `%s` changed is breaking', async (key, value) => {
    const changes = await securityChanges((doc) => {
      (doc.components.securitySchemes.apiKey as Record<string, string>)[key] = value;
    });
    expect(changes).toEqual([
      {
        type: 'breaking',
        action: 'replace',
        pointer: `/components/securitySchemes/apiKey/${key}`,
        description: `[Replaced] \`${key}\` of security scheme \`apiKey\``,
      },
    ]);
  });

  it('an alternative scheme added is not breaking', async () => {
    const changes = await securityChanges((doc) => {
      doc.components.securitySchemes.bearer = { type: 'http', scheme: 'bearer' };
      doc.security.push({ bearer: [] });
    });
    expect(changes).toEqual([
      {
        type: 'non-breaking',
        action: 'add',
        pointer: '/components/securitySchemes/bearer',
        description: '[Added] security scheme `bearer`',
      },
      { type: 'non-breaking', action: 'add', pointer: '/security/1', description: '[Added] security requirement' },
    ]);
  });

  it('other component changes stay out of the report (callers meet them in paths)', async () => {
    const changes = await compareBundles(fixture('before'), fixture('type-changed'));
    expect(changes.every((c) => !c.pointer.startsWith('/components/'))).toBe(true);
  });
});

const run = promisify(execFile);

/** `npm run generate -- <args>` as npm runs it: node scripts/launch.mjs generate. */
async function generate(ws: Workspace, ...args: string[]): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(REPO, 'scripts', 'launch.mjs'), 'generate', '--root', ws.root, ...args],
      { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 2 ** 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const VENDORED = 'specs/edge-impulse/vendor/batch-clear-metadata-by-key.yaml';
const OPERATION = 'POST /api/{projectId}/raw-data/batch/clear-metadata-by-key';

describe('the report of the real generate command', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
    // A vendor update that drops an enum value of a query parameter (breaking) and rewords a
    // summary (an annotation).
    ws.edit(
      VENDORED,
      '          - both\n          - enabled\n          - disabled\n',
      '          - both\n          - enabled\n',
    );
    ws.edit(
      'specs/oracle-documents/openapi.yaml',
      'summary: Delete Values in File Metadata Collection',
      'summary: Delete values',
    );
  });
  afterEach(() => ws.dispose());

  it('says what changed for callers, per API, in words; --check fails and writes nothing', async () => {
    const before = ws.snapshot('generated');
    const result = await generate(ws, '--check');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'API changes (committed generated/<api>/openapi.json → new bundle):',
        'edge-impulse: 1 breaking, 1 non-breaking',
        `  breaking     [Replaced] possible values in query parameter \`includeDisabled\` (${OPERATION})`,
        // The bundle now holds two versions of the parameter: the types gain a name.
        '  non-breaking [Added] component `parameters.FiltersDisabledParameter-2` [a component added: a new name in the types]',
        'oracle-documents: 1 annotation',
        'semver impact on the package: major',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toMatch(/generated\/ is out of date/);
    expect(ws.snapshot('generated')).toEqual(before);
  });

  it('gives the same report as JSON, and as GitHub Actions annotations', async () => {
    const json = await generate(ws, '--check', '--format', 'json');
    const report = JSON.parse(json.stdout) as { apis: { api: string; changes: ApiChange[] }[]; counts: object };
    expect(report.counts).toMatchObject({ breaking: 1, 'non-breaking': 1, annotation: 1 });
    expect(report).toMatchObject({ impact: 'major' });
    expect(report.apis.map((a) => a.api)).toEqual(['edge-impulse', 'oracle-documents']);
    expect(report.apis[0]?.changes).toEqual([
      expect.objectContaining({ type: 'breaking', impact: 'major', operation: OPERATION, before: 'disabled' }),
      expect.objectContaining({
        type: 'non-breaking',
        impact: 'minor',
        pointer: '/components/parameters/FiltersDisabledParameter-2',
      }),
    ]);
    expect(json.stderr).toMatch(/out of date/);

    const actions = await generate(ws, '--check', '--format', 'github-actions');
    expect(actions.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^::error file=generated\/edge-impulse\/openapi\.json,title=breaking API change \(edge-impulse%2C major\)::\[Replaced\] possible values in query parameter `includeDisabled` \(POST .*\) at \/paths\/.*\/enum\/2$/,
      ),
      expect.stringMatching(
        /^::notice file=generated\/edge-impulse\/openapi\.json,title=non-breaking API change .*FiltersDisabledParameter-2/,
      ),
      // generated/ is stale: --check fails, and says so where the pull request shows it.
      expect.stringMatching(
        /^::error file=generated\/edge-impulse\/openapi\.json,title=generate --check failed::generated\/ is out of date/,
      ),
    ]);
  });

  it('--fail-on breaking refuses to write; without it the files are written and the report printed', async () => {
    const before = ws.snapshot('generated');
    const refused = await generate(ws, '--fail-on', 'breaking');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /1 change\(s\) of a kind --fail-on breaking refuses, not acknowledged by the package's version: to accept them, run again without --fail-on breaking; to refuse them, undo the spec change\ngenerate: generated\/ was left as it was/,
    );
    expect(ws.snapshot('generated')).toEqual(before);

    const written = await generate(ws);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/edge-impulse: 1 breaking, 1 non-breaking\n/);
    expect(written.stdout).toMatch(/wrote generated\//);
    expect(ws.snapshot('generated')).not.toEqual(before);

    // Now the committed files are the new ones: nothing left to report.
    const again = await generate(ws, '--force', '--fail-on', 'breaking');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/API changes/);
  });

  it('rejects an unknown --format or --fail-on before doing anything', async () => {
    const format = await generate(ws, '--format', 'xml');
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(
      /--format "xml" is not a known format: expected one of text, json, github-actions, markdown/,
    );
    const failOn = await generate(ws, '--fail-on', 'minor');
    expect(failOn.code).toBe(1);
    expect(failOn.stderr).toMatch(/--fail-on "minor" is not a known level: expected one of none, breaking, any/);
  });
});

describe('--base <git-ref>: the CI gate for a pull request that commits regenerated files', () => {
  let ws: Workspace;
  const git = (...args: string[]): Promise<unknown> =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: ws.root,
    });
  beforeEach(async () => {
    ws = new Workspace();
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    // The pull request: a breaking vendor update, regenerated and committed.
    ws.edit(
      VENDORED,
      '          - both\n          - enabled\n          - disabled\n',
      '          - both\n          - enabled\n',
    );
    expect((await generate(ws)).code).toBe(0);
    await git('commit', '-q', '-a', '-m', 'update');
  });
  afterEach(() => ws.dispose());

  it('reports against the base even though generated/ is up to date, and --fail-on breaking fails', async () => {
    // Without --base, --check compares with the committed generated/, already updated: the
    // flag could never fire, so it is refused.
    const plain = await generate(ws, '--check', '--fail-on', 'breaking');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/--fail-on breaking cannot fail with --check alone: .*add --base <git-ref>/);
    expect(plain.stdout).toBe('');

    const gated = await generate(ws, '--check', '--base', 'main~1', '--fail-on', 'breaking');
    expect(gated.stdout.split('\n')[0]).toBe('API changes (generated/<api>/openapi.json at main~1 → new bundle):');
    expect(gated.stdout).toContain('edge-impulse: 1 breaking');
    expect(gated.stdout).toContain(`possible values in query parameter \`includeDisabled\` (${OPERATION})`);
    expect(gated.stderr).toMatch(/1 change\(s\) of a kind --fail-on breaking refuses/);
    expect(gated.code).toBe(1);

    const reported = await generate(ws, '--check', '--base', 'main~1');
    expect(reported.code).toBe(0);
    expect(reported.stdout).toContain('edge-impulse: 1 breaking');

    const json = JSON.parse((await generate(ws, '--check', '--base', 'main~1', '--format', 'json')).stdout);
    expect(json).toMatchObject({ base: 'main~1', apis: [{ api: 'edge-impulse', status: 'changed' }] });
  });

  it('treats an API absent at the base as added, and names a missing ref', async () => {
    await git('rm', '-q', '-r', 'generated/oracle-documents');
    await git('commit', '-q', '-m', 'drop');
    await git('checkout', '-q', '--', '.');
    await run('git', ['checkout', '-q', 'HEAD~1', '--', 'generated'], { cwd: ws.root });
    const added = await generate(ws, '--check', '--base', 'HEAD', '--fail-on', 'breaking');
    expect(added.stdout).toContain('oracle-documents: new API (no bundle at HEAD to compare with)');
    const annotated = await generate(ws, '--check', '--base', 'HEAD', '--format', 'github-actions');
    expect(annotated.stdout).toContain(
      '::notice file=generated/oracle-documents/openapi.json,title=API oracle-documents::new API (no bundle at HEAD to compare with)',
    );
    expect(added.code).toBe(0);

    const missing = await generate(ws, '--check', '--base', 'no-such-branch');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--base "no-such-branch" is not a commit in the repository at /);
  });
});

describe('the gate refuses what a caller would lose, and a base it cannot read', () => {
  let ws: Workspace;
  const git = (...args: string[]): Promise<{ stdout: string }> =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: ws.root,
    });
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('an API removed from redocly.yaml is breaking: --fail-on breaking refuses and writes nothing', async () => {
    ws.edit('redocly.yaml', '  oracle-documents:\n    root: specs/oracle-documents/openapi.yaml\n', '');
    const before = ws.snapshot('generated');
    const result = await generate(ws, '--fail-on', 'breaking');
    expect(result.stdout).toContain('oracle-documents: API removed');
    expect(result.stdout).toMatch(/ {2}breaking {5}\[Removed\] operation DELETE \/files\/\{fileId\}\/metadata/);
    expect(result.stderr).toMatch(/change\(s\) of a kind --fail-on breaking refuses, not acknowledged/);
    expect(result.stderr).toMatch(/generated\/ was left as it was/);
    expect(result.code).toBe(1);
    expect(ws.snapshot('generated')).toEqual(before);

    const json = JSON.parse((await generate(ws, '--check', '--format', 'json')).stdout);
    expect(json.apis).toEqual([
      expect.objectContaining({
        api: 'oracle-documents',
        status: 'removed',
        changes: expect.arrayContaining([expect.objectContaining({ type: 'breaking', action: 'remove' })]),
      }),
    ]);
  });

  it('an operation removed from an API is breaking', async () => {
    ws.edit(
      'specs/edge-impulse/openapi.yaml',
      "  /api/{projectId}/raw-data/batch/clear-metadata-by-key:\n    $ref: './vendor/batch-clear-metadata-by-key.yaml#/paths/~1api~1{projectId}~1raw-data~1batch~1clear-metadata-by-key'\n",
      '',
    );
    const result = await generate(ws, '--fail-on', 'breaking');
    expect(result.stdout).toMatch(new RegExp(` {2}breaking .*\\(${OPERATION.replace(/[{}/]/g, '\\$&')}\\)`));
    expect(result.code).toBe(1);
  });

  it('an API removed since the base fails the CI gate', async () => {
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    ws.edit('redocly.yaml', '  oracle-documents:\n    root: specs/oracle-documents/openapi.yaml\n', '');
    expect((await generate(ws)).code).toBe(0);
    await git('commit', '-q', '-a', '-m', 'drop oracle-documents');
    const gated = await generate(ws, '--check', '--base', 'main~1', '--fail-on', 'breaking');
    expect(gated.stdout).toContain('oracle-documents: API removed');
    expect(gated.code).toBe(1);
  });

  it('a base bundle git cannot read is an error naming the ref and the path (exit 2), never "added"', async () => {
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    // A clone that lacks the object (as a partial clone without its promisor remote would):
    // the tree names the file, its content cannot be read.
    const blob = (await git('rev-parse', 'main:generated/oracle-documents/openapi.json')).stdout.trim();
    rmSync(ws.path(`.git/objects/${blob.slice(0, 2)}/${blob.slice(2)}`));
    const gated = await generate(ws, '--check', '--base', 'main', '--fail-on', 'breaking');
    expect(gated.stdout).not.toMatch(/new API/);
    expect(gated.stderr).toMatch(/--base "main": cannot read generated\/oracle-documents\/openapi\.json/);
    expect(gated.code).toBe(2);
  });

  it('a base bundle that is not JSON is an error too', async () => {
    await git('init', '-q', '-b', 'main');
    const committed = ws.read('generated/oracle-documents/openapi.json');
    ws.write('generated/oracle-documents/openapi.json', '{ not json');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    ws.write('generated/oracle-documents/openapi.json', committed);
    const gated = await generate(ws, '--check', '--base', 'main', '--fail-on', 'breaking');
    expect(gated.stderr).toMatch(/--base "main": generated\/oracle-documents\/openapi\.json is not JSON/);
    expect(gated.code).toBe(2);
  });
});
