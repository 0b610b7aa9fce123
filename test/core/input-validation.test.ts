/**
 * Invalid input is refused before any request: each case names the field and what was
 * expected, and the real server behind the client sees nothing.
 */
import { createEdgeImpulseClient, createOracleDocumentsClient, ValidationError } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ status: 200, body: { success: true } });
});
afterAll(() => server.close());
beforeEach(() => server.reply({ status: 200, body: { success: true } }));

const ei = () => createEdgeImpulseClient({ auth: { apiKey: 'key' }, baseUrl: `${server.url}/v1` });
const oc = () =>
  createOracleDocumentsClient({ baseUrl: `${server.url}/documents/api/1.1`, auth: { bearerToken: 't' } });
const clear = { projectId: 1, category: 'training', metadataKey: 'k' } as const;
const del = { fileId: 'F1', collection: 'CollectionA', fields: ['A1'] };

// biome-ignore lint/suspicious/noExplicitAny: these cases pass what the types forbid, as JavaScript callers can.
type Loose = any;

const cases: [string, () => Promise<unknown> | unknown, string, RegExp][] = [
  [
    'projectId beyond the safe integers',
    () => ei().clearMetadataByKey({ ...clear, projectId: 2 ** 53 }),
    'projectId',
    /positive integer/,
  ],
  ['projectId negative', () => ei().clearMetadataByKey({ ...clear, projectId: -3 }), 'projectId', /got -3/],
  ['projectId NaN', () => ei().clearMetadataByKey({ ...clear, projectId: Number.NaN }), 'projectId', /got NaN/],
  [
    'a huge sample id',
    () => ei().clearMetadataByKey({ ...clear, filter: { ids: [1e21] } }),
    'filter.ids[0]',
    /non-negative integer/,
  ],
  [
    'a huge minLength',
    () => ei().clearMetadataByKey({ ...clear, filter: { minLength: 1e308 } }),
    'filter.minLength',
    /non-negative integer/,
  ],
  ['a negative maxId', () => ei().clearMetadataByKey({ ...clear, filter: { maxId: -1 } }), 'filter.maxId', /got -1/],
  [
    'an invalid minDate',
    () => ei().clearMetadataByKey({ ...clear, filter: { minDate: '2024-13-45T00:00:00Z' } }),
    'filter.minDate',
    /ISO 8601/,
  ],
  [
    'an unknown metadata op',
    () => ei().clearMetadataByKey({ ...clear, filter: { metadata: { rules: [{ key: 'k', op: 'in' as Loose }] } } }),
    'filter.metadata.rules[0].op',
    /"eq", "neq"/,
  ],
  [
    'a filename with a NUL',
    () => ei().clearMetadataByKey({ ...clear, filter: { filename: 'a\u0000b' } }),
    'filter.filename',
    /control character/,
  ],
  [
    'an applink id with CR/LF',
    () => oc().deleteFileMetadataValues({ ...del, appLink: { id: 'L\r\nx-injected: 1', accessToken: 't' } }),
    'appLink.id',
    /control character/,
  ],
  [
    'a fileId with a line break',
    () => oc().deleteFileMetadataValues({ ...del, fileId: 'F\n1' }),
    'fileId',
    /control character/,
  ],
  ['a fileId of "."', () => oc().deleteFileMetadataValues({ ...del, fileId: '.' }), 'fileId', /got "\."/],
  [
    'a fileId that is only whitespace',
    () => oc().deleteFileMetadataValues({ ...del, fileId: '   ' }),
    'fileId',
    /non-empty file GUID/,
  ],
  [
    'a bearer token with CR/LF',
    () => createOracleDocumentsClient({ baseUrl: 'https://t.example.com', auth: { bearerToken: 't\r\nx: 1' } }),
    'options.auth.bearerToken',
    /control character/,
  ],
  [
    'a password with a line break',
    () => createOracleDocumentsClient({ baseUrl: 'https://t.example.com', auth: { username: 'u', password: 'p\n' } }),
    'options.auth.password',
    /control character/,
  ],
  [
    'a JWT that is not a string',
    () => createEdgeImpulseClient({ auth: { jwtToken: 42 as Loose } }),
    'options.auth.jwtToken',
    /non-empty string/,
  ],
  [
    'plain http to a private address',
    () => createEdgeImpulseClient({ auth: { apiKey: 'k' }, baseUrl: 'http://10.0.0.5/v1' }),
    'options.baseUrl',
    /plain http:\/\/ to 10\.0\.0\.5 is refused/,
  ],
  [
    'a negative attempt timeout',
    () => createEdgeImpulseClient({ auth: { apiKey: 'k' }, timeoutMs: -1 }),
    'options.timeoutMs',
    /positive integer/,
  ],
  [
    'a retry count above 10',
    () => createEdgeImpulseClient({ auth: { apiKey: 'k' }, retry: { retries: 1000 } }),
    'options.retry.retries',
    /at most 10/,
  ],
  [
    'an unknown retry option',
    () => createEdgeImpulseClient({ auth: { apiKey: 'k' }, retry: { tries: 3 } as Loose }),
    'options.retry.tries',
    /unknown key/,
  ],

  [
    'projectId as a string',
    () => ei().clearMetadataByKey({ ...clear, projectId: '1' as Loose }),
    'projectId',
    /expected a positive integer/,
  ],
  [
    'projectId 0',
    () => ei().clearMetadataByKey({ ...clear, projectId: 0 }),
    'projectId',
    /got 0; expected a positive integer/,
  ],
  ['projectId 1.5', () => ei().clearMetadataByKey({ ...clear, projectId: 1.5 }), 'projectId', /got 1.5/],
  [
    'an unknown category',
    () => ei().clearMetadataByKey({ ...clear, category: 'archive' as Loose }),
    'category',
    /expected one of "training", "testing", "validation", "post-processing", "all"/,
  ],
  [
    'an empty metadataKey',
    () => ei().clearMetadataByKey({ ...clear, metadataKey: '' }),
    'metadataKey',
    /got an empty string/,
  ],
  [
    'a missing metadataKey',
    () => ei().clearMetadataByKey({ projectId: 1, category: 'all' } as Loose),
    'metadataKey',
    /got nothing; expected a non-empty string/,
  ],
  [
    'a metadataKey with CR/LF',
    () => ei().clearMetadataByKey({ ...clear, metadataKey: 'a\r\nb' }),
    'metadataKey',
    /control character/,
  ],
  [
    'a misspelt input key',
    () => ei().clearMetadataByKey({ ...clear, filters: {} } as Loose),
    'input.filters',
    /unknown key/,
  ],
  [
    'a bad filter',
    () => ei().clearMetadataByKey({ ...clear, filter: { ids: ['1'] as Loose } }),
    'filter.ids[0]',
    /non-negative integer/,
  ],
  ['a jobId as a string', () => ei().getJobStatus({ projectId: 1, jobId: '5' as Loose }), 'jobId', /integer/],
  [
    'a waitForJob timeout of 0',
    () => ei().waitForJob({ projectId: 1, jobId: 5, timeoutMs: 0 }),
    'timeoutMs',
    /positive integer/,
  ],
  [
    'no auth',
    () => createEdgeImpulseClient({} as Loose),
    'options.auth',
    /expected \{ apiKey \} or \{ jwtToken \} or \{ bearerToken \}/,
  ],
  [
    'two credentials',
    () => createEdgeImpulseClient({ auth: { apiKey: 'a', jwtToken: 'b' } as Loose }),
    'options.auth',
    /got the keys apiKey, jwtToken/,
  ],
  ['an empty API key', () => createEdgeImpulseClient({ auth: { apiKey: '' } }), 'options.auth.apiKey', /non-empty/],
  [
    'an API key with a line break',
    () => createEdgeImpulseClient({ auth: { apiKey: 'a\nb' } }),
    'options.auth.apiKey',
    /control character/,
  ],
  [
    'a header with a line break',
    () => createEdgeImpulseClient({ auth: { apiKey: 'a' }, headers: { 'x-a': 'b\r\nx-b: c' } }),
    'options.headers["x-a"]',
    /control character/,
  ],
  [
    'a header name with a space',
    () => createEdgeImpulseClient({ auth: { apiKey: 'a' }, headers: { 'x a': 'b' } }),
    'options.headers["x a"]',
    /valid HTTP header name/,
  ],
  [
    'plain http to a remote host',
    () => createOracleDocumentsClient({ baseUrl: 'http://tenant.example.com/documents/api/1.1' }),
    'options.baseUrl',
    /plain http:\/\/ to tenant.example.com is refused/,
  ],
  [
    'credentials in the base URL',
    () => createOracleDocumentsClient({ baseUrl: 'https://u:secret@tenant.example.com/x' }),
    'options.baseUrl',
    /contains credentials/,
  ],
  [
    'a malformed base URL',
    () => createOracleDocumentsClient({ baseUrl: 'tenant.example.com' }),
    'options.baseUrl',
    /not a valid URL/,
  ],
  [
    'a base URL with a query',
    () => createOracleDocumentsClient({ baseUrl: 'https://t.example.com/x?a=1' }),
    'options.baseUrl',
    /query or fragment/,
  ],
  [
    'an ftp base URL',
    () => createEdgeImpulseClient({ auth: { apiKey: 'a' }, baseUrl: 'ftp://t.example.com/' }),
    'options.baseUrl',
    /scheme ftp: is not supported/,
  ],
  [
    'Basic auth without a password',
    () => createOracleDocumentsClient({ baseUrl: 'https://t.example.com', auth: { username: 'u' } as Loose }),
    'options.auth',
    /expected \{ bearerToken \} or \{ username, password \}/,
  ],
  ['an empty fileId', () => oc().deleteFileMetadataValues({ ...del, fileId: '' }), 'fileId', /non-empty file GUID/],
  ['a fileId of ".."', () => oc().deleteFileMetadataValues({ ...del, fileId: '..' }), 'fileId', /got "\.\."/],
  [
    'a fileId with whitespace around it',
    () => oc().deleteFileMetadataValues({ ...del, fileId: ' F1 ' }),
    'fileId',
    /got " F1 "/,
  ],
  [
    'fields as a string',
    () => oc().deleteFileMetadataValues({ ...del, fields: 'A1,A2' as Loose }),
    'fields',
    /expected an array/,
  ],
  ['an empty fields list', () => oc().deleteFileMetadataValues({ ...del, fields: [] }), 'fields', /got an empty array/],
  [
    'a field name with a comma',
    () => oc().deleteFileMetadataValues({ ...del, fields: ['A1', 'A2,A3'] }),
    'fields[1]',
    /contains a comma/,
  ],
  [
    'an empty field name',
    () => oc().deleteFileMetadataValues({ ...del, fields: ['A1', ''] }),
    'fields[1]',
    /without commas/,
  ],
  [
    'a field name with spaces around it',
    () => oc().deleteFileMetadataValues({ ...del, fields: ['A1', ' A2'] }),
    'fields[1]',
    /got " A2"; expected a field name without leading or trailing whitespace/,
  ],
  ['an empty collection', () => oc().deleteFileMetadataValues({ ...del, collection: '' }), 'collection', /non-empty/],
  [
    'an applink without its token',
    () => oc().deleteFileMetadataValues({ ...del, appLink: { id: 'L' } as Loose }),
    'appLink.accessToken',
    /non-empty/,
  ],
  [
    'an applink token with CR/LF',
    () => oc().deleteFileMetadataValues({ ...del, appLink: { id: 'L', accessToken: 't\r\nx: y' } }),
    'appLink.accessToken',
    /control character/,
  ],
  [
    'no auth and no applink',
    () => createOracleDocumentsClient({ baseUrl: `${server.url}/documents/api/1.1` }).deleteFileMetadataValues(del),
    'appLink',
    /an applink when the client was created without auth/,
  ],
  [
    'a concurrency of 0',
    () => oc().deleteFileMetadataValuesMany([del], { concurrency: 0 }),
    'options.concurrency',
    /positive integer/,
  ],
];

describe('input is refused before any request', () => {
  it.each(cases)('%s', async (_name, call, field, message) => {
    let thrown: unknown;
    try {
      await call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).field).toBe(field);
    expect((thrown as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it('sends the request when the input is valid (so the cases above are refused for their own reason)', async () => {
    await expect(ei().clearMetadataByKey(clear)).resolves.toEqual({ status: 'done' });
    expect(server.requests).toHaveLength(1);
  });
});
