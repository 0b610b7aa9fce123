/**
 * Authentication (401) and, for Oracle, authorization on the file (403). Any non-empty credential
 * authenticates, until Oracle users are registered: then their passwords and tokens are checked;
 * the recorded request says which one arrived.
 */
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { basic, clearMetadata, deleteMetadata, JSON_TYPE, jobStatus } from './http.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { k: 'v' } }]);
});

const last = () => sandbox.requests[sandbox.requests.length - 1];

describe('Edge Impulse authentication', () => {
  it.each<[string, Record<string, string>, { scheme: string; source: string; identity: string }]>([
    [
      'an x-api-key header',
      { 'x-api-key': 'ei_abc' },
      { scheme: 'ApiKeyAuthentication', source: 'header x-api-key', identity: 'ei_abc' },
    ],
    [
      'an x-jwt-token header',
      { 'x-jwt-token': 'jwt.1' },
      { scheme: 'JWTHttpHeaderAuthentication', source: 'header x-jwt-token', identity: 'jwt.1' },
    ],
    [
      'a jwt cookie',
      { cookie: 'theme=dark; jwt=jwt.2' },
      { scheme: 'JWTAuthentication', source: 'cookie jwt', identity: 'jwt.2' },
    ],
    [
      'a bearer token',
      { authorization: 'Bearer oauth-token' },
      { scheme: 'OAuth2', source: 'header authorization (Bearer)', identity: 'oauth-token' },
    ],
  ])('accepts %s and records it', async (_name, headers, credential) => {
    const answer = await clearMetadata(sandbox, 1, { category: 'all' }, { headers: { ...headers, ...JSON_TYPE } });
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
    expect(last()?.credential).toEqual(credential);
    expect(sandbox.edgeImpulse.sample(1, 1)?.metadata).toEqual({});
  });

  it.each<[string, Record<string, string>]>([
    ['no credential', {}],
    ['an empty x-api-key', { 'x-api-key': '' }],
    ['HTTP Basic, which Edge Impulse does not take', { authorization: basic('alice') }],
    ['a cookie without jwt', { cookie: 'session=1' }],
    ['an empty bearer token', { authorization: 'Bearer ' }],
  ])('answers %s with 401 and changes nothing', async (_name, headers) => {
    const answer = await clearMetadata(sandbox, 1, { category: 'all' }, { headers: { ...headers, ...JSON_TYPE } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ success: false, error: expect.stringContaining('x-api-key') });
    expect(sandbox.edgeImpulse.sample(1, 1)?.metadata).toEqual({ k: 'v' });
    expect(last()?.credential).toBeUndefined();
  });

  it('requires credentials for the job status too', async () => {
    const answer = await jobStatus(sandbox, 1, 1, {});
    expect(answer).toMatchObject({ status: 401, body: { success: false } });
  });
});

