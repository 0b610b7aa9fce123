/**
 * Pipeline step "excerpt": cuts the operations named by their operationIds out of a vendor's
 * OpenAPI document (YAML), with every component they reference, directly or through other
 * components, so that the excerpt stands alone.
 *
 * The excerpt is made of the vendor's own lines: each kept entry is copied line for line, in the
 * source's order, with its indentation, quoting, comments and line endings. Nothing is re-serialised.
 *
 * Kept:
 * - `openapi`, `info`, `servers`, `security`, `externalDocs` and `jsonSchemaDialect`, whole;
 * - under `paths`, each path that holds a selected operation: the selected operations and the
 *   path's own fields (`parameters`, `summary`, `description`, `servers`, extensions), whole;
 * - under `components`, every entry reached from the kept parts through `$ref`, a security
 *   requirement or a discriminator mapping, whole;
 * - under `tags`, the tags the selected operations use;
 * - the comment lines directly above a kept entry, and the blank and comment lines inside it or
 *   right after it.
 * Dropped: everything else, among it the document's leading comments and its top-level extensions.
 * Added: one header comment naming the source file and the operations.
 *
 * The cut works on lines, so it needs block style (not flow style) wherever it chooses among
 * entries (the top level, `paths`, a path item, `components` and its sections, `tags`). After
 * the cut, the excerpt is parsed again and must equal the source's own parse restricted to what
 * was kept; if the source's YAML defeats the cut (an alias into a dropped entry, say), the step
 * fails and says so instead of writing an excerpt that means something else.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { load, YAMLException } from 'js-yaml';
import { PipelineError } from './errors.js';

export interface ExcerptOptions {
  /** The operations to keep, by operationId. */
  operationIds: readonly string[];
  /** The source's file name, named in the excerpt's header. */
  source: string;
  /** How error messages name the source (default: `source`), e.g. the path it was read from. */
  where?: string | undefined;
  /** The command that writes the excerpt, named in its header. */
  command?: string;
}

export interface Excerpt {
  /** The excerpt's text: a header comment, then the vendor's lines that were kept. */
  yaml: string;
  /** File stem: the first operationId in kebab case. */
  name: string;
  /** The kept components, as `#/components/<section>/<name>`, in the source's order. */
  components: string[];
}

type Json = Record<string, unknown>;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const WHOLE = new Set(['openapi', 'info', 'servers', 'security', 'externalDocs', 'jsonSchemaDialect']);

export function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// The source as lines, and its entries as line ranges.

interface Line {
  /** The line's text with its line ending. */
  text: string;
  indent: number;
  kind: 'blank' | 'comment' | 'content';
}

function splitLines(text: string): Line[] {
  const parts = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return parts.map((part) => {
    const trimmed = part.trim();
    const indent = part.length - part.trimStart().length;
    const kind = trimmed === '' ? 'blank' : trimmed.startsWith('#') ? 'comment' : 'content';
    return { text: part, indent: kind === 'blank' ? 0 : indent, kind };
  });
}

interface Entry {
  /** The entry's key (mapping) or index (sequence). */
  key: string;
  /** First line of the comment and blank lines directly above the entry. */
  lead: number;
  /** The key line (or the sequence item's dash line). */
  head: number;
  /** One past the entry's last line. */
  end: number;
}

/**
 * The entries of the block collection held by the lines [from, to): the lines at the collection's
 * indentation start an entry each, and every line up to the next one belongs to it, except that
 * comment lines no deeper than the entry (with the blank lines after them) belong to the entry below.
 */
function entriesOf(lines: Line[], from: number, to: number, where: string, source: string): Entry[] {
  const first = lines.slice(from, to).findIndex((l) => l.kind === 'content');
  if (first < 0) return [];
  const indent = (lines[from + first] as Line).indent;
  const heads: number[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i] as Line;
    if (line.kind !== 'content') continue;
    if (line.indent < indent) {
      throw cannotCut(source, i, where, 'a line is indented less than the entries before it');
    }
    if (line.indent === indent) heads.push(i);
  }
  const entries: Entry[] = [];
  let lead = from;
  heads.forEach((head, n) => {
    const limit = heads[n + 1] ?? to;
    let end = limit;
    while (end > head + 1) {
      const last = lines[end - 1] as Line;
      if (last.kind === 'content' || (last.kind === 'comment' && last.indent > indent)) break;
      end--;
    }
    // Blank lines right after the entry stay with it (a block scalar with "keep" chomping owns them).
    while (end < limit && (lines[end] as Line).kind === 'blank') end++;
    entries.push({ key: keyOf(lines, head, where, source), lead, head, end });
    lead = end;
  });
  return entries;
}

