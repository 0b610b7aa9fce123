/**
 * metaclear: typed clients for clearing metadata in the Edge Impulse API and the Oracle
 * Content Management REST API for Documents 1.1. Request and response types come from the
 * bundled specs under generated/ (`npm run generate`).
 */

export type {
  components as EdgeImpulseComponents,
  operations as EdgeImpulseOperations,
  paths as EdgeImpulsePaths,
} from '../generated/edge-impulse/schema.js';
export type {
  components as OracleDocumentsComponents,
  operations as OracleDocumentsOperations,
  paths as OracleDocumentsPaths,
} from '../generated/oracle-documents/schema.js';
export type { CallOptions, CommonClientOptions } from './core/client.js';
export {
  AnswerTooLargeError,
  ApiError,
  AttemptTimeoutError,
  ConnectionError,
  isApiError,
  isMetaclearError,
  isNetworkError,
  isValidationError,
  MetaclearError,
  NetworkError,
  RedirectRefusedError,
  UndecodableAnswerError,
  ValidationError,
} from './core/errors.js';
export type { RetryOptions } from './core/retry.js';
export type { RetryListener } from './core/transport.js';
export {
  type AddMetadataInput,
  type AddMetadataResult,
  type ClearMetadataByKeyInput,
  type ClearMetadataResult,
  type CountSamplesInput,
  createEdgeImpulseClient,
  EDGE_IMPULSE_BASE_URL,
  type EdgeImpulseAuth,
  type EdgeImpulseClient,
  type EdgeImpulseClientOptions,
  type JobRef,
  type ListSamplesInput,
  type Sample,
  type SamplePage,
} from './edge-impulse/client.js';
export type {
  MetadataFilter,
  MetadataRule,
  RawDataCategory,
  ReadFilter,
  SampleCategory,
  SampleFilter,
} from './edge-impulse/filters.js';
export { type Job, JobFailedError, JobTimeoutError, type PollOptions } from './edge-impulse/jobs.js';
export {
  type ClearPreview,
  type KeyedSample,
  type KeySelection,
  previewClearMetadata,
  type SelectionPage,
  selectedPages,
} from './edge-impulse/preview.js';
export {
  type AppLink,
  type AppLinkRequest,
  type AppLinkSource,
  type AssignFileMetadataValuesInput,
  createOracleDocumentsClient,
  type DeleteFileMetadataValuesInput,
  type DeleteManyItem,
  type FieldValue,
  type FileCollectionResponse,
  type FileGetCollectionResponse,
  type GetFileMetadataCollectionInput,
  type OracleDocumentsAuth,
  type OracleDocumentsClient,
  type OracleDocumentsClientOptions,
  type RefreshAppLinkTokenInput,
} from './oracle-documents/client.js';
export {
  type AdaptiveOptions,
  CancelledError,
  type ConcurrencyChange,
  type IndexedResult,
  type ManyClock,
  type ManyOptions,
  type ManyProgress,
  type ManyResult,
  type ManyStream,
  runMany,
  streamMany,
} from './oracle-documents/many.js';
export {
  type DeletePreview,
  type FieldsSelection,
  type FilePreview,
  type OwnValues,
  type PreviewOptions,
  previewDeleteFileMetadataValues,
  type ReadOwnValuesInput,
  type RestoreFileInput,
  type RestoreOutcome,
  readOwnValues,
  restoreFileMetadataValues,
} from './oracle-documents/values.js';
