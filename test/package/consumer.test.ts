/**
 * The package as a user receives it: `npm pack`, check what the tarball holds, install it into
 * a fresh project, type-check a strict ESM and a strict CommonJS consumer against its
 * declarations, and run both against the sandbox it ships. Consumers made by `tsc --init` of
 * TypeScript 5.9 and 7 (its defaults: `"types": []`, so no ambient Node types), with
 * `skipLibCheck` off, type-check in both module formats.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/workspace.js';

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let dir: string;
let tarball: string;
let contents: string[];

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'esm', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'metaclear-consumer-'));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], REPO)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(dir, packed[0]?.filename as string);
  contents = (packed[0]?.files ?? []).map((f) => f.path).sort();
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds both builds, their declarations, the generated types and the bundled specs', () => {
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/esm/index.js',
      'dist/esm/index.d.ts',
      'dist/cjs/index.js',
      'dist/cjs/index.d.ts',
      'dist/cjs/package.json',
      'dist/esm/sandbox/index.js',
      'dist/cjs/sandbox/index.js',
      'dist/generated/edge-impulse/schema.d.ts',
      'dist/generated/oracle-documents/schema.d.ts',
      'generated/edge-impulse/openapi.json',
      'generated/oracle-documents/openapi.json',
    ]) {
      expect(contents).toContain(file);
    }
  });

  it('holds nothing else: no sources, tests, spec sources, fixtures, maps or scripts', () => {
    const unexpected = contents.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE)$/.test(f) &&
        !/^dist\/(esm|cjs)\/.+\.(js|d\.ts)$/.test(f) &&
        f !== 'dist/cjs/package.json' &&
        !/^dist\/generated\/(package\.json|[a-z-]+\/schema\.d\.ts)$/.test(f) &&
        !/^generated\/[a-z-]+\/openapi\.json$/.test(f),
    );
    expect(unexpected).toEqual([]);
  });
});

describe('a fresh project that installs the tarball', () => {
  let project: string;
  beforeAll(() => {
    project = join(dir, 'project');
    cpSync(join(REPO, 'test', 'fixtures', 'consumer'), project, { recursive: true });
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true }, null, 2)}\n`);
    // No @types/node named here: the package's declarations need Node's, and its peer brings them.
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'openapi-backend@5.20.0'], project);
  }, 300_000);

  it('type-checks a strict ESM and a strict CommonJS consumer', () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      output = execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
    expect(existsSync(join(project, 'out', 'esm.mjs'))).toBe(true);
    expect(existsSync(join(project, 'out', 'cjs.cjs'))).toBe(true);
  });

  // What a newcomer writes with nothing configured but `tsc --init` (and skipLibCheck off, so
  // that metaclear's own .d.ts files are checked): both clients, the sandbox, `await using`.
  // No Node global is used, so only the package's declarations can bring Node's types in.
  const compilers = [
    { name: 'TypeScript 5.9', tsc: join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), version: /^Version 5\.9\./ },
    { name: 'TypeScript 7', tsc: join(REPO, 'node_modules', 'typescript-7', 'bin', 'tsc'), version: /^Version 7\./ },
  ];
  const esmSource = [
    "import { createEdgeImpulseClient, createOracleDocumentsClient, type ClearMetadataResult } from 'metaclear';",
    "import { startSandbox } from 'metaclear/sandbox';",
    'const sandbox = await startSandbox();',
    "await using ei = createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: sandbox.edgeImpulseBaseUrl });",
    "await using oc = createOracleDocumentsClient({ baseUrl: sandbox.oracleBaseUrl, auth: { username: 'u', password: 'p' } });",
    "const cleared: ClearMetadataResult = await ei.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' });",
    "await oc.deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'] });",
    'export const result = cleared.status;',
    'await sandbox.close();',
  ].join('\n');
  const cjsSource = [
    "import metaclear = require('metaclear');",
    "import sandboxModule = require('metaclear/sandbox');",
    "import type { ClearMetadataResult } from 'metaclear';",
    'async function main(): Promise<string> {',
    '  const sandbox = await sandboxModule.startSandbox();',
    "  await using ei = metaclear.createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: sandbox.edgeImpulseBaseUrl });",
    "  await using oc = metaclear.createOracleDocumentsClient({ baseUrl: sandbox.oracleBaseUrl, auth: { bearerToken: 't' } });",
    "  const cleared: ClearMetadataResult = await ei.clearMetadataByKey({ projectId: 1, category: 'all', metadataKey: 'k' });",
    "  await oc.deleteFileMetadataValues({ fileId: 'F1', collection: 'C', fields: ['A'] });",
    '  await sandbox.close();',
    '  return cleared.status;',
    '}',
    'void main();',
  ].join('\n');

  describe.each(compilers)('a consumer made by `tsc --init` of $name (skipLibCheck off)', ({ tsc, version }) => {
    const run = (args: string[], cwd: string): string => {
      try {
        return execFileSync(process.execPath, [tsc, ...args], { cwd, encoding: 'utf8' });
      } catch (error) {
        return String((error as { stdout?: string }).stdout);
      }
    };

    it('is that version', () => {
      expect(run(['--version'], project)).toMatch(version);
    });

    it.each([
      { format: 'esm', type: 'module', source: esmSource },
      { format: 'cjs', type: 'commonjs', source: cjsSource },
    ])('type-checks in $format', ({ format, type, source }) => {
      const consumer = join(project, `init-${tsc.includes('typescript-7') ? 7 : 5}-${format}`);
      mkdirSync(consumer);
      writeFileSync(
        join(consumer, 'package.json'),
        `${JSON.stringify({ name: `init-${format}`, private: true, type })}\n`,
      );
      run(['--init'], consumer);
      const tsconfig = readFileSync(join(consumer, 'tsconfig.json'), 'utf8');
      expect(tsconfig).toMatch(/"skipLibCheck": true/);
      writeFileSync(join(consumer, 'tsconfig.json'), tsconfig.replace('"skipLibCheck": true', '"skipLibCheck": false'));
      writeFileSync(join(consumer, 'index.ts'), `${source}\n`);
      expect(run(['-p', '.', '--noEmit'], consumer)).toBe('');
    });
  });

  it('runs the ESM consumer against the sandbox; its CommonJS build in the same process knows its errors', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['out/esm.mjs'], { cwd: project, encoding: 'utf8' }));
    expect(out).toEqual({
      format: 'esm',
      cleared: { status: 'done' },
      response: { errorCode: '0', idList: 'F1', type: 'file' },
      status: 404,
      left: [0, 1],
      specTitle: 'REST API for Content Management 1.1 (Oracle Content Management, Documents)',
      crossBuild: { distinctClasses: true, esmKnowsCjsError: true, cjsKnowsEsmError: true, notConfused: true },
    });
  });

  it('runs the CommonJS consumer against the sandbox', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['out/cjs.cjs'], { cwd: project, encoding: 'utf8' }));
    expect(out).toEqual({
      format: 'cjs',
      started: 'job',
      succeeded: true,
      ok: [{ errorCode: '0', idList: 'F1', type: 'file' }],
      failed: [404],
    });
  });
});
