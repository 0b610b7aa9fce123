/**
 * Every request is validated against the bundled specs before anything else happens: a 400
 * (or 415) whose body says which parameter or field was wrong, in each API's error format,
 * and no change to the state.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPackageRoot, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { checkOpenApiBackend, OPENAPI_BACKEND_RANGE, ValidationWorker } from '../../src/sandbox/validation-worker.js';
import { basic, clearMetadata, deleteMetadata, EI_AUTH, JSON_TYPE, send } from './http.js';

const FILE = 'D3C1C1F319CFE6B102095C5DT0000000000100000001';
const OWNER = { authorization: basic('alice'), ...JSON_TYPE };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
  sandbox.oracle.addFile({ id: FILE, owner: 'alice', collections: { CollectionA: { A1: 'x', A2: 'y' } } });
});

function expectUnchanged(): void {
  expect(sandbox.edgeImpulse.sample(1, 1)?.metadata).toEqual({ k: 'v' });
  expect(sandbox.oracle.file(FILE)?.collections).toEqual({ CollectionA: { A1: 'x', A2: 'y' } });
}

describe('Edge Impulse request validation', () => {
  it.each<[string, string | number, Record<string, string>, string | undefined, RegExp]>([
    [
      'a category outside the enum',
      1,
      { category: 'everything' },
      '{"metadataKey":"k"}',
      /query parameter 'category' must be one of training, testing, validation, post-processing, all \(got "everything"\)/,
    ],
    [
      'a signatureValidity outside the enum',
      1,
      { category: 'all', signatureValidity: 'maybe' },
      '{"metadataKey":"k"}',
      /query parameter 'signatureValidity' must be one of both, valid, invalid/,
    ],
    [
      'a dataType outside the enum',
      1,
      { category: 'all', dataType: 'video' },
      '{"metadataKey":"k"}',
      /query parameter 'dataType' must be one of audio, image/,
    ],
    [
      'a non-integer projectId',
      'abc',
      { category: 'all' },
      '{"metadataKey":"k"}',
      /path parameter 'projectId' must be integer \(got "abc"\)/,
    ],
    [
      'a fractional projectId',
      '1.5',
      { category: 'all' },
      '{"metadataKey":"k"}',
      /path parameter 'projectId' must be integer/,
    ],
    ['the category missing', 1, {}, '{"metadataKey":"k"}', /query parameter 'category' is required/],
    ['metadataKey missing', 1, { category: 'all' }, '{}', /request body field 'metadataKey' is required/],
    [
      'metadataKey not a string',
      1,
      { category: 'all' },
      '{"metadataKey":7}',
      /request body field 'metadataKey' must be string/,
    ],
    ['the body missing', 1, { category: 'all' }, undefined, /the request body is required/],
    ['a body that is not JSON', 1, { category: 'all' }, '{metadataKey: k}', /the request body is not valid JSON/],
    ['a JSON body that is not an object', 1, { category: 'all' }, '"k"', /the request body must be object/],
    [
      'a non-integer maxLength',
      1,
      { category: 'all', maxLength: '10.5' },
      '{"metadataKey":"k"}',
      /query parameter 'maxLength' must be integer/,
    ],
    [
      'a non-numeric minFrequency',
      1,
      { category: 'all', minFrequency: 'high' },
      '{"metadataKey":"k"}',
      /query parameter 'minFrequency' must be number/,
    ],
    [
      'a minDate that is not a date-time',
      1,
      { category: 'all', minDate: '2024-01-01' },
      '{"metadataKey":"k"}',
      /query parameter 'minDate' must be a date-time string/,
    ],
    [
      'a query parameter the spec does not define',
      1,
      { category: 'all', label: 'idle' },
      '{"metadataKey":"k"}',
      /query parameter 'label' is not defined for this operation/,
    ],
  ])('refuses %s with a 400 naming it', async (_name, projectId, query, body, reason) => {
    const answer = await clearMetadata(sandbox, projectId, query, { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ success: false, error: expect.stringMatching(reason) });
    expectUnchanged();
  });

  it('reports every problem of a request at once', async () => {
    const answer = await clearMetadata(sandbox, 'x', { category: 'none' }, { body: '{}' });
    const error = (answer.body as { error: string }).error;
    expect(error).toContain("path parameter 'projectId'");
    expect(error).toContain("query parameter 'category'");
    expect(error).toContain("request body field 'metadataKey'");
  });

  it('refuses a body that is not JSON by media type with 415', async () => {
    const answer = await clearMetadata(
      sandbox,
      1,
      { category: 'all' },
      { headers: { ...EI_AUTH, 'content-type': 'text/plain' } },
    );
    expect(answer).toEqual(
      expect.objectContaining({
        status: 415,
        body: {
          success: false,
          error: expect.stringMatching(/Content-Type 'text\/plain' is not supported.*application\/json/),
        },
      }),
    );
  });

  it('refuses a non-integer jobId', async () => {
    const answer = await send(`${sandbox.edgeImpulseBaseUrl}/api/1/jobs/latest/status`, { headers: EI_AUTH });
    expect(answer).toMatchObject({
      status: 400,
      body: { success: false, error: expect.stringMatching(/path parameter 'jobId' must be integer/) },
    });
  });

  it('validates before authenticating: an invalid request without credentials gets the 400', async () => {
    const answer = await clearMetadata(sandbox, 1, { category: 'bogus' }, { headers: JSON_TYPE });
    expect(answer.status).toBe(400);
  });
});

describe('Oracle request validation', () => {
  it.each<[string, string | undefined, Record<string, string>, RegExp]>([
    ['fields missing', '{"collection":"CollectionA"}', OWNER, /request body field 'fields' is required/],
    ['collection missing', '{"fields":"A1"}', OWNER, /request body field 'collection' is required/],
    [
      'fields not a string',
      '{"collection":"CollectionA","fields":["A1"]}',
      OWNER,
      /request body field 'fields' must be string/,
    ],
    ['the body missing', undefined, OWNER, /the request body is required/],
    ['malformed JSON', '{"collection":', OWNER, /the request body is not valid JSON/],
    [
      'appLinkID without accessToken',
      '{"collection":"CollectionA","fields":"A1"}',
      { appLinkID: 'LF5B', ...JSON_TYPE },
      /header 'appLinkID' requires header 'accessToken' as well/,
    ],
    [
      'AppLinkID (the other spelling) without AccessToken',
      '{"collection":"CollectionA","fields":"A1"}',
      { AppLinkID: 'LF5B', authorization: basic('alice'), ...JSON_TYPE },
      /header 'appLinkID' requires header 'accessToken' as well/,
    ],
    [
      'XML with another root element',
      '<Body><collection>CollectionA</collection><fields>A1</fields></Body>',
      { authorization: basic('alice'), 'content-type': 'application/xml' },
      /expected root element <FileDeleteValuesBody>, got <Body>/,
    ],
    [
      'XML that is not flat',
      '<FileDeleteValuesBody><collection><name>C</name></collection></FileDeleteValuesBody>',
      { authorization: basic('alice'), 'content-type': 'application/xml' },
      /the request body is not valid XML/,
    ],
    [
      'XML missing a field',
      '<FileDeleteValuesBody><collection>CollectionA</collection></FileDeleteValuesBody>',
      { authorization: basic('alice'), 'content-type': 'application/xml' },
      /request body field 'fields' is required/,
    ],
  ])('refuses %s with a 400 saying so', async (_name, body, headers, reason) => {
    const answer = await deleteMetadata(sandbox, FILE, body, headers);
    expect(answer.status).toBe(400);
    // Oracle's error body, exactly; -1 is Oracle's general error.
    expect(answer.body).toEqual({
      errorCode: '-1',
      errorKey: 'sandbox.general',
      errorMessage: expect.stringMatching(reason),
    });
    expectUnchanged();
  });

  it.each([
    ['an empty collection', '{"collection":"","fields":"A1"}'],
    ['an empty item in fields', '{"collection":"CollectionA","fields":"A1,,A2"}'],
  ])('does not refuse %s: no Oracle page constrains the values, so the spec does not either', async (_name, body) => {
    const answer = await deleteMetadata(sandbox, FILE, body, OWNER);
    expect(answer.status).toBe(200);
    expect(sandbox.requests[0]?.operationId).toBe('deleteFileMetadataValues');
  });

  it('refuses a media type the spec does not list with 415', async () => {
    const answer = await deleteMetadata(sandbox, FILE, 'collection=CollectionA&fields=A1', {
      authorization: basic('alice'),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({
      errorCode: '-1',
      errorKey: 'sandbox.general',
      errorMessage: expect.stringContaining('send application/json or application/xml'),
    });
    expectUnchanged();
  });

  it('refuses a path segment that is not valid percent-encoding', async () => {
    const answer = await deleteMetadata(sandbox, 'abc%E0%A4%A', '{"collection":"CollectionA","fields":"A1"}', OWNER);
    expect(answer).toMatchObject({
      status: 400,
      body: { errorCode: '-1', errorMessage: 'the path is not valid percent-encoding' },
    });
  });
});

describe('routing', () => {
  it.each([
    ['an unknown Edge Impulse path', 'GET', '/v1/api/1/raw-data/batch', { success: false }],
    ['an unknown Oracle path', 'DELETE', '/documents/api/1.1/folders/F1/metadata', { errorCode: '-16' }],
    ['a path under neither base', 'GET', '/api/1/jobs/1/status', {}],
    ['a base path prefix that is not a segment', 'GET', '/v10/api/1/jobs/1/status', {}],
  ])('answers %s with 404', async (_name, method, path, body) => {
    const answer = await send(`${sandbox.url}${path}`, { method, headers: EI_AUTH });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject(body);
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const answer = await send(`${sandbox.oracleBaseUrl}/files/${FILE}/metadata`, {
      method: 'PATCH',
      headers: OWNER,
      body: '{}',
    });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, POST, DELETE');
    expect(answer.body).toMatchObject({ errorCode: '-1', errorKey: 'sandbox.general' });
  });
});

describe('the openapi-backend the sandbox runs with', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  /** A package root whose node_modules holds openapi-backend at `version` (none when undefined). */
  function packageRoot(version: string | undefined): string {
    const root = mkdtempSync(join(tmpdir(), 'metaclear-peer-'));
    roots.push(root);
    writeFileSync(join(root, 'package.json'), '{"name":"metaclear"}\n');
    if (version !== undefined) {
      mkdirSync(join(root, 'node_modules', 'openapi-backend'), { recursive: true });
      writeFileSync(
        join(root, 'node_modules', 'openapi-backend', 'package.json'),
        JSON.stringify({ name: 'openapi-backend', version, main: 'index.js' }),
      );
    }
    return root;
  }

  it('is the peer range of package.json, and the one this repository installs is in it', () => {
    const manifest = JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8'));
    expect(manifest.peerDependencies['openapi-backend']).toBe(OPENAPI_BACKEND_RANGE);
    expect(checkOpenApiBackend(findPackageRoot())).toMatch(/^5\.20\./);
  });

  it.each([
    ['5.19.0', /openapi-backend 5\.19\.0 is installed; expected \^5\.20\.0/],
    ['6.0.0', /openapi-backend 6\.0\.0 is installed; expected \^5\.20\.0/],
    [undefined, /openapi-backend is not installed; it is an optional peer of metaclear/],
  ])('refuses %s before starting, saying what to install', async (version, message) => {
    const root = packageRoot(version);
    expect(() => checkOpenApiBackend(root)).toThrow(message);
    await expect(ValidationWorker.start(root, {} as never)).rejects.toThrow(
      /npm install -D openapi-backend@\^5\.20\.0/,
    );
  });

  it('takes any 5.x release from 5.20 on', () => {
    for (const version of ['5.20.1', '5.21.2', '5.100.0'])
      expect(checkOpenApiBackend(packageRoot(version))).toBe(version);
  });
});
