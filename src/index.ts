/**
 * metaclear: typed access to the two metadata-clearing operations it covers.
 * The types are generated from the bundled specs under generated/ by `npm run generate`.
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
