/** Pipeline step "bundle": resolves an API's $refs across files into one JSON document. */
import {
  type BaseResolver,
  bundle,
  lintDocument,
  makeDocumentFromString,
  type NormalizedProblem,
} from '@redocly/openapi-core';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';
import { newResolver } from './lint.js';
import { addedPointers, assertAdditionsOnly, assertOverlaysApplied, overlayFiles } from './overlays.js';

/**
 * The bundled spec as a plain object; internal $refs (#/components/...) are kept. The API's
 * overlays (the project's additions, see overlays.ts) are applied to it. Given the resolver
 * that linted the API, it reads no file again. With overlays, the spec is bundled without them
 * too, to check that they only add to the vendor's text.
 */
export async function bundleApi(
  api: Api,
  resolver?: BaseResolver,
  additionsResolver: BaseResolver = newResolver(api),
): Promise<Record<string, unknown>> {
  const overlays = overlayFiles(api);
  const vendor = overlays.length > 0 ? structuredClone(await bundleWith(api, [], resolver)) : undefined;
  const parsed = await bundleWith(api, overlays, resolver);
  assertOverlaysApplied(api, overlays, parsed);
  if (vendor !== undefined) {
    assertAdditionsOnly(api, vendor, parsed);
    await assertAdditionsClean(api, vendor, parsed, additionsResolver);
  }
  return parsed;
}

/**
 * Lints the bundle with the overlays applied, with the API's rules, and throws on any finding
 * inside what the overlays added. The vendored files were linted before (with their recorded
 * findings ignored); the additions exist only here. The bundle itself is not changed.
 */
async function assertAdditionsClean(
  api: Api,
  vendor: unknown,
  overlaid: Record<string, unknown>,
  resolver: BaseResolver,
): Promise<void> {
  const problems = await additionsProblems(api, vendor, overlaid, resolver);
  if (problems.length === 0) return;
  throw new PipelineError(
    `${api.name}: lint of the overlays' additions found ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    { findings: problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`) },
  );
}

/**
 * The findings of the API's rules inside what the overlays added to the bundle, each message
 * ending with the addition's pointer (they are located in the overlaid bundle, not in a file).
 */
async function additionsProblems(
  api: Api,
  vendor: unknown,
  overlaid: Record<string, unknown>,
  resolver: BaseResolver,
): Promise<NormalizedProblem[]> {
  const added = addedPointers(vendor, overlaid);
  if (added.length === 0) return [];
  const document = makeDocumentFromString(JSON.stringify(overlaid), `${api.root}#with-overlays`);
  const problems = await lintDocument({ document, config: api.config, externalRefResolver: resolver });
  const inAdditions: NormalizedProblem[] = [];
  for (const problem of problems) {
    const pointer = problem.location[0]?.pointer?.replace(/^#/, '') ?? '';
    if (!added.some((root) => pointer === root || pointer.startsWith(`${root}/`))) continue;
    inAdditions.push({ ...problem, message: `${problem.message} at #${pointer}` });
  }
  return inAdditions;
}

/**
 * What `lint:specs` adds to the lint of the files: the API bundled with its overlays applied,
 * the overlays checked as `generate` checks them (each applied, additions only; a failure
 * throws), and the findings of the rules inside the additions. None without overlays.
 */
export async function lintOverlays(api: Api): Promise<NormalizedProblem[]> {
  const overlays = overlayFiles(api);
  if (overlays.length === 0) return [];
  const resolver = newResolver(api);
  const vendor = structuredClone(await bundleWith(api, [], resolver));
  const parsed = await bundleWith(api, overlays, resolver);
  assertOverlaysApplied(api, overlays, parsed);
  assertAdditionsOnly(api, vendor, parsed);
  return additionsProblems(api, vendor, parsed, newResolver(api));
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
