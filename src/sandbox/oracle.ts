/**
 * The Oracle Content Management (REST API for Documents 1.1) API of the sandbox, mounted under
 * `/documents/api/1.1`: `DELETE /files/{fileId}/metadata` with a body `{ collection, fields }`
 * in JSON or XML; `GET /files/{fileId}/metadata?directAssigned=1|0` (the file's own values, or
 * with those it inherits from its folders); `POST /files/{fileId}/metadata` (assign values);
 * `PUT /applinks/token` (a new access token for the applink's refresh token).
 *
 * Errors are Oracle's error body, exactly `{ errorCode, errorKey, errorMessage }`, with the codes
 * of Oracle's "Error Messages" page: -16 (404, unknown file), -20 (403, insufficient privileges),
 * -26 (400, an applink whose access token is invalid or has expired), -1 for anything else
 * (400 invalid request, 401, 405, 415, 500). The errorKey values are the sandbox's own names.
 * errorCode is a JSON string (Oracle's examples) unless `oracle.answerErrorCodesAs('number')`.
 *
 * Sandbox behaviour the page does not describe:
 * - A collection that is not assigned to the file is answered with 200 and
 *   `{ idList, type: "file", errorCode: "-1", errorMessage }`, in the manner of Oracle's APIs,
 *   which report operation failures in errorCode (0 is success).
 * - Field names in `fields` are trimmed; fields of the collection that hold no value are ignored.
 * - The answer is XML when the Accept header names application/xml before application/json.
 * - Reading values takes read permission: the owner, a manager, or any valid applink of the file
 *   (viewer and above); assigning takes what deleting takes. `directAssigned` absent reads as 0
 *   (inherited values included); a value other than 0 or 1 is refused with -1.
 * - An assign body names its fields in the collection form (`collection` plus field names, taken
 *   as they are) or the qualified form (`<collection>.<field>`, split at the last dot, so a field
 *   name has no dot there). Only string values are stored; any other value is refused with -1, as
 *   is a body with no field. A collection not assigned to the file is answered as for the DELETE.
 * - A refresh needs the applink's current access token (expired or not) and its refresh token;
 *   anything else is refused with 400 and -26. The old access token stops working.
 */
import type { components } from '../../generated/oracle-documents/schema.js';
import { type ApiHandler, createApiHandler, type OperationHandler, type ValidRequest } from './api-handler.js';
import { findCredential, presentedSecret, securityRequirements } from './auth.js';
import { type IncomingRequest, json, mediaType, type OutgoingResponse } from './http-exchange.js';
import { APPLINK_ROLES, type OracleFile, type OracleState } from './oracle-state.js';
import type { Credential } from './recorded-request.js';
import type { SpecValidator } from './validation.js';
import { formatFlatXml } from './xml.js';

type Schemas = components['schemas'];

export const ORACLE_BASE_PATH = '/documents/api/1.1';

/** The collection named in the request is not assigned to the file (sandbox behaviour): Oracle's general error. */
export const UNKNOWN_COLLECTION_ERROR_CODE = '-1';

/** Oracle's documented error codes ("Error Messages"), with the sandbox's keys for them. */
export const ORACLE_ERRORS = {
  general: { code: -1, key: 'sandbox.general' },
  notFound: { code: -16, key: 'sandbox.itemNotFound' },
  insufficientPrivileges: { code: -20, key: 'sandbox.insufficientPrivileges' },
  linkInvalidOrExpired: { code: -26, key: 'sandbox.linkInvalidOrExpired' },
} as const;

type OracleErrorKind = keyof typeof ORACLE_ERRORS;

const KIND_BY_STATUS: Record<number, OracleErrorKind> = { 403: 'insufficientPrivileges', 404: 'notFound' };

/** errorCode in the form the state asks for. */
const codeOf = (state: OracleState, code: number): number | string =>
  state.errorCodeForm === 'number' ? code : String(code);

function oracleError(state: OracleState, kind: OracleErrorKind, message: string): Schemas['ErrorResponse'] {
  const { code, key } = ORACLE_ERRORS[kind];
  return { errorCode: codeOf(state, code), errorKey: key, errorMessage: message };
}

/** The applink headers, when both are present (the validator has refused an ID without a token). */
function appLinkOf(incoming: IncomingRequest): { id: string; accessToken: string } | undefined {
  const id = incoming.headers.applinkid;
  const accessToken = incoming.headers.accesstoken;
  return id !== undefined && accessToken !== undefined ? { id, accessToken } : undefined;
}

