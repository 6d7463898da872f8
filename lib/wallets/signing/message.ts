// The text a wallet signs for "Sign a test message". Shaped after EIP-4361 (Sign-In with
// Ethereum, https://eips.ethereum.org/EIPS/eip-4361) so wallets and people read it the usual
// way: the requesting domain, the account, a statement naming the app, then the URI, the
// nonce and the validity window. It has no Chain ID: nothing here is tied to a chain, and the
// statement says it grants nothing, so it cannot be mistaken for a sign-in.

export interface SignMessageFields {
  /** The app's name from configuration (APP_NAME). */
  appName: string;
  /** The app's origin (AUTH_URL); its host is the EIP-4361 domain. */
  appUrl: string;
  /** The wallet provider's display name. */
  providerName: string;
  /** The address on record for the user's connection, EIP-55 checksummed. */
  address: string;
  nonce: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** Nonces are 32 lowercase hex characters (128 random bits); EIP-4361 wants alphanumerics, at least 8. */
export const NONCE_PATTERN = /^[0-9a-f]{32}$/;

export function buildSignMessage(f: SignMessageFields): string {
  const url = new URL(f.appUrl);
  return [
    `${url.host} wants you to sign with your Ethereum account:`,
    f.address,
    "",
    `Sign a test message for ${f.appName}. It proves your ${f.providerName} wallet can sign; it grants nothing and moves no funds.`,
    "",
    `URI: ${url.origin}`,
    "Version: 1",
    `Nonce: ${f.nonce}`,
    `Issued At: ${f.issuedAt.toISOString()}`,
    `Expiration Time: ${f.expiresAt.toISOString()}`,
  ].join("\n");
}
