/** The User-Agent every request carries unless the caller's `headers` set one. */

/** metaclear's version; test/core/user-agent.test.ts keeps it equal to package.json's. */
export const METACLEAR_VERSION = '0.1.0';

export const USER_AGENT = `metaclear/${METACLEAR_VERSION} node/${process.versions.node}`;