/** The key of a mapping entry's line, decoded as YAML decodes it; a sequence item's is "-". */
function keyOf(lines: Line[], head: number, where: string, source: string): string {
  const text = (lines[head] as Line).text.trimStart();
  if (text === '-' || text.startsWith('- ') || text.startsWith('-\n') || text.startsWith('-\r')) return '-';
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(text);
  let keyEnd = quoted ? quoted[0].length : -1;
  if (!quoted) {
    const colon = /:(?=[ \t\r\n]|$)/.exec(text);
    keyEnd = colon ? colon.index : -1;
  }
  if (keyEnd < 0 || text[keyEnd] !== ':' || text.startsWith('?')) {
    throw cannotCut(source, head, where, 'expected a "key:" line of a block mapping');
  }
  const key: unknown = load(text.slice(0, keyEnd));
  return String(key);
}

/** True when a key line carries its value on the same line (a scalar or a flow collection). */
function hasInlineValue(line: Line): boolean {
  const text = line.text.trimStart();
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(text);
  const rest = quoted ? text.slice(quoted[0].length + 1) : text.slice((/:(?=[ \t\r\n]|$)/.exec(text)?.index ?? 0) + 1);
  const value = rest.trim();
  return value !== '' && !value.startsWith('#');
}

function cannotCut(source: string, line: number, where: string, why: string): PipelineError {
  return new PipelineError(`${source}:${line + 1} cannot cut ${where} out line by line`, {
    reason: `${why}; expected block-style YAML there`,
  });
}

/** The entries of the collection that is the value of `entry`. */
function childrenOf(lines: Line[], entry: Entry, where: string, source: string): Entry[] {
  if (hasInlineValue(lines[entry.head] as Line)) {
    throw cannotCut(source, entry.head, where, 'its value is written on the key line (flow style)');
  }
  return entriesOf(lines, entry.head + 1, entry.end, where, source);
}

// ---------------------------------------------------------------------------------------------
// What to keep.

interface Selection {
  /** path → selected methods. */
  paths: Map<string, Set<string>>;
  /** section → names. */
  components: Map<string, Set<string>>;
  tags: Set<string>;
}

function parseSource(text: string, source: string): Json {
  let doc: unknown;
  try {
    doc = load(text, { filename: source });
  } catch (error) {
    if (error instanceof YAMLException) {
      const where = error.mark ? `:${error.mark.line + 1}:${error.mark.column + 1}` : '';
      throw new PipelineError(`${source}${where} does not parse as YAML`, { reason: error.reason });
    }
    throw error;
  }
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) {
    throw new PipelineError(`${source} is not an OpenAPI 3 document`, {
      reason: `expected a mapping with "openapi: 3.x.y", found ${JSON.stringify(isObject(doc) ? doc.openapi : doc)}`,
    });
  }
  if (!isObject(doc.paths)) {
    throw new PipelineError(`${source} has no paths`, { reason: 'expected a "paths" mapping holding the operations' });
  }
  return doc;
}

function select(doc: Json, operationIds: readonly string[], source: string): Selection {
  if (operationIds.length === 0) {
    throw new PipelineError(`${source}: no operation to excerpt`, { reason: 'expected at least one operationId' });
  }
  const selection: Selection = { paths: new Map(), components: new Map(), tags: new Set() };
  const found = new Map<string, string>();
  const pending: unknown[] = [];
  // The names of security requirements (document- or operation-level) are security schemes.
  const schemes = new Set<string>();
  const requireSchemes = (security: unknown): void => {
    if (!Array.isArray(security)) return;
    for (const requirement of security)
      if (isObject(requirement)) for (const name of Object.keys(requirement)) schemes.add(name);
  };
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !isObject(op) || typeof op.operationId !== 'string') continue;
      if (!operationIds.includes(op.operationId)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const twice = found.get(op.operationId);
      if (twice !== undefined) {
        throw new PipelineError(`${source}: operationId ${op.operationId} is declared twice`, {
          reason: `by ${twice} and ${where}; expected it to name one operation`,
        });
      }
      found.set(op.operationId, where);
      const methods = selection.paths.get(path) ?? new Set<string>();
      methods.add(method);
      selection.paths.set(path, methods);
      pending.push(op);
      requireSchemes(op.security);
      for (const tag of Array.isArray(op.tags) ? op.tags : []) selection.tags.add(String(tag));
    }
    if (selection.paths.has(path)) {
      for (const [key, value] of Object.entries(item)) if (!HTTP_METHODS.has(key)) pending.push({ [key]: value });
    }
  }
  const missing = operationIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new PipelineError(`${source}: no operation has the operationId ${missing.join(', ')}`, {
      reason: 'expected the operationId of an operation under "paths", spelled as the document spells it',
    });
  }
  for (const key of Object.keys(doc)) if (WHOLE.has(key)) pending.push(doc[key]);
  requireSchemes(doc.security);
  followReferences(doc, pending, schemes, selection, source);
  return selection;
}

