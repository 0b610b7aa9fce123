/** Pipeline step "types": turns a bundled spec into TypeScript types with openapi-typescript. */
import openapiTS, { astToString } from 'openapi-typescript';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';

export async function generateTypes(api: Api, bundled: Record<string, unknown>): Promise<string> {
  try {
    // openapi-typescript takes the document object as-is; hand it a copy it may annotate.
    const ast = await openapiTS(structuredClone(bundled) as unknown as Parameters<typeof openapiTS>[0], {
      silent: true,
    });
    return astToString(ast);
  } catch (error) {
    throw new PipelineError(`${api.name}: openapi-typescript failed`, { reason: (error as Error).message });
  }
}
