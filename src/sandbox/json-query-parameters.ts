/**
 * Edge Impulse query parameters that carry JSON inside a string (`labels`, `ids`, `excludeIds`,
 * `metadata`): the spec can only say `type: string`, so their content is checked here, and a
 * malformed value is refused with an error that names the parameter.
 */

export class QueryParameterError extends Error {
  constructor(
    readonly parameter: string,
    reason: string,
  ) {
    super(`query parameter '${parameter}' ${reason}`);
    this.name = 'QueryParameterError';
  }
}

const shown = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);

export function parseJsonParameter(parameter: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new QueryParameterError(parameter, `is not valid JSON (${(error as Error).message}); got ${shown(text)}`);
  }
}

export function jsonStringArray(parameter: string, text: string): string[] {
  const value = parseJsonParameter(parameter, text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new QueryParameterError(
      parameter,
      `must be a JSON array of strings, e.g. ["idle", "snake"]; got ${shown(text)}`,
    );
  }
  return value;
}

export function jsonIntegerArray(parameter: string, text: string): number[] {
  const value = parseJsonParameter(parameter, text);
  if (!Array.isArray(value) || !value.every((item) => Number.isInteger(item))) {
    throw new QueryParameterError(parameter, `must be a JSON array of integers, e.g. [1, 2, 3]; got ${shown(text)}`);
  }
  return value as number[];
}