/** Adds to the selection every component reached from the pending nodes, transitively. */
function followReferences(
  doc: Json,
  pending: unknown[],
  schemes: ReadonlySet<string>,
  selection: Selection,
  source: string,
): void {
  const components = isObject(doc.components) ? doc.components : {};
  const keep = (section: string, name: string, via: string): void => {
    const entries = components[section];
    if (!isObject(entries) || !Object.hasOwn(entries, name)) {
      throw new PipelineError(`${source}: ${via} points at nothing`, {
        reason: `expected #/components/${section}/${name} to exist`,
      });
    }
    const names = selection.components.get(section) ?? new Set<string>();
    if (names.has(name)) return;
    names.add(name);
    selection.components.set(section, names);
    pending.push(entries[name]);
  };
  for (const name of schemes) keep('securitySchemes', name, `the security requirement ${name}`);
  const visit = (node: unknown, key: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, undefined);
      return;
    }
    if (!isObject(node)) return;
    for (const [k, value] of Object.entries(node)) {
      // Examples are data: a "$ref" in them is not a reference.
      if (k === 'example') continue;
      if (k === '$ref' && typeof value === 'string') followRef(value, keep, source);
      else if (k === 'mapping' && key === 'discriminator' && isObject(value)) {
        for (const target of Object.values(value)) {
          if (typeof target !== 'string') continue;
          if (target.includes('/') || target.includes('#')) followRef(target, keep, source);
          else keep('schemas', target, `the discriminator mapping to ${target}`);
        }
      } else visit(value, k);
    }
  };
  while (pending.length > 0) visit(pending.shift(), undefined);
}

function followRef(ref: string, keep: (section: string, name: string, via: string) => void, source: string): void {
  const match = /^#\/components\/([^/]+)\/([^/]+)/.exec(ref);
  if (!match) {
    throw new PipelineError(`${source}: cannot follow the reference ${ref}`, {
      reason: 'expected references into the same document\'s components ("#/components/<section>/<name>")',
    });
  }
  const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
  keep(unescapePointer(match[1] as string), unescapePointer(match[2] as string), `the reference ${ref}`);
}

