/**
 * Pipeline step "fingerprint": a hash of everything the generated files depend on (spec
 * files, redocly.yaml, the ignore file, the pipeline's own code and the versions of the
 * tools it runs), so an unchanged tree is recognised without loading those tools.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { CONFIG_FILE, IGNORE_FILE } from './apis.js';
import { listFiles, readIfExists, sha256 } from './files.js';

/** The tools whose output lands in generated/. */
export const TOOLS = ['@redocly/openapi-core', 'openapi-typescript', 'typescript'] as const;

const scriptsDir = dirname(fileURLToPath(import.meta.url));
const resolveFrom = createRequire(import.meta.url);

/** The installed version of a package, found from its entry point (not every package exports package.json). */
export function toolVersion(name: string): string {
  let dir = dirname(resolveFrom.resolve(name));
  for (;;) {
    const manifest = readIfExists(join(dir, 'package.json'));
    if (manifest !== undefined) {
      const parsed = JSON.parse(manifest) as { name?: string; version?: string };
      if (parsed.name === name && parsed.version) return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the version of ${name}`);
    dir = parent;
  }
}

/** The spec folders named in redocly.yaml: the folder of each API's entry file. */
function specDirs(rootDir: string, configText: string): string[] {
  const config = load(configText) as { apis?: Record<string, { root?: unknown }> } | null;
  const roots = Object.values(config?.apis ?? {}).map((api) => api.root);
  return roots.filter((r): r is string => typeof r === 'string').map((r) => dirname(resolve(rootDir, r)));
}

export function inputFingerprint(rootDir: string): string {
  const hash: string[] = [];
  const add = (label: string, content: string | Buffer | undefined): void => {
    hash.push(`${label}\0${content === undefined ? '(absent)' : sha256(content)}`);
  };
  const configText = readIfExists(join(rootDir, CONFIG_FILE)) ?? '';
  add(CONFIG_FILE, configText);
  add(IGNORE_FILE, readIfExists(join(rootDir, IGNORE_FILE)));
  for (const dir of [...new Set(specDirs(rootDir, configText))].sort()) {
    for (const file of listFiles(dir)) add(join(dir, file), readFileSync(join(dir, file)));
  }
  for (const file of listFiles(scriptsDir)) add(`scripts/${file}`, readFileSync(join(scriptsDir, file)));
  for (const tool of TOOLS) add(tool, toolVersion(tool));
  return sha256(hash.join('\n'));
}
