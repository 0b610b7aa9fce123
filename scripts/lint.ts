/** Pipeline step "lint": runs the Redocly rules of redocly.yaml on one API. */
import { relative, sep } from 'node:path';
import { BaseResolver, getLineColLocation, lint, type NormalizedProblem } from '@redocly/openapi-core';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';

export type Problem = NormalizedProblem & { ignored?: boolean };

/** A resolver for one API's files; lint and bundle given the same one read and parse each file once. */
export function newResolver(api: Api): BaseResolver {
  return new BaseResolver(api.config.resolve);
}

/** Lints an API; resolves to every finding, those recorded in the ignore file marked `ignored`. */
export async function lintApi(api: Api, cwd: string, resolver = newResolver(api)): Promise<Problem[]> {
  try {
    return await lint({ ref: api.root, config: api.config, externalRefResolver: resolver });
  } catch (error) {
    // An unreadable or unparsable entry file makes the resolver throw instead of reporting.
    throw new PipelineError(`${api.name}: ${describeThrown(error, api.root, cwd)}`);
  }
}

/** `file:line:col severity rule message`, with the file relative to `cwd`. */
export function formatProblem(problem: Problem, cwd: string): string {
  const location = problem.location[0];
  if (!location) return `${problem.severity} ${problem.ruleId} ${problem.message}`;
  const { start } = getLineColLocation(location);
  const file = displayPath(location.source.absoluteRef, cwd);
  const pointer = location.pointer ? ` at ${location.pointer}` : '';
  const message = problem.message.split(`${cwd}${sep}`).join('');
  return `${file}:${start.line}:${start.col} ${problem.severity} ${problem.ruleId}: ${message}${pointer}`;
}

/** Throws unless the API has no finding outside the ignore file. */
export function assertClean(api: Api, problems: Problem[], cwd: string): void {
  const open = problems.filter((p) => !p.ignored);
  if (open.length === 0) return;
  throw new PipelineError(`${api.name}: lint found ${open.length} problem${open.length === 1 ? '' : 's'}`, {
    findings: open.map((p) => formatProblem(p, cwd)),
  });
}

export function displayPath(absolute: string, cwd: string): string {
  if (/^[a-z]+:\/\//i.test(absolute)) return absolute;
  return relative(cwd, absolute).split(sep).join('/');
}

interface ThrownByResolver {
  message?: string;
  source?: { absoluteRef?: string };
  originalError?: { message?: string; reason?: string; mark?: { line: number; column: number } };
}

function describeThrown(error: unknown, file: string, cwd: string): string {
  const e = error as ThrownByResolver;
  const where = displayPath(e.source?.absoluteRef ?? file, cwd);
  const yaml = e.originalError;
  if (yaml?.mark && yaml.reason) {
    return `${where}:${yaml.mark.line + 1}:${yaml.mark.column + 1} YAML syntax error: ${yaml.reason}`;
  }
  const message = yaml?.message ?? e.message ?? String(error);
  return `${where}: ${message.split(file).join(where)}`;
}
