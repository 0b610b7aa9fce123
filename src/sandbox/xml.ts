/**
 * The little XML the Oracle operation needs: a flat element of text-only children
 * (`<FileDeleteValuesBody><collection>…</collection><fields>…</fields></FileDeleteValuesBody>`),
 * read into an object and written back out. Anything richer (attributes, nesting, CDATA,
 * namespaces) is refused with a reason rather than half-understood.
 */

const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const PROLOG = /^\s*(?:<\?xml[^?]*\?>)?\s*/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const named = ENTITIES[entity];
    if (named === undefined) throw new Error(`unknown XML entity ${match}`);
    return named;
  });
}

function encodeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reads `<root><a>x</a><b/></root>` into `{ root: 'root', fields: { a: 'x', b: '' } }`; throws an Error saying what is wrong. */
export function parseFlatXml(text: string): { root: string; fields: Record<string, string> } {
  const body = text.replace(PROLOG, '').trimEnd();
  const element = new RegExp(`^<(${NAME})>([\\s\\S]*)</\\1>$`).exec(body);
  if (!element) throw new Error('expected one root element without attributes, holding text-only child elements');
  const root = element[1] ?? '';
  const children = element[2] ?? '';
  const child = new RegExp(`\\s*(?:<(${NAME})>([^<]*)</\\1>|<(${NAME})\\s*/>)\\s*`, 'y');
  const fields: Record<string, string> = {};
  let position = 0;
  while (position < children.length) {
    child.lastIndex = position;
    const match = child.exec(children);
    if (!match || match[0] === '') {
      throw new Error(
        `expected only text-only child elements inside <${root}>, at "${children.slice(position, position + 30)}"`,
      );
    }
    const name = match[1] ?? match[3] ?? '';
    if (Object.hasOwn(fields, name)) throw new Error(`element <${name}> appears more than once`);
    fields[name] = decodeText(match[2] ?? '');
    position = child.lastIndex;
  }
  return { root, fields };
}

/** Writes `{ a: 'x' }` as `<root><a>x</a></root>`, skipping undefined values. */
export function formatFlatXml(rootName: string, values: Record<string, string | undefined>): string {
  const children = Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<${name}>${encodeText(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><${rootName}>${children}</${rootName}>`;
}