const isOwnerOrManager = (file: Readonly<OracleFile>, credential: Credential): boolean =>
  credential.scheme !== 'applink' &&
  (file.owner === credential.identity || file.managers.includes(credential.identity));

function prefersXml(accept: string | undefined): boolean {
  for (const entry of (accept ?? '').split(',')) {
    const type = mediaType(entry);
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return false;
    if (type === 'application/xml' || type === 'text/xml') return true;
  }
  return false;
}

/** The root element name the spec gives the 200 response in XML. */
const xmlResponseRoot = (request: ValidRequest): string => request.operation.responseXmlNames['200'] ?? 'response';

function answer(
  request: ValidRequest,
  incoming: IncomingRequest,
  body: Schemas['FileCollectionResponse'] & { errorMessage?: string },
): OutgoingResponse {
  if (!prefersXml(incoming.headers.accept)) return json(200, body);
  const fields = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
  return {
    status: 200,
    contentType: 'application/xml; charset=utf-8',
    body: formatFlatXml(xmlResponseRoot(request), fields),
  };
}

/** A field's place in an assign body: `{ collection, <field> }` or `{ "<collection>.<field>" }`. */
function assignedFields(body: Record<string, unknown>): { collection: string; field: string; value: unknown }[] {
  const { collection, ...rest } = body;
  if (typeof collection === 'string') {
    return Object.entries(rest).map(([field, value]) => ({ collection, field, value }));
  }
  return Object.entries(body).map(([name, value]) => {
    const dot = name.lastIndexOf('.');
    return dot <= 0
      ? { collection: '', field: name, value }
      : { collection: name.slice(0, dot), field: name.slice(dot + 1), value };
  });
}

const invalidLink = (state: OracleState, id: string): OutgoingResponse =>
  json(400, oracleError(state, 'linkInvalidOrExpired', `The access token of applink ${id} is invalid or has expired`));

