/**
 * The CI gate of a pull request that commits its regenerated files, end to end through
 * `npm run generate`: the version bump that acknowledges a breaking change, --check-version,
 * the release notes in Markdown, flags refused where they cannot fire, and an `::error` line
 * for every failure with --format github-actions.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO, type RunResult, Workspace } from '../helpers/workspace.js';

const run = promisify(execFile);
const VENDORED = 'specs/edge-impulse/vendor/batch-clear-metadata-by-key.yaml';
const OPERATION = 'POST /api/{projectId}/raw-data/batch/clear-metadata-by-key';

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

const manifest = (version: string): string => `${JSON.stringify({ name: 'metaclear', version }, null, 2)}\n`;

describe('a breaking change since the base, regenerated and committed', () => {
  let ws: Workspace;
  const git = (...args: string[]): Promise<unknown> =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: ws.root,
    });
  const setVersion = async (version: string): Promise<void> => {
    ws.write('package.json', manifest(version));
    await git('commit', '-q', '-a', '-m', `version ${version}`);
  };
  const gate = (...extra: string[]): Promise<RunResult> =>
    generate(ws, '--check', '--base', 'base', '--fail-on', 'breaking', ...extra);

  beforeEach(async () => {
    ws = new Workspace();
    ws.write('package.json', manifest('0.1.0'));
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    await git('branch', 'base');
    ws.edit(
      VENDORED,
      '          - both\n          - enabled\n          - disabled\n',
      '          - both\n          - enabled\n',
    );
    expect((await generate(ws)).code).toBe(0);
    await git('commit', '-q', '-a', '-m', 'a value of includeDisabled dropped');
  });
  afterEach(() => ws.dispose());

  it('fails, and says what clears it: the version bump the change needs; a bump that falls short still fails', async () => {
    const refused = await gate();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `generate --check: 1 change(s) of a kind --fail-on breaking refuses since base, not acknowledged by the package's version: to release them, set package.json's "version" to 0.2.0 or higher (a breaking change needs a minor bump, as npm reads ^0.1.0) and commit it; to refuse them, undo the spec change`,
    );
    expect(refused.stderr).not.toMatch(/run "npm run generate"/);

    await setVersion('0.1.1');
    expect((await gate()).code).toBe(1);

    await setVersion('0.2.0');
    const accepted = await gate();
    expect(accepted.stderr).toMatch(
      /1 change\(s\) that --fail-on breaking refuses, acknowledged by package\.json's version \(0\.1\.0 at base → 0\.2\.0\)/,
    );
    expect(accepted.stdout).toContain(
      `  breaking     [Replaced] possible values in query parameter \`includeDisabled\``,
    );
    expect(accepted.code).toBe(0);

    const annotated = await gate('--format', 'github-actions');
    expect(annotated.stdout).toMatch(
      /^::warning file=generated\/edge-impulse\/openapi\.json,title=breaking API change \(edge-impulse%2C major%2C acknowledged by the version\)::/m,
    );
    expect(annotated.stdout).not.toMatch(/^::error/m);
    expect(annotated.code).toBe(0);
  });

  it('--check-version fails until package.json is bumped as far as the changes need', async () => {
    const behind = await generate(ws, '--check', '--base', 'base', '--check-version');
    expect(behind.code).toBe(1);
    expect(behind.stderr).toContain(
      `generate --check: package.json's version is still 0.1.0 since base, but the API changes need 0.2.0 or higher (a breaking change needs a minor bump, as npm reads ^0.1.0): set "version" to it and commit it`,
    );
    const annotated = await generate(ws, '--check', '--base', 'base', '--check-version', '--format', 'github-actions');
    expect(annotated.stdout).toMatch(
      /^::error file=package\.json,title=generate --check failed::package\.json's version is still 0\.1\.0/m,
    );

    await setVersion('0.2.0');
    const json = await generate(ws, '--check', '--base', 'base', '--check-version', '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      impact: 'major',
      version: { base: '0.1.0', current: '0.2.0', needed: '0.2.0' },
    });
    expect(json.code).toBe(0);
  });

  it('--format markdown gives the release notes section', async () => {
    const notes = await generate(ws, '--check', '--base', 'base', '--format', 'markdown');
    expect(notes.code).toBe(0);
    expect(notes.stdout).toBe(
      [
        '## API changes',
        '',
        'Semver impact on the package since `base`: **major**. A breaking change needs a minor bump, as npm reads ^0.1.0: 0.1.0 → 0.2.0 or higher.',
        '',
        '### edge-impulse',
        '',
        '| Impact | Change | Operation |',
        '| --- | --- | --- |',
        `| major (breaking) | [Replaced] possible values in query parameter \`includeDisabled\` | ${OPERATION} |`,
        '| minor (non-breaking) | [Added] component `parameters.FiltersDisabledParameter-2` (a component added: a new name in the types) |  |',
        '',
      ].join('\n'),
    );
  });
});

describe("the issue's first case: a response property removed", () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('metadata removed from FileGetCollectionResponse (what readOwnValues reads) is breaking: the gate refuses it', async () => {
    const git = (...args: string[]): Promise<unknown> =>
      run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
        cwd: ws.root,
      });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    ws.edit(
      'specs/oracle-documents/openapi.yaml',
      `        metadata:
          type: object
          description: >-
            The collections, by name (a personal collection's name starts with "Personal."),
            each an object of field name to value.
          additionalProperties:
            type: object
            description: One collection's fields, by name, and their values.
            additionalProperties: true
    FileAssignValuesBody:`,
      '    FileAssignValuesBody:',
    );
    // And from the example answer, which the lint checks against the schema.
    ws.edit(
      'specs/oracle-documents/openapi.yaml',
      `        errorCode: '0'
        metadata:
          CollectionA:
            FieldA1: Value1
            FieldA2: Value2
          CollectionB:
            FieldB1: Value1
            FieldB2: Value2
    AssignValuesRequest:`,
      `        errorCode: '0'
    AssignValuesRequest:`,
    );
    const gated = await generate(ws, '--base', 'HEAD', '--fail-on', 'breaking');
    expect(gated.stdout).toMatch(
      /^ {2}breaking {5}\[Removed\] property `metadata` in Response 200 content \(application\/json\) \(GET \/files\/\{fileId\}\/metadata\) \[a property callers read is gone from the response and its type\]$/m,
    );
    expect(gated.stderr).toMatch(/change\(s\) of a kind --fail-on breaking refuses since HEAD/);
    expect(gated.code).toBe(1);
  });
});

describe('flags that cannot fire are refused (exit 2), before any work', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('--check --fail-on without --base, and --check-version without --base', async () => {
    const failOn = await generate(ws, '--check', '--fail-on', 'any', '--format', 'github-actions');
    expect(failOn.code).toBe(2);
    expect(failOn.stderr).toMatch(
      /--fail-on any cannot fail with --check alone: .*add --base <git-ref> \(e\.g\. '--base origin\/main'\)/,
    );
    expect(failOn.stdout).toMatch(
      /^::error title=generate --check failed::--fail-on any cannot fail with --check alone/,
    );

    const typo = await generate(ws, '--check', '--format', 'github-actions', '--fail-onn', 'breaking');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe("::error title=generate usage::unknown option '--fail-onn'\n");

    const version = await generate(ws, '--check-version');
    expect(version.code).toBe(2);
    expect(version.stderr).toMatch(/--check-version needs --base <git-ref>/);
  });
});

describe('every failure of generate is annotated with --format github-actions', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.dispose());

  it('an overlay that no longer applies', async () => {
    ws.edit(
      'specs/edge-impulse/project-additions.overlay.yaml',
      "target: $.paths['/api/{projectId}/jobs/{jobId}/status']",
      "target: $.paths['/api/{projectId}/jobs/{jobId}/state']",
    );
    const result = await generate(ws, '--check', '--format', 'github-actions');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/edge-impulse: overlay not applied/);
    expect(result.stdout).toMatch(/^::error title=generate --check failed::edge-impulse: overlay not applied/m);
  });

  it('a lint finding, on its file and line', async () => {
    ws.edit(
      'specs/oracle-documents/openapi.yaml',
      'url: https://{host}/documents/api/1.1',
      'url: http://{host}/documents/api/1.1',
    );
    const result = await generate(ws, '--format', 'github-actions');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error file=specs\/oracle-documents\/openapi\.yaml,line=\d+,col=\d+,title=generate failed::rule\/servers-https: Server URLs must use https/m,
    );
  });
});
