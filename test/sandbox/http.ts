/** Plain-fetch helpers for the sandbox tests: one call per operation, answers parsed. */
import type { Sandbox } from '../../src/sandbox/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

export const EI_AUTH = { 'x-api-key': 'ei_test_key' } as const;
export const JSON_TYPE = { 'content-type': 'application/json' } as const;

export function basic(user: string, password = 'secret'): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/** POST .../api/{projectId}/raw-data/batch/clear-metadata-by-key?{query} */
export function clearMetadata(
  sandbox: Pick<Sandbox, 'edgeImpulseBaseUrl'>,
  projectId: number | string,
  query: Record<string, string>,
  options: { body?: string | undefined; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const search = new URLSearchParams(query).toString();
  const url = `${sandbox.edgeImpulseBaseUrl}/api/${projectId}/raw-data/batch/clear-metadata-by-key${search ? `?${search}` : ''}`;
  const body = 'body' in options ? options.body : JSON.stringify({ metadataKey: 'k' });
  return send(url, {
    method: 'POST',
    headers: options.headers ?? { ...EI_AUTH, ...JSON_TYPE },
    ...(body === undefined ? {} : { body }),
  });
}

/** GET .../api/{projectId}/jobs/{jobId}/status */
export function jobStatus(
  sandbox: Pick<Sandbox, 'edgeImpulseBaseUrl'>,
  projectId: number | string,
  jobId: number | string,
  headers: Record<string, string> = EI_AUTH,
): Promise<Answer> {
  return send(`${sandbox.edgeImpulseBaseUrl}/api/${projectId}/jobs/${jobId}/status`, { headers });
}

/** DELETE .../files/{fileSegment}/metadata; `fileSegment` goes into the path as given (encode it first). */
export function deleteMetadata(
  sandbox: Pick<Sandbox, 'oracleBaseUrl'>,
  fileSegment: string,
  body: string | undefined,
  headers: Record<string, string>,
): Promise<Answer> {
  return send(`${sandbox.oracleBaseUrl}/files/${fileSegment}/metadata`, {
    method: 'DELETE',
    headers,
    ...(body === undefined ? {} : { body }),
  });
}
