/**
 * Pipeline step "fingerprint": a hash of everything the generated files depend on, so an
 * unchanged tree is recognised without loading the tools: redocly.yaml, the ignore file, every
 * file of each entry's folder (a new overlay is seen there), every file the last build's
 * resolver read (wherever a `$ref` led: another folder, a file outside specs/), the pipeline's
 * own code and the versions of the tools it runs.
 *
 * The files the resolver read are recorded with the hash of the text it read (see pipeline.ts),
 * so a file edited while a build ran is seen as changed by the next run.
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

/** A source the build read, by absolute path (or URL), with the sha256 of its text. */
export type Sources = ReadonlyMap<string, string>;

/** A URL the resolver fetched: never taken as unchanged, so a build that fetched one always runs. */
const REMOTE = '(remote: not fingerprinted)';

/** The current hash of each of `paths`, as `sources` records it ("(absent)" for a file gone). */
export function currentSources(paths: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const path of paths) {
    if (/^[a-z]+:\/\//i.test(path)) out.set(path, REMOTE);
    else {
      const text = readIfExists(path);
      out.set(path, text === undefined ? '(absent)' : sha256(text));
    }
  }
  return out;
}

/**
 * The fingerprint of the inputs: the fixed ones (read now) and `sources`, the files a build
 * read with the hashes of what it read (those of the last build, to check; those of this
 * build, to record).
 */
export function inputFingerprint(rootDir: string, sources: Sources = new Map()): string {
  return fingerprintOf(fixedInputs(rootDir), sources);
}

/** The fixed inputs, one line each: read once at the start of a run, before any build. */
export function fixedInputs(rootDir: string): string[] {
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
  return hash;
}

/** The fingerprint of the fixed inputs and of the sources a build read. */
export function fingerprintOf(fixed: readonly string[], sources: Sources): string {
  const lines = [...fixed];
  for (const path of [...sources.keys()].sort()) lines.push(`source ${path}\0${sources.get(path)}`);
  return sha256(lines.join('\n'));
}
