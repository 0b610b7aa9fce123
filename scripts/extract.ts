/**
 * Pipeline step "extract": pulls the OpenAPI YAML block out of a vendor docs page.
 *
 * A vendor docs page is Markdown that embeds the vendor's OpenAPI document in a
 * fenced block whose info string starts with `yaml`. The block is kept byte for byte;
 * it is only parsed (js-yaml) to prove it is an OpenAPI document and to name it.
 */
import { load, YAMLException } from 'js-yaml';
import { PipelineError } from './errors.js';

export interface ExtractedSpec {
  /** The YAML text exactly as it stands between the fences. */
  yaml: string;
  /** File stem derived from the document's single operationId, in kebab case. */
  name: string;
  /** The operationIds the document declares. */
  operationIds: string[];
}

const FENCE_OPEN = /^(`{3,}|~{3,})[ \t]*yaml\b[^\n]*\n/gm;

/** Finds every fenced `yaml` block and returns its start offset, body and the page line it starts on. */
function findYamlBlocks(page: string): { body: string; firstLine: number }[] {
  const blocks: { body: string; firstLine: number }[] = [];
  FENCE_OPEN.lastIndex = 0;
  let match: RegExpExecArray | null = FENCE_OPEN.exec(page);
  while (match !== null) {
    const fence = match[1] as string;
    const bodyStart = match.index + match[0].length;
    // The closing fence: the same character, at least as long, alone at the start of a line.
    const close = new RegExp(`^${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'm');
    const rest = page.slice(bodyStart);
    const end = close.exec(rest);
    if (!end) {
      const line = page.slice(0, match.index).split('\n').length;
      throw new PipelineError(`the yaml block opened on line ${line} is never closed`, {
        reason: `expected a closing fence of at least ${fence.length} "${fence[0]}" characters`,
      });
    }
    blocks.push({ body: rest.slice(0, end.index), firstLine: page.slice(0, bodyStart).split('\n').length });
    FENCE_OPEN.lastIndex = bodyStart + end.index + end[0].length;
    match = FENCE_OPEN.exec(page);
  }
  return blocks;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
}

/**
 * Extracts the single OpenAPI YAML block of a docs page.
 * @param page the page's text
 * @param source a name for the page, used in error messages
 */
export function extractSpec(page: string, source: string): ExtractedSpec {
  const blocks = findYamlBlocks(page);
  if (blocks.length !== 1) {
    throw new PipelineError(`${source}: found ${blocks.length} yaml blocks`, {
      reason: 'expected exactly one fenced block whose info string starts with "yaml"',
    });
  }
  const { body, firstLine } = blocks[0] as { body: string; firstLine: number };
  let doc: unknown;
  try {
    doc = load(body, { filename: source });
  } catch (error) {
    if (error instanceof YAMLException) {
      const where = error.mark ? `${firstLine + error.mark.line}:${error.mark.column + 1}` : `${firstLine}`;
      throw new PipelineError(`${source}:${where} the yaml block does not parse`, {
        reason: error.reason,
      });
    }
    throw error;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new PipelineError(`${source}:${firstLine} the yaml block is not a mapping`, {
      reason: 'expected an OpenAPI document (a mapping with openapi, info and paths)',
    });
  }
  const record = doc as Record<string, unknown>;
  if (typeof record.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(record.openapi)) {
    throw new PipelineError(`${source}:${firstLine} the yaml block is not an OpenAPI 3 document`, {
      reason: `expected "openapi: 3.x.y", found ${JSON.stringify(record.openapi)}`,
    });
  }
  const paths = record.paths;
  if (typeof paths !== 'object' || paths === null) {
    throw new PipelineError(`${source}:${firstLine} the OpenAPI document has no paths`, {
      reason: 'expected a "paths" mapping with at least one operation',
    });
  }
  const operationIds: string[] = [];
  for (const item of Object.values(paths as Record<string, unknown>)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const [method, op] of Object.entries(item as Record<string, unknown>)) {
      if (!HTTP_METHODS.has(method) || typeof op !== 'object' || op === null) continue;
      const id = (op as { operationId?: unknown }).operationId;
      if (typeof id === 'string' && id !== '') operationIds.push(id);
    }
  }
  if (operationIds.length !== 1) {
    throw new PipelineError(`${source}: the OpenAPI document declares ${operationIds.length} operationIds`, {
      reason: 'expected a docs page for exactly one operation, with an operationId to name the vendored file',
    });
  }
  return { yaml: body, name: kebab(operationIds[0] as string), operationIds };
}
