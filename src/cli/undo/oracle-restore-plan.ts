/**
 * Which entries of an Oracle backup a restore applies, and with which values (the rule is in
 * backup-file.ts's header comment): for each file, its entries whose clear was not refused, merged
 * in file order (a later entry's value of a field wins), applied once, at the place of the last of
 * them; every other entry of the file is not applied (superseded), nor is an entry whose clear was
 * refused.
 *
 * Worked out before the first request, in at most two passes over the backup. The first checks
 * every line, notes the lines of the refused entries, and finds the files that may have more than
 * one entry with a Bloom filter (about 2 bytes per entry the file could hold, at most 32 MB): a file
 * taken for repeated that is not costs only a look in the second pass, which runs only when some
 * file may be repeated or some clear was refused, and reads the entries of those files alone.
 * Memory: the filter, plus the refused and repeated entries; nothing per file of the backup.
 */
import type { OwnValues } from '../../oracle-documents/values.js';
import { UsageError } from '../errors.js';
import type { OpenedBackup, OracleEntry } from './backup-file.js';
import { oracleLine } from './backup-file.js';

export interface RestorePlan {
  /** The values to restore for the entry at `line` (undefined: it is not applied). */
  valuesAt(line: number, entry: OracleEntry): OwnValues | undefined;
}

/** A Bloom filter of strings: `addSeen` says whether the string may have been added before. */
class SeenFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(expected: number) {
    // 16 bits per expected string (6 hashes: about 1 false "seen" in 1,000), a power of two, 64 kbit to 256 Mbit.
    let size = 1 << 16;
    while (size < expected * 16 && size < 2 ** 28) size *= 2;
    this.#bits = new Uint32Array(size / 32);
    this.#mask = size - 1;
  }

  addSeen(text: string): boolean {
    // FNV-1a twice (two seeds), combined by double hashing.
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h2 |= 1;
    let seen = true;
    for (let k = 0; k < 6; k++) {
      const bit = (h1 + Math.imul(k, h2)) & this.#mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      const bits = this.#bits[word] as number;
      if ((bits & flag) === 0) {
        seen = false;
        this.#bits[word] = bits | flag;
      }
    }
    return seen;
  }
}

/**
 * Reads the backup (every line checked by `check`, which also gives each entry to the journal's
 * check) and works out the plan. `bytes` is the backup's size, which bounds how many entries it holds.
 */
export async function planRestore(
  backup: OpenedBackup,
  bytes: number,
  check: (raw: unknown, line: number) => OracleEntry,
): Promise<RestorePlan> {
  // The shortest entry, {"fileId":"","values":{"":""}}, is 31 bytes with its newline.
  const seen = new SeenFilter(Math.ceil(bytes / 31));
  const maybeRepeated = new Set<string>();
  /** Line of a refused entry → its file ID (checked against the entry in the second pass). */
  const refused = new Map<number, string>();
  for await (const { entry: raw, line } of backup.entries()) {
    const parsed = oracleLine(backup.path, raw, line);
    if (parsed.outcome !== undefined) {
      if (parsed.outcome.clear === 'refused') refused.set(parsed.outcome.line, parsed.outcome.fileId);
      continue;
    }
    const { fileId } = check(raw, line);
    if (seen.addSeen(fileId)) maybeRepeated.add(fileId);
  }
  const superseded = new Set<number>();
  const merged = new Map<number, OwnValues>();
  if (maybeRepeated.size > 0 || refused.size > 0) {
    /** File → its entries whose clear was not refused, in file order. */
    const groups = new Map<string, { line: number; values: OwnValues }[]>();
    const entryLines = new Set<number>();
    for await (const { entry: raw, line } of backup.entries()) {
      const parsed = oracleLine(backup.path, raw, line);
      if (parsed.outcome !== undefined) continue;
      const { fileId, values } = parsed.entry;
      const refusedFile = refused.get(line);
      if (refusedFile !== undefined) {
        entryLines.add(line);
        if (refusedFile !== fileId) {
          throw new UsageError(
            `${backup.path}: an outcome line names line ${line} as the entry of file ${JSON.stringify(refusedFile)}; that line is the entry of ${JSON.stringify(fileId)}`,
          );
        }
        continue;
      }
      if (!maybeRepeated.has(fileId)) continue;
      const group = groups.get(fileId) ?? [];
      group.push({ line, values });
      groups.set(fileId, group);
    }
    for (const line of refused.keys()) {
      if (!entryLines.has(line))
        throw new UsageError(`${backup.path}: an outcome line names line ${line}, which is not an entry`);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const last = group[group.length - 1] as { line: number };
      merged.set(last.line, Object.assign({}, ...group.map((e) => e.values)) as OwnValues);
      for (const e of group.slice(0, -1)) superseded.add(e.line);
    }
  }
  return {
    valuesAt(line, entry) {
      if (refused.has(line) || superseded.has(line)) return undefined;
      return merged.get(line) ?? entry.values;
    },
  };
}
