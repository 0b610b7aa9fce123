/**
 * openapi-fetch's createClient, whichever build of metaclear runs. openapi-fetch has only a
 * default export; the CommonJS build (esbuild, Node interop) receives its whole CommonJS
 * module object as that default, whose own `default` is the function.
 */
import * as openapiFetch from 'openapi-fetch';

type CreateClient = typeof openapiFetch.default;
const imported = openapiFetch.default as CreateClient | { default: CreateClient };

export const createClient: CreateClient = typeof imported === 'function' ? imported : imported.default;
