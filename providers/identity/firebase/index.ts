// Firebase Auth: the browser signs in with the `firebase` SDK and hands the app its ID token;
// the server verifies it (verify-id-token.ts) and starts the app session from it.
import "server-only";
import { z } from "zod";
import type { AppConfig } from "@/lib/config/load";
import { errors } from "@/lib/http/errors";
import { remoteJwks } from "@/lib/keys/remote-jwks";
import { credentialsProvider, identityFromCredentials } from "@/lib/identity/credentials";
import { IdentityTokenError } from "@/lib/identity/token-error";
import type { IdentityProvider, VerifiedIdentity } from "@/lib/identity/types";
import { firebaseIssuer, verifyFirebaseIdToken } from "./verify-id-token";

const input = z.object({ idToken: z.string().min(20).max(8192) });

/**
 * The Firebase sign-in's verification, shared by the Auth.js sign-in and by account linking so
 * that a link accepts exactly what a sign-in accepts.
 */
export async function verifyFirebaseSignIn(config: AppConfig, credentials: Record<string, unknown>): Promise<VerifiedIdentity> {
  if (!config.firebase) throw errors.notConfigured("Firebase");
  const f = config.firebase;
  const { idToken } = input.parse(credentials);
  const claims = await verifyFirebaseIdToken(idToken, {
    projectId: f.projectId,
    keys: remoteJwks(f.jwksUrl),
    emulator: f.emulatorHost ? { host: f.emulatorHost, apiKey: f.apiKey } : undefined,
  });
  // Bridge tokens (custom tokens minted for wallet providers) must not become sign-ins,
  // and a sign-in presents a token Firebase just issued; an older one is a replay.
  if (claims.firebase?.sign_in_provider === "custom")
    throw new IdentityTokenError("custom_token_sign_in", "Firebase custom-token sessions cannot sign in here.");
  if (Date.now() / 1000 - (claims.iat ?? 0) > 600)
    throw new IdentityTokenError("token_too_old", "Sign in again: that Firebase token is too old.");
  const email = claims.email?.toLowerCase() ?? null;
  return {
    provider: "firebase",
    issuer: firebaseIssuer(f.projectId), // verifyFirebaseIdToken required exactly this iss
    subject: claims.sub,
    email,
    // The emulator's word that an email is verified is worth nothing: anyone who reaches it
    // can mark any address verified (its admin API has no authentication). So for the app
    // an emulator identity's email is unverified: it links to no one by email, and the
    // wallet providers that key accounts by email (AIR Kit) or are told email_verified
    // (Turnkey, Alchemy) never hear it vouched for. Otherwise a stranger on the public demo
    // could claim anyone's address and log in to that address's AIR wallet.
    emailVerified: email !== null && claims.email_verified === true && !f.emulatorHost,
    name: claims.name ?? null,
    profile: {
      iss: claims.iss,
      sub: claims.sub,
      email: claims.email,
      email_verified: claims.email_verified,
      name: claims.name,
      sign_in_provider: claims.firebase?.sign_in_provider,
      auth_time: claims.auth_time,
    },
    linkByEmail: !f.emulatorHost,
  };
}

export const firebaseProvider: IdentityProvider = {
  id: "firebase",
  label: () => "Firebase",
  signIn: "browser",
  isConfigured: (config) => Boolean(config.firebase),
  clientConfig: (config) => {
    const f = config.firebase!;
    return {
      apiKey: f.apiKey,
      authDomain: f.authDomain,
      projectId: f.projectId,
      emulatorUrl: f.emulatorUrl ?? null,
      googleSignIn: f.googleSignIn ? "true" : null,
    };
  },
  authjs: (config) =>
    credentialsProvider("firebase", "Firebase", { idToken: { type: "text" } }, (credentials) => verifyFirebaseSignIn(config, credentials)),
  verifyForLink: verifyFirebaseSignIn,
  // An emulator account proves who you are only where nobody else can reach the emulator: its
  // admin API is open, so anyone who reaches it can take over any of its accounts (reset the
  // password, read the out-of-band codes) and, once that account was linked to a user, sign in
  // as that user. On a shared demo, emulator accounts stay separate accounts.
  linkable: (config) => !config.firebase?.emulatorHost || config.firebase.emulatorPrivate,
  toVerifiedIdentity: identityFromCredentials,
};
