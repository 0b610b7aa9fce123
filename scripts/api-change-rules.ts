/**
 * The project's rules: where its reading of a change differs from api-smart-diff's, each rule
 * named and explained. A caller of this package meets an API through the generated types
 * (generated/<api>/schema.d.ts) and the wire, so a change is breaking when a call that
 * compiled and worked may no longer compile, be accepted, or read what it read. The catalogue
 * (test/fixtures/api-changes/catalogue.ts) holds the cases these rules answer.
 */
import type { ChangeType } from './api-change-types.js';

type Path = readonly (string | number)[];
type Action = 'add' | 'remove' | 'replace' | 'rename';

/** A project rule's verdict: the type it gives the change and why, in a few words. */
export interface RuleVerdict {
  type: ChangeType;
  rule: string;
}

/** The fields of a security scheme that say how a caller sends its credential. */
const SCHEME_WIRE_FIELDS = new Set(['type', 'in', 'name', 'scheme', 'bearerFormat', 'openIdConnectUrl', 'flows']);

/** The component maps the generated types export by name (`components["schemas"]["Job"]`). */
const TYPED_COMPONENTS = new Set(['schemas', 'parameters', 'responses', 'requestBodies', 'headers', 'pathItems']);

export function isSchemePath(path: Path): boolean {
  return path[0] === 'components' && path[1] === 'securitySchemes';
}

/** True for a component the report keeps: a security scheme, or a typed component's name. */
export function isReportedComponent(path: Path): boolean {
  if (path[0] !== 'components') return true;
  return isSchemePath(path) || (path.length === 3 && TYPED_COMPONENTS.has(String(path[1])));
}

/** The index of a `security` list (root or operation) in `path`, or -1 when `path` is not in one. */
export function securityIndex(path: Path): number {
  if (path[0] === 'security') return 0;
  if (path[0] === 'paths' && path[3] === 'security') return 3;
  return -1;
}

/** Where in an operation a change is: its parameters, request body, responses, or the operation itself. */
function regionOf(path: Path): 'parameter' | 'request' | 'response' | 'operation' | undefined {
  if (path[0] !== 'paths') return undefined;
  if (path[2] === 'parameters') return 'parameter';
  if (path[3] === 'parameters') return 'parameter';
  if (path[3] === 'requestBody') return 'request';
  if (path[3] === 'responses') return 'response';
  return path.length === 4 ? 'operation' : undefined;
}

/** A response status a caller treats as an error: 4xx, 5xx, their ranges, or `default`. */
function isErrorStatus(status: unknown): boolean {
  return status === 'default' || /^[45](\d\d|XX)$/i.test(String(status));
}

/**
 * True when the change is inside an example or an extension (`x-...`): a value whose field
 * names are no schema keywords (an example's `type` field is data), which openapi-typescript
 * leaves out of the types. A property of a schema named `example` is not one.
 */
function isInsideValue(path: Path): boolean {
  return path.some((key, i) => {
    if (typeof key !== 'string' || path[i - 1] === 'properties') return false;
    return key === 'example' || key === 'examples' || key.startsWith('x-');
  });
}

/** The keyword a change is at, skipping an index (an enum value, a list item). */
function keywordOf(path: Path): { key: unknown; parent: unknown } {
  const at = typeof path.at(-1) === 'number' ? path.length - 2 : path.length - 1;
  return { key: path[at], parent: path[at - 1] };
}

/**
 * The project's verdict on one of api-smart-diff's changes, when it has a rule for it;
 * undefined to keep the library's.
 */
export function projectVerdict(path: Path, action: Action, after: unknown): RuleVerdict | undefined {
  if (path[0] === 'components') return componentVerdict(path, action);
  const at = securityIndex(path);
  if (at >= 0) return securityVerdict(path.length - at - 1, action);
  const region = regionOf(path);
  const { key, parent } = keywordOf(path);
  const last = path.at(-1);
  if (region === 'operation' && last === 'operationId') {
    return action === 'add'
      ? { type: 'non-breaking', rule: 'operationId added: a new key of `operations` in the types' }
      : { type: 'breaking', rule: 'the types key `operations` by operationId' };
  }
  if (isInsideValue(path)) {
    return { type: 'annotation', rule: 'an example or an extension: documentation, not in the types' };
  }
  if (region === undefined || region === 'operation') return undefined;
  if (key === 'type' && parent !== 'properties' && action === 'replace') {
    return { type: 'breaking', rule: 'a type changed: the values sent or read are no longer of the type they were' };
  }
  if (region === 'parameter' && (last === 'style' || last === 'explode') && path.at(-2) !== 'schema') {
    return { type: 'breaking', rule: 'the serialization changed: the same value goes on the wire differently' };
  }
  if (parent === 'properties' && typeof key === 'string' && action === 'remove' && region !== 'parameter') {
    return region === 'response'
      ? { type: 'breaking', rule: 'a property callers read is gone from the response and its type' }
      : { type: 'breaking', rule: 'a property callers send is gone from the request type' };
  }
  if (region !== 'response') return undefined;
  if (path.length === 5 && action === 'remove' && isErrorStatus(path[4])) {
    return { type: 'non-breaking', rule: 'an error answer undocumented: callers still meet it, as any other error' };
  }
  if (last === 'nullable' && action !== 'remove' && after === true) {
    return { type: 'breaking', rule: 'a response value may now be null: its type gains `| null`' };
  }
  if (last === 'writeOnly' && action !== 'remove' && after === true) {
    return { type: 'breaking', rule: 'a writeOnly property is not in a response: callers that read it get nothing' };
  }
  return undefined;
}

/**
 * A component's name is part of the generated types (`components["schemas"]["Job"]`): one
 * removed or renamed breaks the code that names it, one added is new. A security scheme
 * removed (or renamed) breaks the callers that use it, one added is an alternative; a change
 * of how the credential is sent (its header name, `in`, type) breaks every caller.
 */
function componentVerdict(path: Path, action: Action): RuleVerdict | undefined {
  if (isSchemePath(path)) {
    if (path.length === 3) {
      return action === 'add'
        ? { type: 'non-breaking', rule: 'a security scheme added: an alternative' }
        : { type: 'breaking', rule: 'the callers that use this scheme are refused' };
    }
    if (typeof path[3] === 'string' && SCHEME_WIRE_FIELDS.has(path[3])) {
      return { type: 'breaking', rule: 'callers send their credential as the scheme no longer says' };
    }
    return undefined;
  }
  if (path.length !== 3) return undefined;
  return action === 'add'
    ? { type: 'non-breaking', rule: 'a component added: a new name in the types' }
    : { type: 'breaking', rule: 'the types export components by name: code that names it no longer compiles' };
}

/**
 * In a `security` list, an alternative added is not breaking, one removed is, and a scheme
 * added inside an alternative is (callers must now send it too).
 */
function securityVerdict(depth: number, action: Action): RuleVerdict | undefined {
  if (depth === 1) {
    return action === 'add'
      ? { type: 'non-breaking', rule: 'a security alternative added' }
      : { type: 'breaking', rule: 'callers that met this alternative are refused' };
  }
  if (depth === 2) {
    return action === 'remove'
      ? { type: 'non-breaking', rule: 'a requirement dropped from an alternative' }
      : { type: 'breaking', rule: 'callers must now send one more credential' };
  }
  return undefined;
}
