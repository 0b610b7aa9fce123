/**
 * The Oracle values helpers (readOwnValues, previewDeleteFileMetadataValues,
 * restoreFileMetadataValues) over real HTTP against the sandbox, and the windowed runner's bound
 * on what it holds.
 */
import {
  createOracleDocumentsClient,
  previewDeleteFileMetadataValues,
  readOwnValues,
  restoreFileMetadataValues,
} from '../../src/index.js';
import { streamMany, WINDOW } from '../../src/oracle-documents/values.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.oracle.addFolder({ id: 'D', collections: { C: { A: 'from the folder', B: 'from the folder' } } });
  sandbox.oracle.addFile({ id: 'OWN', owner: 'me', folder: 'D', collections: { C: { A: 'mine' } } });
  sandbox.oracle.addFile({ id: 'NONE', owner: 'me', folder: 'D', collections: { C: {} } });
  sandbox.oracle.addFile({ id: 'UNASSIGNED', owner: 'me', collections: {} });
});

const client = () =>
  createOracleDocumentsClient({ baseUrl: sandbox.oracleBaseUrl, auth: { username: 'me', password: 'p' } });

describe('readOwnValues', () => {
  it('reads with directAssigned=1: only the file’s own values of the named fields', async () => {
    expect(await readOwnValues(client(), { fileId: 'OWN', collection: 'C', fields: ['A', 'B'] })).toEqual({
      A: 'mine',
    });
    expect(await readOwnValues(client(), { fileId: 'NONE', collection: 'C', fields: ['A', 'B'] })).toEqual({});
    expect(await readOwnValues(client(), { fileId: 'UNASSIGNED', collection: 'C', fields: ['A'] })).toEqual({});
    expect(sandbox.requests.map((r) => r.query)).toEqual([
      { directAssigned: '1' },
      { directAssigned: '1' },
      { directAssigned: '1' },
    ]);
  });
});

describe('previewDeleteFileMetadataValues', () => {
  it('counts the files read and those with a value of their own; each file’s values and errors as they come', async () => {
    const files: unknown[] = [];
    const errors: string[] = [];
    const preview = await previewDeleteFileMetadataValues(
      client(),
      ['OWN', 'NONE', 'UNASSIGNED', 'GONE'],
      { collection: 'C', fields: ['A', 'B'] },
      { concurrency: 2, onFile: (f) => files.push(f), onError: (id) => errors.push(id) },
    );
    expect(preview).toEqual({ files: 3, withValues: 1, values: 1, failed: 1 });
    expect(files).toEqual(
      expect.arrayContaining([
        { fileId: 'OWN', values: { A: 'mine' } },
        { fileId: 'NONE', values: {} },
        { fileId: 'UNASSIGNED', values: {} },
      ]),
    );
    expect(errors).toEqual(['GONE']);
    expect(sandbox.requests.every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('restoreFileMetadataValues', () => {
  it('assigns what the file lacks; then finds it unchanged; a changed value is left unless force', async () => {
    const c = client();
    const input = { fileId: 'OWN', collection: 'C', values: { A: 'mine', B: 'b' }, fields: ['A', 'B'] };
    expect(await restoreFileMetadataValues(c, input)).toEqual({ status: 'restored', assigned: { B: 'b' } });
    expect(sandbox.oracle.file('OWN')?.collections.C).toEqual({ A: 'mine', B: 'b' });
    expect(await restoreFileMetadataValues(c, input)).toEqual({ status: 'unchanged' });
    const changed = { ...input, values: { A: 'older', B: 'b' } };
    expect(await restoreFileMetadataValues(c, changed)).toEqual({ status: 'changed', current: { A: 'mine' } });
    expect(sandbox.oracle.file('OWN')?.collections.C).toEqual({ A: 'mine', B: 'b' });
    expect(await restoreFileMetadataValues(c, { ...changed, force: true })).toEqual({
      status: 'restored',
      assigned: { A: 'older' },
    });
    expect(sandbox.oracle.file('OWN')?.collections.C).toEqual({ A: 'older', B: 'b' });
    expect(await restoreFileMetadataValues(c, { ...input, fileId: 'GONE' })).toEqual({ status: 'missing' });
  });
});

describe('streamMany', () => {
  it('never holds more than a window of items beyond those reported, however long the input', async () => {
    const total = 20_000;
    let pulled = 0;
    let reported = 0;
    let most = 0;
    function* items() {
      for (let i = 0; i < total; i++) {
        pulled++;
        most = Math.max(most, pulled - reported);
        yield i;
      }
    }
    await streamMany(items(), async (i) => i * 2, {
      concurrency: 8,
      onResult: (result, item) => {
        expect(result).toMatchObject({ ok: true, response: item * 2 });
        reported++;
      },
    });
    expect(reported).toBe(total);
    expect(most).toBeLessThanOrEqual(WINDOW);
  });

  it('stops taking items once its signal aborts', async () => {
    const controller = new AbortController();
    let pulled = 0;
    function* items() {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield i;
      }
    }
    let cancelled = 0;
    await streamMany(
      items(),
      async (i) => {
        if (i === 10) controller.abort(new Error('stop'));
        return i;
      },
      { signal: controller.signal, onResult: (r) => void (r.ok ? undefined : cancelled++) },
    );
    expect(pulled).toBeLessThanOrEqual(WINDOW + 1);
    expect(cancelled).toBeGreaterThan(0);
  });
});
