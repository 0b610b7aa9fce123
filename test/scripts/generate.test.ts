import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { REPO, runScript, Workspace } from '../helpers/workspace.js';

const ORACLE = 'specs/oracle-documents/openapi.yaml';
const JOBS = 'specs/edge-impulse/vendor/get-job-status.yaml';
const ADDITIONS = 'specs/edge-impulse/project-additions.overlay.yaml';
const EI_ENTRY = 'specs/edge-impulse/openapi.yaml';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.dispose());

/** Folders the pipeline may leave beside generated/ if it were not atomic. */
const leftovers = (): string[] => readdirSync(ws.root).filter((name) => name.startsWith('.generated-'));

describe('npm run generate on the committed tree', () => {
  it('finds generated/ up to date (--check)', async () => {
    const result = await runScript('generate', ['--check']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/generated\/ is up to date \(4 files/);
    expect(result.code).toBe(0);
  });

  it('changes nothing on a clean checkout, and the second run is a no-op that says so', async () => {
    const before = ws.snapshot('generated');
    const first = await ws.generate();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/already matches the specs; nothing written/);
    expect(ws.snapshot('generated')).toEqual(before);

    const second = await ws.generate();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing changed since the last run; nothing written/);
    expect(ws.snapshot('generated')).toEqual(before);
  });
});

describe('determinism', () => {
  it('gives byte-identical outputs from the same inputs, equal to the committed ones', async () => {
    const committed = ws.snapshot('generated');
    ws.edit(ORACLE, 'summary: Delete Values in File Metadata Collection', 'summary: Delete values');
    expect((await ws.generate()).code).toBe(0);
    const first = ws.snapshot('generated');
    expect(first).not.toEqual(committed);
    expect((await ws.generate('--force')).code).toBe(0);
    expect(ws.snapshot('generated')).toEqual(first);

    ws.edit(ORACLE, 'summary: Delete values', 'summary: Delete Values in File Metadata Collection');
    const back = await ws.generate();
    expect(back.stdout).toMatch(/wrote generated\//);
    expect(ws.snapshot('generated')).toEqual(committed);
  });
});

describe('a broken spec fails loudly and writes nothing', () => {
  it.each([
    {
      name: 'a $ref to nothing',
      file: ORACLE,
      find: "'#/components/examples/DeleteFieldValuesRequest'",
      replace: "'#/components/examples/NoSuchExample'",
      expected: /specs\/oracle-documents\/openapi\.yaml:\d+:\d+ error no-unresolved-refs: Can't resolve \$ref/,
    },
    {
      name: 'a path-item $ref to a missing file',
      file: EI_ENTRY,
      find: "$ref: './vendor/get-job-status.yaml#",
      replace: "$ref: './no-such-file.yaml#",
      expected: /specs\/edge-impulse\/openapi\.yaml:\d+:\d+ error no-unresolved-refs: .*no-such-file\.yaml/,
    },
    {
      name: 'a value of the wrong type',
      file: JOBS,
      find: '      required: true\n      description: Job ID',
      replace: '      required: sure\n      description: Job ID',
      expected:
        /specs\/edge-impulse\/vendor\/get-job-status\.yaml:\d+:\d+ error struct: Expected type `boolean` but got `string`/,
    },
    {
      name: 'a missing required field',
      file: ORACLE,
      find: "              $ref: '#/components/schemas/FileDeleteValuesBody'\n      responses:\n        '200':\n          description: The request was fulfilled.\n",
      replace: "              $ref: '#/components/schemas/FileDeleteValuesBody'\n      responses:\n        '200':\n",
      expected:
        /specs\/oracle-documents\/openapi\.yaml:\d+:\d+ error struct: The field `description` must be present on this level\. at #\/paths\/~1files~1\{fileId\}~1metadata\/delete\/responses\/200/,
    },
    {
      name: 'a duplicate operationId',
      file: JOBS,
      find: 'operationId: getJobStatus',
      replace: 'operationId: batchClearMetadataByKey',
      expected:
        /specs\/edge-impulse\/vendor\/get-job-status\.yaml:\d+:\d+ error operation-operationId-unique: Every operation must have a unique `operationId`/,
    },
    {
      name: 'a YAML syntax error',
      file: ORACLE,
      find: 'summary: Delete Values in File Metadata Collection',
      replace: 'summary: [Delete Values',
      expected: /specs\/oracle-documents\/openapi\.yaml:161:7 YAML syntax error: deficient indentation/,
    },
    {
      name: 'a plain-http server',
      file: ORACLE,
      find: 'url: https://{host}/documents/api/1.1',
      replace: 'url: http://{host}/documents/api/1.1',
      expected:
        /specs\/oracle-documents\/openapi\.yaml:\d+:\d+ error rule\/servers-https: Server URLs must use https:\/\//,
    },
    {
      name: 'an overlay addition whose target no longer matches the vendor text',
      file: ADDITIONS,
      find: "target: $.paths['/api/{projectId}/jobs/{jobId}/status']",
      replace: "target: $.paths['/api/{projectId}/jobs/{jobId}/state']",
      expected: /edge-impulse: overlay not applied\n {2}project-additions\.overlay\.yaml action 1 .*selected nothing/,
    },
  ])('$name', async ({ file, find, replace, expected }) => {
    // Make generated/ stale first, so a partial write would be visible.
    ws.edit(ORACLE, 'description: Files and the metadata collections assigned to them.', 'description: Files.');
    ws.edit(file, find, replace);
    const before = ws.snapshot('generated');

    const result = await ws.generate();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^generate: failed; generated\/ was left as it was/);
    expect(result.stderr).toMatch(expected);
    expect(ws.snapshot('generated')).toEqual(before);
    expect(leftovers()).toEqual([]);

    const check = await ws.generate('--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(expected);
  });

  it('reports the failures of every API in one run', async () => {
    ws.edit(JOBS, 'operationId: getJobStatus', 'operationId: batchClearMetadataByKey');
    ws.edit(ORACLE, "'#/components/examples/DeleteFieldValuesRequest'", "'#/components/examples/Nope'");
    const result = await ws.generate();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/edge-impulse: lint found \d+ problems?/);
    expect(result.stderr).toMatch(/oracle-documents: lint found \d+ problems?/);
  });

  it('fails when an entry file is missing, naming it', async () => {
    ws.edit('redocly.yaml', 'root: specs/oracle-documents/openapi.yaml', 'root: specs/oracle-documents/missing.yaml');
    const before = ws.snapshot('generated');
    const result = await ws.generate();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/oracle-documents: specs\/oracle-documents\/missing\.yaml: ENOENT/);
    expect(ws.snapshot('generated')).toEqual(before);
  });
});

