/**
 * The Oracle Content Management side of the sandbox: files, who owns and manages them, the
 * metadata collections assigned to them (field → value), and the applinks that grant access.
 * Tests seed and inspect it; the HTTP handler in oracle.ts acts on it. Everything handed out
 * is a copy.
 */

/** Applink roles, weakest first; the metadata operation needs contributor or above. */
export const APPLINK_ROLES = ['viewer', 'downloader', 'contributor', 'manager'] as const;
export type AppLinkRole = (typeof APPLINK_ROLES)[number];

export interface OracleAppLink {
  id: string;
  accessToken: string;
  role: AppLinkRole;
}

export interface OracleFile {
  id: string;
  /** The owner's user name (the Basic user name, or the bearer token string, that identifies them). */
  owner: string;
  /** Users with the manager role on the file. */
  managers: string[];
  /**
   * Metadata collections assigned to the file: collection name → field → value. Personal
   * collections are named `Personal.<name>`.
   */
  collections: Record<string, Record<string, string>>;
  appLinks: OracleAppLink[];
}

/** A file to seed: `id` and `owner` are required. */
export type OracleFileInput = Pick<OracleFile, 'id' | 'owner'> &
  Partial<Pick<OracleFile, 'managers' | 'collections' | 'appLinks'>>;

export class OracleState {
  readonly #files = new Map<string, OracleFile>();

  addFile(input: OracleFileInput): OracleFile {
    if (input.id === '') throw new Error('a file id must not be empty');
    if (this.#files.has(input.id)) throw new Error(`the sandbox already has an Oracle file ${input.id}`);
    for (const link of input.appLinks ?? []) {
      if (!APPLINK_ROLES.includes(link.role)) throw new Error(`applink ${link.id}: unknown role ${link.role}`);
    }
    const file: OracleFile = structuredClone({
      id: input.id,
      owner: input.owner,
      managers: input.managers ?? [],
      collections: input.collections ?? {},
      appLinks: input.appLinks ?? [],
    });
    this.#files.set(file.id, file);
    return structuredClone(file);
  }

  file(id: string): OracleFile | undefined {
    const file = this.#files.get(id);
    return file && structuredClone(file);
  }

  files(): OracleFile[] {
    return [...this.#files.values()].map((file) => structuredClone(file));
  }

  reset(): void {
    this.#files.clear();
  }

  // The operations below are what the HTTP handler does (marked @internal); tests go through HTTP.

  /** @internal The live file (not a copy). */
  liveFile(id: string): Readonly<OracleFile> | undefined {
    return this.#files.get(id);
  }

  /**
   * @internal
   * Resets (deletes) the values of `fields` in a collection of a file: the fields disappear from
   * the collection, which stays assigned. Fields without a value are left as they are.
   * Returns false when the collection is not assigned to the file.
   */
  resetFieldValues(fileId: string, collection: string, fields: readonly string[]): boolean {
    const file = this.#files.get(fileId);
    const values = file && Object.hasOwn(file.collections, collection) ? file.collections[collection] : undefined;
    if (!values) return false;
    for (const field of fields) delete values[field];
    return true;
  }
}
