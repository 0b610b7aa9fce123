/**
 * The Oracle Content Management (REST API for Documents 1.1) API of the sandbox, mounted under
 * `/documents/api/1.1`: `DELETE /files/{fileId}/metadata` with a body `{ collection, fields }`
 * in JSON or XML. Errors are JSON `{ errorCode: "<status>", title, message }`.
 *
 * Sandbox behaviour the page does not describe:
 * - A collection that is not assigned to the file is answered with 200 and
 *   `{ idList, type: "file", errorCode: "-1", message }`, in the manner of Oracle's APIs, which
 *   report operation failures in `errorCode` ("0" is success).
 * - Field names in `fields` are trimmed; fields of the collection that hold no value are ignored.
 * - The answer is XML when the Accept header names application/xml before application/json.
 */
import { STATUS_CODES } from 'node:http';
import type { components } from '../../generated/oracle-documents/schema.js';
import { type ApiHandler, createApiHandler, type OperationHandler, type ValidRequest } from './api-handler.js';
import { findCredential, securityRequirements } from './auth.js';
import { type IncomingRequest, json, mediaType, type OutgoingResponse } from './http-exchange.js';
import { APPLINK_ROLES, type OracleFile, type OracleState } from './oracle-state.js';
import type { Credential } from './recorded-request.js';
import type { SpecValidator } from './validation.js';
import { formatFlatXml } from './xml.js';

type Schemas = components['schemas'];

export const ORACLE_BASE_PATH = '/documents/api/1.1';

/** The collection named in the request is not assigned to the file (sandbox behaviour). */
export const UNKNOWN_COLLECTION_ERROR_CODE = '-1';

const errorBody = (status: number, message: string) => ({
  errorCode: String(status),
  title: STATUS_CODES[status] ?? 'Error',
  message,
});

/** The applink headers, when both are present (the validator has refused an ID without a token). */
function appLinkOf(incoming: IncomingRequest): { id: string; accessToken: string } | undefined {
  const id = incoming.headers.applinkid;
  const accessToken = incoming.headers.accesstoken;
  return id !== undefined && accessToken !== undefined ? { id, accessToken } : undefined;
}

/** Owner or manager of the file, or holder of one of its applinks with contributor role or above. */
function mayResetValues(file: Readonly<OracleFile>, credential: Credential, incoming: IncomingRequest): boolean {
  const user = credential.scheme === 'applink' ? undefined : credential.identity;
  if (user !== undefined && (file.owner === user || file.managers.includes(user))) return true;
  const presented = appLinkOf(incoming);
  const link = presented && file.appLinks.find((l) => l.id === presented.id && l.accessToken === presented.accessToken);
  return link !== undefined && APPLINK_ROLES.indexOf(link.role) >= APPLINK_ROLES.indexOf('contributor');
}

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
  body: Schemas['FileCollectionResponse'] & { message?: string },
): OutgoingResponse {
  if (!prefersXml(incoming.headers.accept)) return json(200, body);
  return {
    status: 200,
    contentType: 'application/xml; charset=utf-8',
    body: formatFlatXml(xmlResponseRoot(request), body),
  };
}

export function createOracleApi(state: OracleState, validator: SpecValidator): ApiHandler {
  const deleteFileMetadataValues: OperationHandler = (request, credential, incoming) => {
    const fileId = request.params.fileId as string;
    const { collection, fields } = request.body as Schemas['FileDeleteValuesBody'];
    const file = state.liveFile(fileId);
    if (!file) return json(404, errorBody(404, `File ${fileId} not found`));
    if (!mayResetValues(file, credential, incoming)) {
      const who = credential.scheme === 'applink' ? `applink ${credential.identity}` : `user ${credential.identity}`;
      return json(
        403,
        errorBody(
          403,
          `${who} may not change metadata of file ${fileId}: it takes the owner, a manager, or an applink with the contributor role or above`,
        ),
      );
    }
    const names = fields.split(',').map((field) => field.trim());
    if (!state.resetFieldValues(fileId, collection, names)) {
      return answer(request, incoming, {
        idList: fileId,
        type: 'file',
        errorCode: UNKNOWN_COLLECTION_ERROR_CODE,
        message: `Collection ${collection} is not assigned to file ${fileId}`,
      });
    }
    return answer(request, incoming, { idList: fileId, type: 'file', errorCode: '0' });
  };

  return createApiHandler({
    api: 'oracle-documents',
    basePath: ORACLE_BASE_PATH,
    validator,
    errorBody,
    authenticate(request, incoming) {
      const user = findCredential(validator.securitySchemes, securityRequirements(request.operation), {
        headers: incoming.headers,
        cookies: request.cookies,
        query: request.query,
      });
      if (user) return user;
      // The spec's empty security requirement: a request authorized by an applink alone.
      const appLink = appLinkOf(incoming);
      if (appLink && appLink.id !== '' && appLink.accessToken !== '') {
        return { scheme: 'applink', source: 'headers appLinkID + accessToken', identity: appLink.id };
      }
      return json(
        401,
        errorBody(
          401,
          'Not authenticated: send Authorization: Basic or Bearer, or the appLinkID and accessToken headers',
        ),
        { 'www-authenticate': 'Basic realm="metaclear sandbox"' },
      );
    },
    operations: { deleteFileMetadataValues },
  });
}
