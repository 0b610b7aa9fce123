/**
 * The Oracle Content Management side of the sandbox: files, who owns and manages them, the
 * metadata collections assigned to them (field → value), the folders they sit in (whose values
 * the files inherit), and the applinks that grant access, whose access tokens a test can expire
 * and renew at will (Oracle's expire after 15 minutes), or a client can refresh with the
 * applink's refresh token. Tests seed and inspect it; the HTTP handler in oracle.ts acts on it.
 * Everything handed out is a copy.
 */

/** Applink roles, weakest first; the metadata operation needs contributor or above. */
export const APPLINK_ROLES = ['viewer', 'downloader', 'contributor', 'manager'] as const;
export type AppLinkRole = (typeof APPLINK_ROLES)[number];

export interface OracleAppLink {
  id: string;
  /** The applink's current access token. */
  accessToken: string;
  role: AppLinkRole;
  /** True once the current access token has expired (see `expireAppLinkToken`). */
  expired?: boolean;
  /** The refresh token issued with the applink: PUT /applinks/token exchanges it for a new access token. */
  refreshToken?: string;
}

/** How the sandbox writes Oracle's errorCode: as a JSON string ("-16", as Oracle's examples) or a number (-16, as its schema). */
export type ErrorCodeForm = 'string' | 'number';

/** What an applink presented with a request amounts to, for one file. */
export type AppLinkCheck = 'none' | 'unknown' | 'invalid-or-expired' | { role: AppLinkRole };

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
  /** The folder the file is in: its values (and its parents') are inherited where the file has none. */
  folder?: string;
}

/** A file to seed: `id` and `owner` are required. */
export type OracleFileInput = Pick<OracleFile, 'id' | 'owner'> &
  Partial<Pick<OracleFile, 'managers' | 'collections' | 'appLinks' | 'folder'>>;

/** A folder: the values of its collections apply to the files (and folders) beneath it. */
export interface OracleFolder {
  id: string;
  /** The folder it is in, if any. */
  parent?: string;
  collections: Record<string, Record<string, string>>;
}

export type OracleFolderInput = Pick<OracleFolder, 'id'> & Partial<Pick<OracleFolder, 'parent' | 'collections'>>;

/** A user of the service: the HTTP Basic password and the bearer token that authenticate as `name`. */
export interface OracleUser {
  name: string;
  password?: string;
  bearerToken?: string;
}

/** A presented Basic or Bearer credential, checked against the users: whose it is, or refused. */
export type UserCheck = { user: string } | 'refused' | 'unchecked';

/** What a refresh request amounts to: the new access token, or why it is refused. */
export type AppLinkRefresh = { accessToken: string } | { refused: 'unknown-applink' | 'invalid-token' };

export class OracleState {
  readonly #files = new Map<string, OracleFile>();
  readonly #folders = new Map<string, OracleFolder>();
  /** Access tokens issued by renewals so far (makes each new token unique). */
  #renewals = 0;
  #errorCodeForm: ErrorCodeForm = 'string';
  readonly #users = new Map<string, OracleUser>();

  /** The form errorCode takes in the sandbox's answers, success and errors alike; "string" until changed. */
  get errorCodeForm(): ErrorCodeForm {
    return this.#errorCodeForm;
  }

  /** Answers errorCode as a JSON string ("0", "-16": Oracle's examples) or a number (0, -16: Oracle's schema). */
  answerErrorCodesAs(form: ErrorCodeForm): void {
    if (form !== 'string' && form !== 'number')
      throw new Error(`errorCode form must be "string" or "number", got ${form}`);
    this.#errorCodeForm = form;
  }

  /**
   * Expires the current access token of every applink with this ID (on every file): requests that
   * present it are answered 400 with errorCode -26 until the token is renewed.
   */
  expireAppLinkToken(appLinkId: string): void {
    const links = this.#linksWithId(appLinkId);
    for (const link of links) link.expired = true;
  }

  /**
   * Issues a new access token for the applink with this ID (what Oracle's Applinks resource does
   * with the applink's refresh token) and returns it; the old token stops working.
   */
  renewAppLinkToken(appLinkId: string): string {
    const links = this.#linksWithId(appLinkId);
    this.#renewals += 1;
    const token = `${appLinkId.slice(0, 16)}-renewed-${this.#renewals}`;
    for (const link of links) {
      link.accessToken = token;
      link.expired = false;
    }
    return token;
  }

  #linksWithId(appLinkId: string): OracleAppLink[] {
    const links = [...this.#files.values()].flatMap((file) => file.appLinks.filter((l) => l.id === appLinkId));
    if (links.length === 0) throw new Error(`the sandbox has no applink ${appLinkId}`);
    return links;
  }

