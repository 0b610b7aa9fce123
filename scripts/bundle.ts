/** Pipeline step "bundle": resolves an API's $refs across files into one JSON document. */
import { type BaseResolver, bundle } from '@redocly/openapi-core';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';
import { assertAdditionsOnly, assertOverlaysApplied, overlayFiles } from './overlays.js';

/**
 * The bundled spec as a plain object; internal $refs (#/components/...) are kept. The API's
 * overlays (the project's additions, see overlays.ts) are applied to it. Given the resolver
 * that linted the API, it reads no file again. With overlays, the spec is bundled without them
 * too, to check that they only add to the vendor's text.
 */
export async function bundleApi(api: Api, resolver?: BaseResolver): Promise<Record<string, unknown>> {
  const overlays = overlayFiles(api);
  const vendor = overlays.length > 0 ? structuredClone(await bundleWith(api, [], resolver)) : undefined;
  const parsed = await bundleWith(api, overlays, resolver);
  assertOverlaysApplied(api, overlays, parsed);
  if (vendor !== undefined) assertAdditionsOnly(api, vendor, parsed);
  return parsed;
}

async function bundleWith(
  api: Api,
  overlays: string[],
  resolver: BaseResolver | undefined,
): Promise<Record<string, unknown>> {
  const result = await bundle({
    ref: api.root,
    config: api.config,
    dereference: false,
    overlays,
    ...(resolver ? { externalRefResolver: resolver } : {}),
  });
  const errors = result.problems.filter((p) => p.severity === 'error' && !p.ignored);
  if (errors.length > 0) {
    throw new PipelineError(`${api.name}: bundling failed`, {
      findings: errors.map((p) => `${p.ruleId}: ${p.message}`),
    });
  }
  return result.bundle.parsed as Record<string, unknown>;
}

/** The bundled spec as committed: two-space JSON with a final newline. */
export function serializeBundle(parsed: Record<string, unknown>): string {
  return `${JSON.stringify(parsed, null, 2)}\n`;
}
