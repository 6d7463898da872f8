import "server-only";
import { mintIdToken } from "@/lib/tokens/id-token";
import type { WalletContext } from "./types";

/**
 * The OIDC ID token a wallet provider gets for the signed-in user (Turnkey's oauth_login,
 * Alchemy's auth-jwt): the app is the issuer, the subject is the app's user id from the
 * server session, and it is RS256, which both accept (Alchemy accepts nothing else).
 * `nonce` binds it to a browser key, or is random where no key may be logged in with it.
 */
export function walletIdToken({ identity, config, keySet }: WalletContext, audience: string, nonce: string) {
  return mintIdToken(keySet, {
    issuer: config.appUrl,
    audience,
    subject: identity.userId,
    email: identity.email ?? "",
    emailVerified: identity.emailVerified,
    nonce,
    alg: "RS256",
  });
}
