/**
 * metaclear/sandbox: one real HTTP server on 127.0.0.1 that serves both APIs metaclear covers,
 * validates every request against the bundled specs, and keeps in-memory state that tests seed
 * and inspect.
 *
 * ```ts
 * const sandbox = await startSandbox();
 * sandbox.edgeImpulse.addSamples(1, [{ id: 1, metadata: { site: 'a' } }]);
 * await fetch(`${sandbox.edgeImpulseBaseUrl}/api/1/raw-data/batch/clear-metadata-by-key?category=all`, {
 *   method: 'POST',
 *   headers: { 'x-api-key': 'ei_test', 'content-type': 'application/json' },
 *   body: JSON.stringify({ metadataKey: 'site' }),
 * });
 * sandbox.edgeImpulse.samples(1)[0]?.metadata; // {}
 * await sandbox.close();
 * ```
 */
import { createEdgeImpulseApi, EDGE_IMPULSE_BASE_PATH } from './edge-impulse.js';
import { EdgeImpulseState } from './edge-impulse-state.js';
import { createOracleApi, ORACLE_BASE_PATH } from './oracle.js';
import { OracleState } from './oracle-state.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import type { RecordedRequest } from './recorded-request.js';
import { startServer } from './server.js';
import { findPackageRoot, specPath } from './spec-files.js';
import { SpecValidator } from './validation.js';
import { ValidationWorker } from './validation-worker.js';

export type {
  AddOperation,
  ClearOperation,
  Job,
  Sample,
  SampleCategory,
  SampleDataType,
  SampleInput,
} from './edge-impulse-state.js';
export { EdgeImpulseState, SAMPLE_DEFAULTS } from './edge-impulse-state.js';
export { UNKNOWN_COLLECTION_ERROR_CODE } from './oracle.js';
export type {
  AppLinkRole,
  ErrorCodeForm,
  OracleAppLink,
  OracleFile,
  OracleFileInput,
  OracleFolder,
  OracleFolderInput,
  OracleUser,
} from './oracle-state.js';
export { APPLINK_ROLES, OracleState } from './oracle-state.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { Credential, RecordedRequest, SandboxApi } from './recorded-request.js';
export { findPackageRoot } from './spec-files.js';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Matching samples above which a clear-metadata request starts a job; default 50. */
  jobThreshold?: number;
  /**
   * Status requests a job takes: the jobPolls-th status request finishes it (clears the key, or
   * fails if armed with failNextJob) and reports it finished; earlier ones report it running.
   * 0 finishes jobs as they start. Default 3.
   */
  jobPolls?: number;
  /** Called with one line per request once it is answered (method, path, status, time, caller; never a secret). */
  log?: (line: string) => void;
  /** Answer 429 (or 503) with Retry-After to requests beyond this rate, as an API under load does. */
  rateLimit?: RateLimitOptions;
}

export interface Sandbox {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `${url}/v1` */
  edgeImpulseBaseUrl: string;
  /** `${url}/documents/api/1.1` */
  oracleBaseUrl: string;
  /** Seed and inspect Edge Impulse projects, samples and jobs. */
  edgeImpulse: EdgeImpulseState;
  /** Seed and inspect Oracle files, their metadata collections and applinks. */
  oracle: OracleState;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** Clears both states and the recorded requests (the objects above stay the same). */
  reset(): void;
  close(): Promise<void>;
}

function count(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return chosen;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const port = count('port', options.port, 0);
  const jobThreshold = count('jobThreshold', options.jobThreshold, 50);
  const jobPolls = count('jobPolls', options.jobPolls, 3);
  const rateLimiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined;

  const root = findPackageRoot();
  const worker = await ValidationWorker.start(root, {
    'edge-impulse': { specPath: specPath('edge-impulse', root), apiRoot: EDGE_IMPULSE_BASE_PATH },
    'oracle-documents': { specPath: specPath('oracle-documents', root), apiRoot: ORACLE_BASE_PATH },
  });
  const edgeImpulseSpec = new SpecValidator(worker, 'edge-impulse');
  const oracleSpec = new SpecValidator(worker, 'oracle-documents');
  const edgeImpulse = new EdgeImpulseState({ jobPolls });
  const oracle = new OracleState();
  const requests: RecordedRequest[] = [];
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(
      port,
      [createEdgeImpulseApi(edgeImpulse, edgeImpulseSpec, { jobThreshold }), createOracleApi(oracle, oracleSpec)],
      requests,
      { log: options.log, rateLimiter },
    );
  } catch (error) {
    await worker.close();
    throw error;
  }
  return {
    url: server.url,
    edgeImpulseBaseUrl: `${server.url}${EDGE_IMPULSE_BASE_PATH}`,
    oracleBaseUrl: `${server.url}${ORACLE_BASE_PATH}`,
    edgeImpulse,
    oracle,
    requests,
    reset() {
      edgeImpulse.reset();
      oracle.reset();
      requests.length = 0;
    },
    async close() {
      await server.close();
      await worker.close();
    },
  };
}