export function createOracleApi(state: OracleState, validator: SpecValidator): ApiHandler {
  /**
   * The file the request is for, when the caller may read it (`read`) or change its metadata
   * (`write`): else the answer that refuses it (404, 400 -26, 403).
   */
  function access(
    request: ValidRequest,
    credential: Credential,
    incoming: IncomingRequest,
    need: 'read' | 'write',
  ): Readonly<OracleFile> | OutgoingResponse {
    const fileId = request.params.fileId as string;
    const file = state.liveFile(fileId);
    if (!file) return json(404, oracleError(state, 'notFound', `File ${fileId} not found`));
    const link = state.checkAppLink(fileId, appLinkOf(incoming));
    if (link === 'invalid-or-expired') return invalidLink(state, appLinkOf(incoming)?.id ?? '');
    const weakest = need === 'read' ? 'viewer' : 'contributor';
    const linkAllows = typeof link === 'object' && APPLINK_ROLES.indexOf(link.role) >= APPLINK_ROLES.indexOf(weakest);
    if (isOwnerOrManager(file, credential) || linkAllows) return file;
    const who = credential.scheme === 'applink' ? `applink ${credential.identity}` : `user ${credential.identity}`;
    const what = need === 'read' ? 'read metadata of' : 'change metadata of';
    return json(
      403,
      oracleError(
        state,
        'insufficientPrivileges',
        `${who} may not ${what} file ${fileId}: it takes the owner, a manager, or an applink with the ${weakest} role or above`,
      ),
    );
  }

  const notAssigned = (request: ValidRequest, incoming: IncomingRequest, fileId: string, collection: string) =>
    answer(request, incoming, {
      idList: fileId,
      type: 'file',
      errorCode: codeOf(state, Number(UNKNOWN_COLLECTION_ERROR_CODE)),
      errorMessage: `Collection ${collection} is not assigned to file ${fileId}`,
    });

  const getFileMetadataCollection: OperationHandler = (request, credential, incoming) => {
    const file = access(request, credential, incoming, 'read');
    if ('status' in file) return file;
    const directAssigned = (request.query.directAssigned as string | undefined) ?? '0';
    if (directAssigned !== '0' && directAssigned !== '1') {
      return json(
        400,
        oracleError(state, 'general', `directAssigned must be 0 or 1, got ${JSON.stringify(directAssigned)}`),
      );
    }
    const body: Schemas['FileGetCollectionResponse'] = {
      idList: file.id,
      type: 'file',
      errorCode: codeOf(state, 0),
      metadata: state.valuesOf(file.id, directAssigned === '1') ?? {},
    };
    return json(200, body);
  };

  const assignFileMetadataValues: OperationHandler = (request, credential, incoming) => {
    const file = access(request, credential, incoming, 'write');
    if ('status' in file) return file;
    const assigned = assignedFields(request.body as Record<string, unknown>);
    if (assigned.length === 0) return json(400, oracleError(state, 'general', 'The body assigns no field'));
    const byCollection = new Map<string, Record<string, string>>();
    for (const { collection, field, value } of assigned) {
      if (collection === '' || field === '') {
        return json(
          400,
          oracleError(state, 'general', `${field}: expected <collection>.<field> without a collection property`),
        );
      }
      if (typeof value !== 'string') {
        return json(
          400,
          oracleError(state, 'general', `${collection}.${field}: the sandbox stores string values only`),
        );
      }
      const fields = byCollection.get(collection) ?? {};
      fields[field] = value;
      byCollection.set(collection, fields);
    }
    for (const collection of byCollection.keys()) {
      if (!Object.hasOwn(file.collections, collection)) return notAssigned(request, incoming, file.id, collection);
    }
    for (const [collection, fields] of byCollection) state.assignFieldValues(file.id, collection, fields);
    return answer(request, incoming, { idList: file.id, type: 'file', errorCode: codeOf(state, 0) });
  };

  const refreshAppLinkToken: OperationHandler = (_request, _credential, incoming) => {
    const id = incoming.headers.applinkid ?? '';
    const refresh = state.refreshAppLink(id, incoming.headers.accesstoken ?? '', incoming.headers.refreshtoken ?? '');
    if ('refused' in refresh) {
      return refresh.refused === 'unknown-applink'
        ? json(400, oracleError(state, 'linkInvalidOrExpired', `No applink ${id}`))
        : json(
            400,
            oracleError(
              state,
              'linkInvalidOrExpired',
              `The access or refresh token of applink ${id} is invalid or has expired`,
            ),
          );
    }
    const body: Schemas['ApplinkTokenResponse'] = {
      accessToken: refresh.accessToken,
      type: 'applink',
      errorCode: codeOf(state, 0),
    };
    return json(200, body);
  };

  const deleteFileMetadataValues: OperationHandler = (request, credential, incoming) => {
    const fileId = request.params.fileId as string;
    const { collection, fields } = request.body as Schemas['FileDeleteValuesBody'];
    const file = access(request, credential, incoming, 'write');
    if ('status' in file) return file;
    const names = fields.split(',').map((field) => field.trim());
    if (!state.resetFieldValues(fileId, collection, names)) return notAssigned(request, incoming, fileId, collection);
    return answer(request, incoming, { idList: fileId, type: 'file', errorCode: codeOf(state, 0) });
  };

  return createApiHandler({
    api: 'oracle-documents',
    basePath: ORACLE_BASE_PATH,
    validator,
    errorBody: (status, message) => oracleError(state, KIND_BY_STATUS[status] ?? 'general', message),
    authenticate(request, incoming) {
      const user = findCredential(validator.securitySchemes, securityRequirements(request.operation), {
        headers: incoming.headers,
        cookies: request.cookies,
        query: request.query,
      });
      const refuse = (message: string) =>
        json(401, oracleError(state, 'general', `Not authenticated: ${message}`), {
          'www-authenticate': 'Basic realm="metaclear sandbox"',
        });
      if (user) {
        // Once users are registered (oracle.addUser), a password or token is checked as the service does.
        const secret = presentedSecret(user, incoming.headers);
        const checked = secret === undefined ? 'unchecked' : state.checkUser(secret);
        if (checked === 'refused') {
          return refuse(
            'token' in (secret ?? {}) ? 'the bearer token is not valid' : 'the user name or password is wrong',
          );
        }
        return checked === 'unchecked' ? user : { ...user, identity: checked.user };
      }
      // The spec's empty security requirement: a request authorized by an applink alone.
      const appLink = appLinkOf(incoming);
      if (appLink && appLink.id !== '' && appLink.accessToken !== '') {
        return { scheme: 'applink', source: 'headers appLinkID + accessToken', identity: appLink.id };
      }
      return refuse('send Authorization: Basic or Bearer, or the appLinkID and accessToken headers');
    },
    operations: { deleteFileMetadataValues, getFileMetadataCollection, assignFileMetadataValues, refreshAppLinkToken },
  });
}
