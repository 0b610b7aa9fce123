/** Reads redocly.yaml: the APIs the pipeline builds, and the lint configuration for each. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
// Types only at the top: a no-op `generate` imports this module's constants without loading Redocly.
import type { Config } from '@redocly/openapi-core';
import { PipelineError } from './errors.js';

export const CONFIG_FILE = 'redocly.yaml';
export const IGNORE_FILE = '.redocly.lint-ignore.yaml';
export const GENERATED_DIR = 'generated';

export interface Api {
  /** The alias in redocly.yaml, also the folder name under generated/. */
  name: string;
  /** Absolute path of the entry file. */
  root: string;
  /** The lint configuration for this API (global rules merged with its own). */
  config: Config;
  /** A new copy of `config`, for a lint that turns some of its rules off (see lint.ts). */
  freshConfig(): Config;
}

export async function loadApis(rootDir: string): Promise<Api[]> {
  const configPath = join(rootDir, CONFIG_FILE);
  if (!existsSync(configPath)) {
    throw new PipelineError(`${configPath}: not found`, {
      reason: 'expected a redocly.yaml declaring the APIs under "apis"',
    });
  }
  const { loadConfig } = await import('@redocly/openapi-core');
  let config: Config;
  try {
    config = await loadConfig({ configPath });
  } catch (error) {
    throw new PipelineError(`${CONFIG_FILE}: cannot be loaded`, { reason: (error as Error).message });
  }
  const declared = config.resolvedConfig.apis ?? {};
  const apis = Object.entries(declared).map(([name, api]) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new PipelineError(`${CONFIG_FILE}: API name ${JSON.stringify(name)} cannot name a folder`, {
        reason: 'expected lower-case letters, digits and dashes',
      });
    }
    return {
      name,
      root: resolve(rootDir, api.root),
      config: config.forAlias(name),
      freshConfig: () => config.forAlias(name),
    };
  });
  if (apis.length === 0) {
    throw new PipelineError(`${CONFIG_FILE}: declares no API`, { reason: 'expected at least one entry under "apis"' });
  }
  return apis.sort((a, b) => (a.name < b.name ? -1 : 1));
}
