/**
 * How a fetched source becomes vendored files, one extractor per kind of source (see
 * vendor-manifest.ts). `specs:update` looks the manifest's kind up here; a new kind of source
 * is one more entry.
 */
import { join } from 'node:path';
import { PipelineError } from './errors.js';
import { excerptFiles } from './excerpt.js';
import { extractSpec } from './extract.js';
import type { Manifest, SourceKind } from './vendor-manifest.js';

export interface ExtractTarget {
  rootDir: string;
  api: string;
  /** The vendored files' stem: specs/<api>/vendor/<stem>.* */
  stem: string;
}

/** The vendored files for a fetched source, keyed by absolute path; throws if it cannot be extracted. */
export type Extractor = (text: string, manifest: Manifest, target: ExtractTarget) => Map<string, string>;

function sameIds(found: readonly string[], expected: readonly string[]): boolean {
  return found.length === expected.length && found.every((id, i) => id === expected[i]);
}

/** A docs page: the page itself (<stem>.page.md) and the OpenAPI YAML block it embeds (<stem>.yaml). */
const docsPage: Extractor = (text, manifest, target) => {
  const spec = extractSpec(text, manifest.source);
  if (!sameIds(spec.operationIds, manifest.selection.operationIds)) {
    throw new PipelineError(`${manifest.source}: the page documents ${spec.operationIds.join(', ')}`, {
      reason: `expected ${manifest.selection.operationIds.join(', ')}, as the manifest selects`,
    });
  }
  const dir = join(target.rootDir, 'specs', target.api, 'vendor');
  return new Map([
    [join(dir, `${target.stem}.yaml`), spec.yaml],
    [join(dir, `${target.stem}.page.md`), text],
  ]);
};

/**
 * An OpenAPI document: the selected operations and the components they reference, cut out of it
 * (<stem>.yaml), and the document as received (<stem>.source.yaml), as specs:extract-operation
 * writes them (excerpt.ts).
 */
const openapiDocument: Extractor = (text, manifest, target) =>
  excerptFiles(target.rootDir, target.api, text, manifest.selection.operationIds, target.stem, manifest.source);

export const EXTRACTORS: Partial<Record<SourceKind, Extractor>> = {
  'docs-page': docsPage,
  'openapi-document': openapiDocument,
};

export function extractorFor(kind: SourceKind, where: string): Extractor {
  const extractor = EXTRACTORS[kind];
  if (!extractor) {
    throw new PipelineError(`${where}: no extractor for sources of kind ${kind}`, {
      reason: `expected one of ${Object.keys(EXTRACTORS).join(', ')}`,
    });
  }
  return extractor;
}