describe('npm run generate -- --check', () => {
  it('lists the stale files when a spec changed, and writes nothing', async () => {
    ws.edit(ORACLE, 'summary: Delete Values in File Metadata Collection', 'summary: Delete values');
    const before = ws.snapshot();
    const result = await ws.generate('--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('changed: generated/oracle-documents/openapi.json');
    expect(result.stderr).toContain('changed: generated/oracle-documents/schema.d.ts');
    expect(result.stderr).not.toContain('edge-impulse');
    expect(ws.snapshot()).toEqual(before);
  });

  it('catches a hand edit, a deleted file and a stray file in generated/', async () => {
    ws.edit('generated/edge-impulse/schema.d.ts', 'export interface paths {', 'export interface paths { x: 1;');
    ws.write('generated/stray.txt', 'x');
    rmSync(ws.path('generated/oracle-documents/openapi.json'));
    const result = await ws.generate('--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('changed: generated/edge-impulse/schema.d.ts');
    expect(result.stderr).toContain('not generated: generated/stray.txt');
    expect(result.stderr).toContain('missing: generated/oracle-documents/openapi.json');

    // A plain run repairs it, even though no input changed since the cache was written.
    expect((await ws.generate()).code).toBe(0);
    expect((await ws.generate('--check')).code).toBe(0);
  });

  it('notices a change of the lint configuration', async () => {
    ws.edit(
      '.redocly.lint-ignore.yaml',
      "  spec-ref-siblings:\n    - '#/components/schemas/Job/",
      "  operation-2xx-response:\n    - '#/components/schemas/Job/",
    );
    const result = await ws.generate('--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/vendor\/get-job-status\.yaml:\d+:\d+ error spec-ref-siblings/);
  });
});

describe('the lint split between two threads (METACLEAR_PIPELINE_THREADS=2)', () => {
  const twoThreads = (...args: string[]) =>
    runScript('generate', ['--root', ws.root, ...args], undefined, { METACLEAR_PIPELINE_THREADS: '2' });

  it('refuses another thread count, naming what it expected', async () => {
    const result = await runScript('generate', ['--root', ws.root], undefined, { METACLEAR_PIPELINE_THREADS: '4' });
    expect(result.stderr).toMatch(/METACLEAR_PIPELINE_THREADS=4 is not a thread count: expected 1 .* or 2/);
    expect(result.code).toBe(1);
  });

  it('gives the committed files', async () => {
    const result = await twoThreads('--check');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/generated\/ is up to date \(4 files/);
    expect(result.code).toBe(0);
  });

  it('reports the findings of both halves, in one list per API, and writes nothing', async () => {
    // An example that does not match its schema (the worker's rules) and an operationId that is
    // not URL-safe (this thread's).
    ws.edit(
      ORACLE,
      '        collection: CollectionA\n        fields: A1,A2\n',
      '        collection: 7\n        fields: A1,A2\n',
    );
    ws.edit(ORACLE, 'operationId: deleteFileMetadataValues', 'operationId: delete file');
    const before = ws.snapshot('generated');
    const result = await twoThreads();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/oracle-documents: lint found 2 problems\n/);
    expect(result.stderr).toMatch(/error no-invalid-media-type-examples: Example value must conform to the schema/);
    expect(result.stderr).toMatch(/error operation-operationId-url-safe/);
    expect(ws.snapshot('generated')).toEqual(before);
    const oneThread = await runScript('generate', ['--root', ws.root], undefined, { METACLEAR_PIPELINE_THREADS: '1' });
    expect(oneThread.stderr).toBe(result.stderr);
  });
});

describe('the input fingerprint', () => {
  it('covers a file outside the entry folder that a $ref reads', async () => {
    ws.edit(
      ORACLE,
      `        - fields
      properties:
        collection:
          type: string
          description: >-
            The collection name, for example CollectionA; a user's personal collection starts
            with "Personal.", for example Personal.MyCollection.
          example: CollectionA
`,
      "        - fields\n      properties:\n        collection:\n          $ref: '../shared/collection.yaml'\n",
    );
    mkdirSync(ws.path('specs/shared'));
    ws.write('specs/shared/collection.yaml', 'type: string\ndescription: The collection name.\nexample: CollectionA\n');
    expect((await ws.generate()).stdout).toMatch(/wrote generated\//);
    expect((await ws.generate()).stdout).toMatch(/nothing changed since the last run/);

    ws.write(
      'specs/shared/collection.yaml',
      'type: string\ndescription: The name of a collection.\nexample: CollectionA\n',
    );
    const after = await ws.generate();
    expect(after.stdout).toMatch(/wrote generated\//);
    expect(ws.read('generated/oracle-documents/openapi.json')).toContain('"description": "The name of a collection."');
  });
});

describe('the entries refuse what they do not know', () => {
  it('generate: an unknown flag is a usage error (exit 2), before any work', async () => {
    const before = ws.snapshot('generated');
    const result = await ws.generate('--chek');
    expect(result.stderr).toMatch(/^generate: unknown option '--chek'\nusage: npm run generate /);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(2);
    expect(ws.snapshot('generated')).toEqual(before);
  });
});

describe('npm run lint:specs', () => {
  it('passes on the committed specs and prints JSON for CI', async () => {
    const result = await runScript('lint-specs', ['--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number; ignored: number } };
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 8 });
  });

  it('prints GitHub annotations for a new finding and exits 1', async () => {
    ws.edit(ORACLE, 'operationId: deleteFileMetadataValues', 'operationId: delete file');
    const result = await runScript('lint-specs', ['--format', 'github-actions', '--root', ws.root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=operation-operationId-url-safe,file=specs\/oracle-documents\/openapi\.yaml,line=\d+/m,
    );
  });

  it('lints with the overlays applied, as generate does: a finding in an addition fails', async () => {
    ws.write(
      ADDITIONS,
      `${ws.read(ADDITIONS)}  - target: $.paths['/api/{projectId}/jobs/{jobId}/status'].get.responses
    update:
      '5XX':
        x-metaclear-addition: A server error answer.
        content:
          application/json:
            schema:
              type: object
`,
    );
    const result = await runScript('lint-specs', ['--format', 'stylish', '--root', ws.root]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/The field `description` must be present on this level/);
    expect(`${result.stdout}${result.stderr}`).toMatch(/5XX/);
    expect(result.code).toBe(1);
  });

  it('refuses an unknown format', async () => {
    const result = await runScript('lint-specs', ['--format', 'yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--format "yaml" is not a known format: expected one of codeframe, stylish, json/);
  });

  it('--generate-ignore-file refuses to hide a finding in a hand-authored file', async () => {
    ws.edit(ORACLE, 'operationId: deleteFileMetadataValues', 'operationId: delete file');
    const before = ws.read('.redocly.lint-ignore.yaml');
    const result = await runScript('lint-specs', ['--generate-ignore-file', '--root', ws.root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /findings in hand-authored files cannot be ignored; fix them\n.*oracle-documents\/openapi\.yaml:\d+:\d+ error operation-operationId-url-safe/,
    );
    expect(ws.read('.redocly.lint-ignore.yaml')).toBe(before);
  });

  it('--generate-ignore-file records the findings of vendored files', async () => {
    ws.write('.redocly.lint-ignore.yaml', '');
    expect((await runScript('lint-specs', ['--root', ws.root])).code).toBe(1);
    const result = await runScript('lint-specs', ['--generate-ignore-file', '--root', ws.root]);
    expect(result.code).toBe(0);
    expect(ws.read('.redocly.lint-ignore.yaml')).toContain(
      'specs/edge-impulse/vendor/batch-clear-metadata-by-key.yaml:\n  operation-4xx-response:',
    );
    expect((await runScript('lint-specs', ['--root', ws.root])).code).toBe(0);
  });
});

it('REPO points at the repository', () => {
  expect(readdirSync(REPO)).toEqual(expect.arrayContaining(['specs', 'scripts', 'generated', 'redocly.yaml']));
});
