/**
 * Pipeline step "types": turns a bundled spec into TypeScript types with openapi-typescript.
 *
 * openapiTS(), the package's entry, lints and bundles the document it is given once more, with
 * its own copy of @redocly/openapi-core, before it transforms anything. The document handed
 * over here was linted and bundled by the steps before, so this step calls the transform that
 * openapiTS() calls afterwards (the same function, with the context openapiTS() would build
 * from the options below), and loads neither that second Redocly core nor the package's ESM
 * entry: openapi-typescript and TypeScript are required as CommonJS, which spares Node's scan
 * of TypeScript's 9 MB of source for ESM export names (about 0.6 s).
 */
import { createRequire } from 'node:module';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';

type Node = unknown;
type Context = Record<string, unknown>;

interface Transform {
  transformSchema(schema: Record<string, unknown>, ctx: Context): Node[];
  scanDiscriminators(schema: Record<string, unknown>, options: object): unknown;
  resolveRef(schema: Record<string, unknown>, $ref: string, options: { silent: boolean }): unknown;
  astToString(ast: Node[]): string;
}

let loaded: Transform | undefined;

/** openapi-typescript's transform, from the CommonJS files of the installed version. */
function loadTransform(): Transform {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  // transform/index.cjs sets module.exports to the function itself.
  const transform = load('openapi-typescript/dist/transform/index.cjs') as unknown;
  const utils = load('openapi-typescript/dist/lib/utils.cjs') as Partial<Transform>;
  const ts = load('openapi-typescript/dist/lib/ts.cjs') as Partial<Transform>;
  const candidate = {
    transformSchema: typeof transform === 'function' ? transform : (transform as { default?: unknown }).default,
    scanDiscriminators: utils.scanDiscriminators,
    resolveRef: utils.resolveRef,
    astToString: ts.astToString,
  };
  const missing = Object.entries(candidate).filter(([, f]) => typeof f !== 'function');
  if (missing.length > 0) {
    throw new PipelineError('openapi-typescript: the installed version does not have the files this step calls', {
      reason: `expected ${missing.map(([name]) => name).join(', ')} in dist/ (as in openapi-typescript 7.x)`,
    });
  }
  loaded = candidate as Transform;
  return loaded;
}

/**
 * The context openapiTS() builds for `{ silent: true }` and no other option (openapi-typescript
 * 7.x, src/index.ts): every option at its default.
 */
function defaultContext(schema: Record<string, unknown>, t: Transform): Context {
  return {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: t.scanDiscriminators(schema, { silent: true }),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined,
    silent: true,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref: string) => t.resolveRef(schema, $ref, { silent: true }),
  };
}

/**
 * The types of a bundled spec. The transform may annotate the document it reads: pass one that
 * is not used afterwards (the pipeline serializes the bundle first).
 */
export function generateTypes(api: Api, bundled: Record<string, unknown>): string {
  const t = loadTransform();
  try {
    return t.astToString(t.transformSchema(bundled, defaultContext(bundled, t)));
  } catch (error) {
    throw new PipelineError(`${api.name}: openapi-typescript failed`, { reason: (error as Error).message });
  }
}
