/**
 * The project's additions to an API's description, kept out of the vendored files: every
 * `*.overlay.yaml` (an OpenAPI Overlay 1.0 document) beside the API's entry file, applied in
 * name order by the bundle step. Every action says what it adds with an `x-metaclear-addition`
 * marker in its `update`, which stays in the generated spec; an action whose target no longer
 * selects anything (the vendor moved or renamed it) fails the pipeline instead of vanishing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { load } from 'js-yaml';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';

export const OVERLAY_SUFFIX = '.overlay.yaml';
export const ADDITION_MARKER = 'x-metaclear-addition';

/** Absolute paths of the API's overlays, in the order they are applied. */
export function overlayFiles(api: Api): string[] {
  const dir = dirname(api.root);
  return readdirSync(dir)
    .filter((name) => name.endsWith(OVERLAY_SUFFIX))
    .sort()
    .map((name) => join(dir, name));
}

/** Every value of the marker found in a node, at any depth. */
function markers(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) markers(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ADDITION_MARKER && typeof value === 'string') out.push(value);
      else markers(value, out);
    }
  }
  return out;
}

/** Throws unless every addition of every overlay is in the bundled spec. */
export function assertOverlaysApplied(api: Api, overlays: readonly string[], bundled: unknown): void {
  const present = new Set(markers(bundled));
  const findings: string[] = [];
  for (const file of overlays) {
    const overlay = load(readFileSync(file, 'utf8')) as { actions?: unknown } | null;
    const actions = Array.isArray(overlay?.actions) ? overlay.actions : [];
    actions.forEach((action: { target?: unknown; update?: unknown; remove?: unknown }, index) => {
      const where = `${basename(file)} action ${index + 1} (target ${String(action.target)})`;
      if (action.remove === true) {
        findings.push(`${where}: removes vendor text; expected an addition (the vendored file is the vendor's word)`);
        return;
      }
      const added = markers(action.update);
      if (added.length === 0) {
        findings.push(`${where}: its update carries no ${ADDITION_MARKER}; expected every addition to say why`);
      } else if (added.some((marker) => !present.has(marker))) {
        findings.push(`${where}: selected nothing in the bundled spec; expected the target to match the vendor's text`);
      }
    });
  }
  if (findings.length > 0) throw new PipelineError(`${api.name}: overlay not applied`, { findings });
}
