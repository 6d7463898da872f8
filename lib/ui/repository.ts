// Where this project's source and docs live: the one place to change when you fork it. The demo
// banner and the wallet cards' "Docs" links point here.

/** The repository's web address (no trailing slash). Set it to your fork's. */
export const REPOSITORY_URL = "https://github.com/byo-auth/embedded-wallets";

/** The branch the docs links open. */
export const REPOSITORY_BRANCH = "main";

/** A file in the repository, as a web page (e.g. "docs/going-live.md"). */
export const repositoryFileUrl = (path: string) => `${REPOSITORY_URL}/blob/${REPOSITORY_BRANCH}/${path}`;
