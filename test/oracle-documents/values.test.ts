/**
 * The Oracle values helpers (readOwnValues, previewDeleteFileMetadataValues,
 * restoreFileMetadataValues) over real HTTP against the sandbox.
 */
import {
  createOracleDocumentsClient,
  previewDeleteFileMetadataValues,
  readOwnValues,
  restoreFileMetadataValues,
} from '../../src/index.js';
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
    expect(await restoreFileMetadataValues(c, changed)).toEqual({
      status: 'changed',
      current: { A: 'mine' },
      assigned: {},
    });
    expect(sandbox.oracle.file('OWN')?.collections.C).toEqual({ A: 'mine', B: 'b' });
    expect(await restoreFileMetadataValues(c, { ...changed, force: true })).toEqual({
      status: 'restored',
      assigned: { A: 'older' },
    });
    expect(sandbox.oracle.file('OWN')?.collections.C).toEqual({ A: 'older', B: 'b' });
    expect(await restoreFileMetadataValues(c, { ...input, fileId: 'GONE' })).toEqual({ status: 'missing' });
  });
});