/** The source's own parse, restricted to the selection: what the excerpt must parse to. */
function expectedExcerpt(doc: Json, selection: Selection): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(doc)) {
    if (WHOLE.has(key)) out[key] = value;
    else if (key === 'paths') {
      out.paths = Object.fromEntries(
        [...selection.paths].map(([path, methods]) => [
          path,
          Object.fromEntries(
            Object.entries((value as Json)[path] as Json).filter(([k]) => !HTTP_METHODS.has(k) || methods.has(k)),
          ),
        ]),
      );
    } else if (key === 'components' && selection.components.size > 0) {
      out.components = Object.fromEntries(
        [...selection.components].map(([section, names]) => [
          section,
          Object.fromEntries([...names].map((name) => [name, ((value as Json)[section] as Json)[name]])),
        ]),
      );
    } else if (key === 'tags' && Array.isArray(value)) {
      const tags = value.filter((t) => isObject(t) && selection.tags.has(String(t.name)));
      if (tags.length > 0) out.tags = tags;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The cut.

function cut(lines: Line[], doc: Json, selection: Selection, source: string): string[] {
  const out: number[] = [];
  const whole = (entry: Entry): void => {
    for (let i = entry.lead; i < entry.end; i++) out.push(i);
  };
  const headOnly = (entry: Entry): void => {
    for (let i = entry.lead; i <= entry.head; i++) out.push(i);
  };
  const kept: string[] = [];
  const top = entriesOf(lines, 0, lines.length, 'the document', source);
  // The document's leading comments are not part of its first entry.
  if (top[0]) top[0].lead = top[0].head;
  for (const entry of top) {
    if (WHOLE.has(entry.key)) whole(entry);
    else if (entry.key === 'paths') {
      headOnly(entry);
      for (const item of childrenOf(lines, entry, 'paths', source)) {
        const methods = selection.paths.get(item.key);
        if (!methods) continue;
        headOnly(item);
        for (const field of childrenOf(lines, item, `the path ${item.key}`, source)) {
          if (!HTTP_METHODS.has(field.key) || methods.has(field.key)) whole(field);
        }
      }
    } else if (entry.key === 'components' && selection.components.size > 0) {
      headOnly(entry);
      for (const section of childrenOf(lines, entry, 'components', source)) {
        const names = selection.components.get(section.key);
        if (!names) continue;
        headOnly(section);
        for (const component of childrenOf(lines, section, `components/${section.key}`, source)) {
          if (!names.has(component.key)) continue;
          whole(component);
          kept.push(`#/components/${section.key}/${component.key}`);
        }
      }
    } else if (entry.key === 'tags' && Array.isArray(doc.tags)) {
      const items = childrenOf(lines, entry, 'tags', source);
      const chosen = items.filter((_, i) => {
        const tag = (doc.tags as unknown[])[i];
        return isObject(tag) && selection.tags.has(String(tag.name));
      });
      if (chosen.length > 0) {
        headOnly(entry);
        for (const item of chosen) whole(item);
      }
    }
  }
  const eol = lines.find((l) => l.text.endsWith('\r\n')) ? '\r\n' : '\n';
  const text = out.map((i) => (lines[i] as Line).text).map((t) => (t.endsWith('\n') ? t : `${t}${eol}`));
  return [text.join(''), ...kept];
}

/**
 * Cuts the named operations and what they reference out of a vendor's OpenAPI document.
 * @param text the document's text (YAML or JSON in block style)
 */
export function excerptOperations(text: string, options: ExcerptOptions): Excerpt {
  const { operationIds } = options;
  const source = options.where ?? options.source;
  const doc = parseSource(text, source);
  const selection = select(doc, operationIds, source);
  const lines = splitLines(text);
  const [body, ...components] = cut(lines, doc, selection, source) as [string, ...string[]];
  let reparsed: unknown;
  try {
    reparsed = load(body);
  } catch (error) {
    throw new PipelineError(`${source}: the cut does not parse`, {
      reason: `${(error as Error).message}; the source's YAML cannot be cut line by line here`,
    });
  }
  if (!isDeepStrictEqual(reparsed, expectedExcerpt(doc, selection))) {
    throw new PipelineError(`${source}: the cut would not say what the source says`, {
      reason:
        'the excerpt, parsed, differs from the source restricted to the kept parts (an alias or anchor across entries, or flow style); expected block-style YAML without aliases between entries',
    });
  }
  const command = options.command ?? 'npm run specs:extract-operation';
  const header = [
    `# Written by "${command}" from ${options.source}.`,
    `# Operation ${operationIds.join(', ')} and the components it references, cut out of the vendor's document:`,
    "# every line below is the vendor's own, in the vendor's order. Do not edit; run the command again.",
  ]
    .map((line) => `${line}\n`)
    .join('');
  return { yaml: header + body, name: kebab(operationIds[0] as string), components };
}

/**
 * The files `specs:extract-operation` writes for one excerpt, keyed by absolute path:
 * specs/<api>/vendor/<stem>.yaml (the excerpt) and <stem>.source.yaml (the document as received).
 */
export function excerptFiles(
  rootDir: string,
  api: string,
  sourceText: string,
  operationIds: readonly string[],
  name?: string,
  where?: string,
): Map<string, string> {
  const stem = name ?? kebab(operationIds[0] ?? '');
  const dir = join(rootDir, 'specs', api, 'vendor');
  const excerpt = excerptOperations(sourceText, { operationIds, source: `${stem}.source.yaml`, where });
  return new Map([
    [join(dir, `${stem}.yaml`), excerpt.yaml],
    [join(dir, `${stem}.source.yaml`), sourceText],
  ]);
}
