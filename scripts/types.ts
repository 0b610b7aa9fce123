/**
 * Pipeline step "types": turns a bundled spec into TypeScript types with openapi-typescript's
 * public API: `transformSchema`, `scanDiscriminators`, `resolveRef` and `astToString`, exported
 * by the package's entry.
 *
 * openapiTS(), the package's main function, lints and bundles the document it is given once
 * more before it calls transformSchema. The document handed over here was linted and bundled
 * by the steps before, so this step calls transformSchema itself, with the context openapiTS()
 * builds for `{ silent: true }`. That context is typed as the package's exported
 * `GlobalContext`, so an option a new release adds fails `npm run typecheck`, and
 * test/scripts/types.test.ts checks that the text is the one openapiTS() gives, on the
 * project's specs and on specs that use what they do not: a release whose defaults or
 * transform change fails there rather than changing generated/ silently.
 *
 * The package is required as CommonJS (its `require` entry), which spares Node's scan of
 * TypeScript's 9 MB of source for ESM export names (about 0.6 s).
 */
import { createRequire } from 'node:module';
import type * as OpenapiTypescript from 'openapi-typescript';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';

type Package = typeof OpenapiTypescript;
type GlobalContext = OpenapiTypescript.GlobalContext;
type Document = Parameters<Package['transformSchema']>[0];

let loaded: Package | undefined;

/** openapi-typescript's public entry, as CommonJS. */
function loadPackage(): Package {
  if (loaded) return loaded;
  const candidate = createRequire(import.meta.url)('openapi-typescript') as Partial<Package>;
  const needed = ['transformSchema', 'scanDiscriminators', 'resolveRef', 'astToString'] as const;
  const missing = needed.filter((name) => typeof candidate[name] !== 'function');
  if (missing.length > 0) {
    throw new PipelineError('openapi-typescript: the installed version does not export what this step calls', {
      reason: `expected ${missing.join(', ')} among its exports (as in openapi-typescript 7.x)`,
    });
  }
  loaded = candidate as Package;
  return loaded;
}

/**
 * The context openapiTS() builds for `{ silent: true }` and no other option (openapi-typescript
 * 7.x, src/index.ts): every option at its default. `redoc` (the Redocly config openapiTS()
 * loaded for its own lint and bundle) is not used by the transform.
 */
function defaultContext(schema: Document, t: Package): GlobalContext {
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
    redoc: undefined as unknown as GlobalContext['redoc'],
    silent: true,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: <T>($ref: string) => t.resolveRef<T>(schema, $ref, { silent: true }),
  };
}

/**
 * The types of a bundled spec. The transform may annotate the document it reads: pass one that
 * is not used afterwards (the pipeline serializes the bundle first).
 */
export function generateTypes(api: Api, bundled: Record<string, unknown>): string {
  const t = loadPackage();
  const schema = bundled as unknown as Document;
  try {
    return t.astToString(t.transformSchema(schema, defaultContext(schema, t)));
  } catch (error) {
    throw new PipelineError(`${api.name}: openapi-typescript failed`, { reason: (error as Error).message });
  }
}
