/**
 * The Oracle Content Management side of the sandbox: files, who owns and manages them, the
 * metadata collections assigned to them (field → value), and the applinks that grant access,
 * whose access tokens a test can expire and renew at will (Oracle's expire after 15 minutes).
 * Tests seed and inspect it; the HTTP handler in oracle.ts acts on it. Everything handed out
 * is a copy.
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
}

/** A file to seed: `id` and `owner` are required. */
export type OracleFileInput = Pick<OracleFile, 'id' | 'owner'> &
  Partial<Pick<OracleFile, 'managers' | 'collections' | 'appLinks'>>;

export class OracleState {
  readonly #files = new Map<string, OracleFile>();
  /** Access tokens issued by renewals so far (makes each new token unique). */
  #renewals = 0;
  #errorCodeForm: ErrorCodeForm = 'string';

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
    this.#renewals = 0;
    this.#errorCodeForm = 'string';
  }

  // The operations below are what the HTTP handler does (marked @internal); tests go through HTTP.

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
