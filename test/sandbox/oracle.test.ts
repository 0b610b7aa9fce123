/**
 * The Oracle operation: the docs page's three worked examples (request bodies, headers and
 * responses read from the page itself), unknown files and collections, XML, and a file ID that
 * must travel as one percent-encoded path segment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot, type Sandbox, startSandbox, UNKNOWN_COLLECTION_ERROR_CODE } from '../../src/sandbox/index.js';
import { basic, deleteMetadata, JSON_TYPE } from './http.js';

interface PageExample {
  fileId: string;
  headers: Record<string, string>;
  requestBody: string;
  status: number;
  response: unknown;
}

/** The examples as the page states them: path, request headers, body, status and JSON response. */
function pageExamples(): PageExample[] {
  const page = readFileSync(join(findPackageRoot(), 'specs/oracle-documents/docs-page.txt'), 'utf8');
  const sections = page.split(/\n(?=DELETE \.\.\.\/files\/)/).slice(1);
  return sections.map((section) => {
    const match =
      /^DELETE \.\.\.\/files\/(\S+)\/metadata\s+Request Header\s+([\s\S]*?)\s+Request Body\s+(\{[\s\S]*?\})\s+HTTP Status Code\s+HTTP_STATUS = (\d+)\s+JSON Response\s+(\{[\s\S]*?\})/.exec(
        section,
      );
    if (!match) throw new Error(`cannot read the example:\n${section}`);
    const [, fileId = '', headerText = '', requestBody = '', status = '', response = ''] = match;
    const headers = Object.fromEntries(
      headerText === 'None.'
        ? []
        : headerText
            .split('\n')
            .map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    return { fileId, headers, requestBody, status: Number(status), response: JSON.parse(response) };
  });
}

const examples = pageExamples();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe("the docs page's worked examples", () => {
  it('finds three examples on the page', () => {
    expect(examples.map((e) => e.fileId)).toEqual([
      'D3C1C1F319CFE6B102095C5DT0000000000100000001',
      'D3C1C1F319CFE6B102095C5DT0000000000100000001',
      'DED694950C14AFF280419F9AB5D17B95F47087F4E518',
    ]);
  });

  it.each([
    [1, { CollectionA: { A3: 'kept' }, 'Personal.CollectionA': { A1: 'p1', A2: 'p2' } }],
    [2, { CollectionA: { A1: 'x', A2: 'y', A3: 'kept' }, 'Personal.CollectionA': {} }],
  ])('example %i: the owner deletes A1 and A2, answered exactly as documented', async (n, after) => {
    const example = examples[n - 1] as PageExample;
    expect(example.headers).toEqual({});
    sandbox.oracle.addFile({
      id: example.fileId,
      owner: 'alice',
      collections: {
        CollectionA: { A1: 'x', A2: 'y', A3: 'kept' },
        'Personal.CollectionA': { A1: 'p1', A2: 'p2' },
      },
    });
    // "Request Header: None." beyond the user's own credentials.
    const answer = await deleteMetadata(sandbox, example.fileId, example.requestBody, {
      authorization: basic('alice'),
      ...JSON_TYPE,
    });
    expect(answer.status).toBe(example.status);
    expect(answer.body).toEqual(example.response);
    expect(sandbox.oracle.file(example.fileId)?.collections).toEqual(after);
  });

  it('example 3: an applink alone (the headers of the page) deletes appField1 and appField2', async () => {
    const example = examples[2] as PageExample;
    expect(Object.keys(example.headers)).toEqual(['appLinkID', 'accessToken']);
    sandbox.oracle.addFile({
      id: example.fileId,
      owner: 'someone-else',
      collections: { ApplinkCollection: { appField1: 'a', appField2: 'b', appField3: 'c' } },
      appLinks: [
        { id: example.headers.appLinkID ?? '', accessToken: example.headers.accessToken ?? '', role: 'contributor' },
      ],
    });
    const answer = await deleteMetadata(sandbox, example.fileId, example.requestBody, {
      ...example.headers,
      ...JSON_TYPE,
    });
    expect(answer.status).toBe(example.status);
    expect(answer.body).toEqual(example.response);
    expect(sandbox.oracle.file(example.fileId)?.collections).toEqual({ ApplinkCollection: { appField3: 'c' } });
    expect(sandbox.requests[0]).toMatchObject({
      method: 'DELETE',
      path: `/documents/api/1.1/files/${example.fileId}/metadata`,
      headers: { applinkid: example.headers.appLinkID, accesstoken: example.headers.accessToken },
      body: JSON.parse(example.requestBody),
      operationId: 'deleteFileMetadataValues',
      credential: { scheme: 'applink' },
      status: 200,
    });
  });
});

describe('DELETE /files/{fileId}/metadata', () => {
  const OWNER = { authorization: basic('alice'), ...JSON_TYPE };
  const body = (collection: string, fields: string) => JSON.stringify({ collection, fields });

  it('answers 404 for an unknown file', async () => {
    const answer = await deleteMetadata(sandbox, 'NOPE', body('CollectionA', 'A1'), OWNER);
    expect(answer).toEqual(
      expect.objectContaining({
        status: 404,
        body: { errorCode: '-16', errorKey: 'sandbox.itemNotFound', errorMessage: 'File NOPE not found' },
      }),
    );
  });

  it('answers 200 with a non-zero errorCode for a collection not assigned to the file (sandbox behaviour)', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { CollectionA: { A1: 'x' } } });
    const answer = await deleteMetadata(sandbox, 'F1', body('CollectionB', 'A1'), OWNER);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      idList: 'F1',
      type: 'file',
      errorCode: UNKNOWN_COLLECTION_ERROR_CODE,
      errorMessage: 'Collection CollectionB is not assigned to file F1',
    });
    expect(UNKNOWN_COLLECTION_ERROR_CODE).not.toBe('0');
    expect(sandbox.oracle.file('F1')?.collections).toEqual({ CollectionA: { A1: 'x' } });
  });

  it("answers errorCode as a number, success and failure alike, when asked to (Oracle's schema declares a number)", async () => {
    sandbox.oracle.answerErrorCodesAs('number');
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { CollectionA: { A1: 'x' } } });
    const unassigned = await deleteMetadata(sandbox, 'F1', body('CollectionB', 'A1'), OWNER);
    expect(unassigned).toMatchObject({ status: 200, body: { errorCode: -1 } });
    const done = await deleteMetadata(sandbox, 'F1', body('CollectionA', 'A1'), OWNER);
    expect(done).toMatchObject({ status: 200, body: { idList: 'F1', type: 'file', errorCode: 0 } });
    const missing = await deleteMetadata(sandbox, 'NOPE', body('CollectionA', 'A1'), OWNER);
    expect(missing).toMatchObject({ status: 404, body: { errorCode: -16, errorKey: 'sandbox.itemNotFound' } });
    sandbox.reset();
    expect(sandbox.oracle.errorCodeForm).toBe('string');
  });

  it('does not take a personal collection for the shared one of the same name', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { CollectionA: { A1: 'x' } } });
    const answer = await deleteMetadata(sandbox, 'F1', body('Personal.CollectionA', 'A1'), OWNER);
    expect(answer.body).toMatchObject({ errorCode: UNKNOWN_COLLECTION_ERROR_CODE });
  });

  it('ignores fields that hold no value, and trims field names', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { CollectionA: { A1: 'x', A2: 'y' } } });
    const answer = await deleteMetadata(sandbox, 'F1', body('CollectionA', 'A2, A9'), OWNER);
    expect(answer.body).toEqual({ idList: 'F1', type: 'file', errorCode: '0' });
    expect(sandbox.oracle.file('F1')?.collections).toEqual({ CollectionA: { A1: 'x' } });
  });

  it('decodes the file ID from exactly one percent-encoded path segment', async () => {
    const id = 'folder/file 1?v=2';
    sandbox.oracle.addFile({ id, owner: 'alice', collections: { C: { f: 'x' } } });
    const answer = await deleteMetadata(sandbox, encodeURIComponent(id), body('C', 'f'), OWNER);
    expect(answer.body).toEqual({ idList: id, type: 'file', errorCode: '0' });
    expect(sandbox.requests[0]?.path).toBe('/documents/api/1.1/files/folder%2Ffile%201%3Fv%3D2/metadata');
  });

  it('decodes once only: an encoded percent sign stays a percent sign', async () => {
    sandbox.oracle.addFile({ id: 'a%2Fb', owner: 'alice', collections: { C: { f: 'x' } } });
    sandbox.oracle.addFile({ id: 'a/b', owner: 'alice', collections: { C: { f: 'x' } } });
    const answer = await deleteMetadata(sandbox, encodeURIComponent('a%2Fb'), body('C', 'f'), OWNER);
    expect(answer.body).toEqual({ idList: 'a%2Fb', type: 'file', errorCode: '0' });
    expect(sandbox.requests[0]?.path).toBe('/documents/api/1.1/files/a%252Fb/metadata');
    expect(sandbox.oracle.file('a/b')?.collections).toEqual({ C: { f: 'x' } });
  });

  it('does not route a file ID sent unencoded across two segments', async () => {
    sandbox.oracle.addFile({ id: 'a/b', owner: 'alice', collections: { C: { f: 'x' } } });
    const answer = await deleteMetadata(sandbox, 'a/b', body('C', 'f'), OWNER);
    expect(answer.status).toBe(404);
    expect(sandbox.oracle.file('a/b')?.collections).toEqual({ C: { f: 'x' } });
  });

  it('takes an XML body and answers in XML when asked to', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { 'Personal.R&D': { A1: 'x', A2: 'y' } } });
    const xml =
      '<?xml version="1.0"?><FileDeleteValuesBody><collection>Personal.R&amp;D</collection><fields>A1</fields></FileDeleteValuesBody>';
    const answer = await deleteMetadata(sandbox, 'F1', xml, {
      authorization: basic('alice'),
      'content-type': 'application/xml',
      accept: 'application/xml',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(answer.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><FileCollectionResponse><idList>F1</idList><type>file</type><errorCode>0</errorCode></FileCollectionResponse>',
    );
    expect(sandbox.oracle.file('F1')?.collections).toEqual({ 'Personal.R&D': { A2: 'y' } });
  });

  it('answers JSON to an XML request that does not ask for XML', async () => {
    sandbox.oracle.addFile({ id: 'F1', owner: 'alice', collections: { C: { f: 'x' } } });
    const xml = '<FileDeleteValuesBody><collection>C</collection><fields>f</fields></FileDeleteValuesBody>';
    const answer = await deleteMetadata(sandbox, 'F1', xml, {
      authorization: basic('alice'),
      'content-type': 'application/xml',
    });
    expect(answer.body).toEqual({ idList: 'F1', type: 'file', errorCode: '0' });
  });
});