  /** Adds a folder; its parent, if given, must exist already. */
  addFolder(input: OracleFolderInput): OracleFolder {
    if (input.id === '') throw new Error('a folder id must not be empty');
    if (this.#folders.has(input.id)) throw new Error(`the sandbox already has an Oracle folder ${input.id}`);
    if (input.parent !== undefined && !this.#folders.has(input.parent)) {
      throw new Error(`folder ${input.id}: no parent folder ${input.parent}; add it first`);
    }
    const folder: OracleFolder = structuredClone({
      id: input.id,
      ...(input.parent !== undefined ? { parent: input.parent } : {}),
      collections: input.collections ?? {},
    });
    this.#folders.set(folder.id, folder);
    return structuredClone(folder);
  }

  folder(id: string): OracleFolder | undefined {
    const folder = this.#folders.get(id);
    return folder && structuredClone(folder);
  }

  addFile(input: OracleFileInput): OracleFile {
    if (input.id === '') throw new Error('a file id must not be empty');
    if (this.#files.has(input.id)) throw new Error(`the sandbox already has an Oracle file ${input.id}`);
    for (const link of input.appLinks ?? []) {
      if (!APPLINK_ROLES.includes(link.role)) throw new Error(`applink ${link.id}: unknown role ${link.role}`);
    }
    if (input.folder !== undefined && !this.#folders.has(input.folder)) {
      throw new Error(`file ${input.id}: no folder ${input.folder}; add it first`);
    }
    const file: OracleFile = structuredClone({
      id: input.id,
      owner: input.owner,
      managers: input.managers ?? [],
      collections: input.collections ?? {},
      appLinks: input.appLinks ?? [],
      ...(input.folder !== undefined ? { folder: input.folder } : {}),
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

  /**
   * Registers a user. From the first one on, HTTP Basic and Bearer credentials are checked as the
   * service checks them: a wrong password, an unknown user or an unknown token is answered 401.
   * Until then any non-empty credential authenticates, as the user it names.
   */
  addUser(user: OracleUser): void {
    if (user.name === '') throw new Error('a user name must not be empty');
    this.#users.set(user.name, { ...user });
  }

  reset(): void {
    this.#users.clear();
    this.#files.clear();
    this.#folders.clear();
    this.#renewals = 0;
    this.#errorCodeForm = 'string';
  }

  // The operations below are what the HTTP handler does (marked @internal); tests go through HTTP.

  /** @internal Whose a Basic (user and password) or Bearer (token) credential is, once users are registered. */
  checkUser(presented: { user: string; password: string } | { token: string }): UserCheck {
    if (this.#users.size === 0) return 'unchecked';
    if ('token' in presented) {
      for (const user of this.#users.values()) {
        if (user.bearerToken !== undefined && user.bearerToken === presented.token) return { user: user.name };
      }
      return 'refused';
    }
    const user = this.#users.get(presented.user);
    return user?.password !== undefined && user.password === presented.password ? { user: user.name } : 'refused';
  }

  /**
   * @internal
   * The applink presented with a request, checked against a file's applinks: none presented, an ID
   * the file has no applink for, a token that is not the applink's current one or has expired, or
   * the role of a valid one.
   */
  checkAppLink(fileId: string, presented: { id: string; accessToken: string } | undefined): AppLinkCheck {
    if (!presented) return 'none';
    const link = this.#files.get(fileId)?.appLinks.find((l) => l.id === presented.id);
    if (!link) return 'unknown';
    if (link.accessToken !== presented.accessToken || link.expired === true) return 'invalid-or-expired';
    return { role: link.role };
  }

  /**
   * @internal
   * The file's values by collection: with `direct`, only the collections assigned to the file and
   * the values set on it; without, also the values of its folders' collections (nearest folder
   * first) wherever the file has none of its own.
   */
  valuesOf(fileId: string, direct: boolean): Record<string, Record<string, string>> | undefined {
    const file = this.#files.get(fileId);
    if (!file) return undefined;
    const values = structuredClone(file.collections);
    if (direct) return values;
    const seen = new Set<string>();
    for (let at = file.folder; at !== undefined && !seen.has(at); at = this.#folders.get(at)?.parent) {
      seen.add(at);
      for (const [collection, fields] of Object.entries(this.#folders.get(at)?.collections ?? {})) {
        const merged = values[collection] ?? {};
        values[collection] = merged;
        for (const [field, value] of Object.entries(fields)) {
          if (!Object.hasOwn(merged, field)) merged[field] = value;
        }
      }
    }
    return values;
  }

  /**
   * @internal
   * Sets values of fields of a collection assigned to the file; false when it is not assigned.
   */
  assignFieldValues(fileId: string, collection: string, values: Readonly<Record<string, string>>): boolean {
    const file = this.#files.get(fileId);
    const fields = file && Object.hasOwn(file.collections, collection) ? file.collections[collection] : undefined;
    if (!fields) return false;
    Object.assign(fields, values);
    return true;
  }

  /**
   * @internal
   * Exchanges an applink's refresh token for a new access token: the access token presented must
   * be the applink's current one (expired or not) and the refresh token the one issued with it.
   */
  refreshAppLink(appLinkId: string, accessToken: string, refreshToken: string): AppLinkRefresh {
    const links = [...this.#files.values()].flatMap((file) => file.appLinks.filter((l) => l.id === appLinkId));
    const link = links[0];
    if (!link) return { refused: 'unknown-applink' };
    if (link.accessToken !== accessToken || link.refreshToken === undefined || link.refreshToken !== refreshToken) {
      return { refused: 'invalid-token' };
    }
    return { accessToken: this.renewAppLinkToken(appLinkId) };
  }

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