describe('Oracle authentication and permissions', () => {
  const FILE = 'F0000000000000000000000000000000000000000001';
  const LINK = { id: 'LF5Bxj4TPo', accessToken: '352FpiMmW66P' };
  const BODY = JSON.stringify({ collection: 'CollectionA', fields: 'A1' });
  const LINK_HEADERS = { appLinkID: LINK.id, accessToken: LINK.accessToken };

  beforeEach(() => {
    sandbox.oracle.addFile({
      id: FILE,
      owner: 'alice',
      managers: ['mallory-the-manager'],
      collections: { CollectionA: { A1: 'x' } },
      appLinks: [
        { ...LINK, role: 'contributor' },
        { id: 'viewer-link', accessToken: 'viewer-token', role: 'viewer' },
        { id: 'downloader-link', accessToken: 'downloader-token', role: 'downloader' },
        { id: 'manager-link', accessToken: 'manager-token', role: 'manager' },
      ],
    });
  });

  it.each<[string, Record<string, string>, { scheme: string; identity: string }]>([
    ['the owner with HTTP Basic', { authorization: basic('alice', 'pw') }, { scheme: 'basicAuth', identity: 'alice' }],
    ['the owner with a bearer token', { authorization: 'Bearer alice' }, { scheme: 'bearerAuth', identity: 'alice' }],
    [
      'a manager',
      { authorization: basic('mallory-the-manager') },
      { scheme: 'basicAuth', identity: 'mallory-the-manager' },
    ],
    [
      'a contributor applink alone',
      { appLinkID: LINK.id, accessToken: LINK.accessToken },
      { scheme: 'applink', identity: LINK.id },
    ],
    [
      'a manager applink',
      { AppLinkID: 'manager-link', AccessToken: 'manager-token' },
      { scheme: 'applink', identity: 'manager-link' },
    ],
    [
      'another user holding a contributor applink',
      { authorization: basic('bob'), appLinkID: LINK.id, accessToken: LINK.accessToken },
      { scheme: 'basicAuth', identity: 'bob' },
    ],
  ])('lets %s reset values', async (_name, headers, credential) => {
    const answer = await deleteMetadata(sandbox, FILE, BODY, { ...headers, ...JSON_TYPE });
    expect(answer).toMatchObject({ status: 200, body: { errorCode: '0' } });
    expect(last()?.credential).toMatchObject(credential);
    expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({});
  });

  it.each<[string, Record<string, string>]>([
    ['another user', { authorization: basic('bob') }],
    ['a bearer token of another user', { authorization: 'Bearer bob' }],
    ['a viewer applink', { appLinkID: 'viewer-link', accessToken: 'viewer-token' }],
    ['a downloader applink', { appLinkID: 'downloader-link', accessToken: 'downloader-token' }],
    ['an applink of another file', { appLinkID: 'unknown-link', accessToken: 'x' }],
  ])('answers %s with 403, errorCode -20, and changes nothing', async (_name, headers) => {
    const answer = await deleteMetadata(sandbox, FILE, BODY, { ...headers, ...JSON_TYPE });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      errorCode: '-20',
      errorKey: 'sandbox.insufficientPrivileges',
      errorMessage: expect.stringContaining('may not change metadata'),
    });
    expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({ A1: 'x' });
  });

  describe('applink access tokens', () => {
    const expired = {
      errorCode: '-26',
      errorKey: 'sandbox.linkInvalidOrExpired',
      errorMessage: `The access token of applink ${LINK.id} is invalid or has expired`,
    };

    it("answers a token that is not the applink's with 400, errorCode -26, and changes nothing", async () => {
      const answer = await deleteMetadata(sandbox, FILE, BODY, {
        appLinkID: LINK.id,
        accessToken: 'wrong',
        ...JSON_TYPE,
      });
      expect(answer).toMatchObject({ status: 400, body: expired });
      expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({ A1: 'x' });
    });

    it("answers an expired token with 400 and errorCode -26, even beside the owner's credential", async () => {
      sandbox.oracle.expireAppLinkToken(LINK.id);
      for (const extra of [{}, { authorization: basic('alice') }]) {
        const answer = await deleteMetadata(sandbox, FILE, BODY, { ...LINK_HEADERS, ...extra, ...JSON_TYPE });
        expect(answer).toMatchObject({ status: 400, body: expired });
      }
      expect(sandbox.oracle.file(FILE)?.appLinks[0]).toMatchObject({ id: LINK.id, expired: true });
      expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({ A1: 'x' });
    });

    it('takes the renewed token, and no longer the old one', async () => {
      sandbox.oracle.expireAppLinkToken(LINK.id);
      const token = sandbox.oracle.renewAppLinkToken(LINK.id);
      expect(token).not.toBe(LINK.accessToken);
      const old = await deleteMetadata(sandbox, FILE, BODY, { ...LINK_HEADERS, ...JSON_TYPE });
      expect(old).toMatchObject({ status: 400, body: { errorCode: '-26' } });
      const renewed = await deleteMetadata(sandbox, FILE, BODY, {
        appLinkID: LINK.id,
        accessToken: token,
        ...JSON_TYPE,
      });
      expect(renewed).toMatchObject({ status: 200, body: { errorCode: '0' } });
      expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({});
    });

    it('refuses to expire or renew an applink it does not have', () => {
      expect(() => sandbox.oracle.expireAppLinkToken('no-such-link')).toThrow(
        'the sandbox has no applink no-such-link',
      );
      expect(() => sandbox.oracle.renewAppLinkToken('no-such-link')).toThrow('the sandbox has no applink no-such-link');
    });
  });

  it.each<[string, Record<string, string>]>([
    ['no credential', {}],
    ['an accessToken without appLinkID', { accessToken: LINK.accessToken }],
    ['an unknown Authorization scheme', { authorization: 'Digest username="alice"' }],
  ])('answers %s with 401', async (_name, headers) => {
    const answer = await deleteMetadata(sandbox, FILE, BODY, { ...headers, ...JSON_TYPE });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(answer.body).toEqual({
      errorCode: '-1',
      errorKey: 'sandbox.general',
      errorMessage: expect.stringMatching(/^Not authenticated/),
    });
    expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({ A1: 'x' });
  });

  it('records the applink headers as received (names lower-cased)', async () => {
    await deleteMetadata(sandbox, FILE, BODY, { AppLinkID: LINK.id, AccessToken: LINK.accessToken, ...JSON_TYPE });
    expect(last()?.headers).toMatchObject({ applinkid: LINK.id, accesstoken: LINK.accessToken });
    expect(last()?.credential).toEqual({
      scheme: 'applink',
      source: 'headers appLinkID + accessToken',
      identity: LINK.id,
    });
  });
});

