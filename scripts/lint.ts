/** Pipeline step "lint": runs the Redocly rules of redocly.yaml on one API. */
import { relative, sep } from 'node:path';
import { BaseResolver, type Config, getLineColLocation, lint, type NormalizedProblem } from '@redocly/openapi-core';
import type { Api } from './apis.js';
import { PipelineError } from './errors.js';

export type Problem = NormalizedProblem & { ignored?: boolean };

/** A resolver for one API's files; lint and bundle given the same one read and parse each file once. */
export function newResolver(api: Api): BaseResolver {
  return new BaseResolver(api.config.resolve);
}

/**
 * The rules that validate examples against their schemas: most of a lint's time at vendor
 * scale (Ajv compiles a validator per schema an example is checked against). The pipeline
 * runs them in a worker thread, and the other rules beside the bundle and types steps.
 */
export const EXAMPLE_RULES = [
  'no-invalid-media-type-examples',
  'no-invalid-parameter-examples',
  'no-invalid-schema-examples',
] as const;

/** Which rules of the API's configuration a lint runs: all of them, the example rules, or the others. */
export type RuleSet = 'all' | 'examples' | 'others';

/** Every rule id a configuration names (assertions by their id), in every spec version. */
function ruleIds(config: Config): string[] {
  const ids = new Set<string>();
  for (const rules of Object.values(config.rules)) {
    for (const [id, setting] of Object.entries(rules ?? {})) {
      if (id !== 'assertions') ids.add(id);
      else if (Array.isArray(setting))
        for (const a of setting as { assertionId?: string }[]) ids.add(a.assertionId ?? '');
    }
  }
  ids.delete('');
  return [...ids];
}

function configFor(api: Api, rules: RuleSet): Config {
  if (rules === 'all') return api.config;
  const config = api.freshConfig();
  const examples = new Set<string>(EXAMPLE_RULES);
  config.skipRules(rules === 'others' ? [...examples] : ruleIds(config).filter((id) => !examples.has(id)));
  return config;
}

/** Lints an API; resolves to every finding, those recorded in the ignore file marked `ignored`. */
export async function lintApi(
  api: Api,
  cwd: string,
  resolver = newResolver(api),
  rules: RuleSet = 'all',
): Promise<Problem[]> {
  try {
    return await lint({ ref: api.root, config: configFor(api, rules), externalRefResolver: resolver });
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
