/**
 * The project's additions to an API's description, kept out of the vendored files: every
 * `*.overlay.yaml` (an OpenAPI Overlay 1.0 document) beside the API's entry file, applied in
 * name order by the bundle step. Every action says what it adds with an `x-metaclear-addition`
 * marker in its `update`, which stays in the generated spec; an action whose target no longer
 * selects anything (the vendor moved or renamed it) fails the pipeline instead of vanishing,
 * and so does one that changes or removes a value the vendor's text already has: overlays only
 * add (assertAdditionsOnly compares the bundle with and without them).
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

function escapePointer(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Where `after` does not keep every value of `before`: a key changed or gone, with its parent's pointer. */
function overwrites(before: unknown, after: unknown, pointer: string, out: string[]): string[] {
  if (isObject(before) && isObject(after)) {
    for (const [key, value] of Object.entries(before)) {
      if (!Object.hasOwn(after, key)) out.push(`${pointer || '/'} (key "${key}") removed`);
      else if (!keeps(value, after[key])) {
        if ((isObject(value) && isObject(after[key])) || (Array.isArray(value) && Array.isArray(after[key]))) {
          overwrites(value, after[key], `${pointer}/${escapePointer(key)}`, out);
        } else out.push(`${pointer || '/'} (key "${key}")`);
      }
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    before.forEach((value, index) => {
      if (index >= after.length) out.push(`${pointer} (key "${index}") removed`);
      else if (!keeps(value, after[index])) {
        if ((isObject(value) && isObject(after[index])) || (Array.isArray(value) && Array.isArray(after[index]))) {
          overwrites(value, after[index], `${pointer}/${index}`, out);
        } else out.push(`${pointer} (key "${index}")`);
      }
    });
  }
  return out;
}

/** True when `after` holds every value of `before` (it may hold more). */
function keeps(before: unknown, after: unknown): boolean {
  if (isObject(before)) {
    return isObject(after) && Object.entries(before).every(([k, v]) => Object.hasOwn(after, k) && keeps(v, after[k]));
  }
  if (Array.isArray(before)) {
    return Array.isArray(after) && after.length >= before.length && before.every((v, i) => keeps(v, after[i]));
  }
  return Object.is(before, after);
}

/**
 * Throws unless the bundle with the overlays applied keeps every value of the bundle without
 * them: an overlay may add keys and list items, never change or remove what is there.
 */
export function assertAdditionsOnly(api: Api, vendor: unknown, overlaid: unknown): void {
  const changed = overwrites(vendor, overlaid, '', []);
  if (changed.length === 0) return;
  throw new PipelineError(`${api.name}: overlay not applied`, {
    findings: changed.map(
      (where) =>
        `${where.endsWith(' removed') ? `removes vendor text at ${where.slice(0, -' removed'.length)}` : `changes vendor text at ${where}`}; expected additions only (the vendored file is the vendor's word)`,
    ),
  });
}

/** JSON pointers of the nodes `overlaid` has and `vendor` has not: the roots of the additions. */
export function addedPointers(vendor: unknown, overlaid: unknown, pointer = '', out: string[] = []): string[] {
  if (isObject(vendor) && isObject(overlaid)) {
    for (const [key, value] of Object.entries(overlaid)) {
      const child = `${pointer}/${escapePointer(key)}`;
      if (!Object.hasOwn(vendor, key)) out.push(child);
      else addedPointers(vendor[key], value, child, out);
    }
  } else if (Array.isArray(vendor) && Array.isArray(overlaid)) {
    overlaid.forEach((value, index) => {
      if (index >= vendor.length) out.push(`${pointer}/${index}`);
      else addedPointers(vendor[index], value, `${pointer}/${index}`, out);
    });
  }
  return out;
}