describe('Oracle users with passwords (oracle.addUser): credentials checked as the service checks them', () => {
  const FILE = 'F-users';
  const BODY = JSON.stringify({ collection: 'CollectionA', fields: 'A1' });
  beforeEach(() => {
    sandbox.oracle.addUser({ name: 'alice', password: 'alice-pw', bearerToken: 'alice-token' });
    sandbox.oracle.addFile({ id: FILE, owner: 'alice', collections: { CollectionA: { A1: 'x' } } });
  });

  it.each<[string, Record<string, string>, { scheme: string; identity: string }]>([
    ['her password', { authorization: basic('alice', 'alice-pw') }, { scheme: 'basicAuth', identity: 'alice' }],
    ['her bearer token', { authorization: 'Bearer alice-token' }, { scheme: 'bearerAuth', identity: 'alice' }],
  ])('lets the owner in with %s', async (_name, headers, credential) => {
    const answer = await deleteMetadata(sandbox, FILE, BODY, { ...headers, ...JSON_TYPE });
    expect(answer).toMatchObject({ status: 200, body: { errorCode: '0' } });
    expect(last()?.credential).toMatchObject(credential);
    expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({});
  });

  it.each<[string, Record<string, string>]>([
    ['a wrong password', { authorization: basic('alice', 'not-her-password') }],
    ['an unknown user', { authorization: basic('bob', 'alice-pw') }],
    ['an unknown bearer token', { authorization: 'Bearer alice' }],
  ])('answers %s with 401 (as the service does) and changes nothing', async (_name, headers) => {
    const answer = await deleteMetadata(sandbox, FILE, BODY, { ...headers, ...JSON_TYPE });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(answer.body).toEqual({
      errorCode: '-1',
      errorKey: 'sandbox.general',
      errorMessage: expect.stringMatching(/^Not authenticated: /),
    });
    expect(sandbox.oracle.file(FILE)?.collections.CollectionA).toEqual({ A1: 'x' });
  });

  it('reset() forgets the users: any non-empty credential authenticates again', async () => {
    sandbox.reset();
    sandbox.oracle.addFile({ id: FILE, owner: 'alice', collections: { CollectionA: { A1: 'x' } } });
    const answer = await deleteMetadata(sandbox, FILE, BODY, {
      authorization: basic('alice', 'anything'),
      ...JSON_TYPE,
    });
    expect(answer.status).toBe(200);
  });
});
