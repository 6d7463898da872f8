import "server-only";
// The Firebase bridge: some wallet providers (Moojo) accept only Firebase ID tokens. A user
// who signed in with Firebase already has one in the browser; for everyone else the server
// mints a Firebase custom token that the browser exchanges (signInWithCustomToken) for an ID
// token. Either way the server later checks that the ID token's uid is the one it expects for
// the session, so a browser cannot present someone else's Firebase identity.
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";
import { remoteJwks } from "@/lib/keys/remote-jwks";
import { getStore } from "@/lib/store";
import { normalizeIssuer } from "@/lib/store/types";
import { type FirebaseClaims, firebaseIssuer, verifyFirebaseIdToken } from "./verify-id-token";

const notConfigured = () =>
  new AppError("firebase_not_configured", 404, "Firebase is not configured on this server (FIREBASE_PROJECT_ID, FIREBASE_API_KEY).");

/**
 * The Firebase uid that stands for this app user: their linked Firebase identity in the
 * configured project (a uid from another project means nothing here), else the app user id.
 */
export async function firebaseUidFor(identity: Identity): Promise<string> {
  if (identity.provider === "firebase") return identity.subject;
  const { firebase } = await getConfig();
  const issuer = firebase ? normalizeIssuer(firebaseIssuer(firebase.projectId)) : undefined;
  const linked = (await (await getStore()).listIdentities(identity.userId)).find((i) => i.provider === "firebase" && i.issuer === issuer);
  return linked?.subject ?? identity.userId;
}

let admin: Promise<import("firebase-admin/auth").Auth> | undefined;

async function adminAuth() {
  const { firebase } = await getConfig();
  if (!firebase) throw notConfigured();
  if (!firebase.serviceAccount && !firebase.emulatorHost) {
    throw new AppError("firebase_bridge_not_configured", 503, "Minting Firebase custom tokens needs FIREBASE_SERVICE_ACCOUNT.");
  }
  admin ??= (async () => {
    const [{ initializeApp, getApps, cert }, { getAuth }] = await Promise.all([import("firebase-admin/app"), import("firebase-admin/auth")]);
    const name = "byo-auth-bridge";
    // With FIREBASE_AUTH_EMULATOR_HOST set (firebase-admin reads it from the environment),
    // custom tokens are minted for the emulator and need no credential.
    const app =
      getApps().find((a) => a.name === name) ??
      initializeApp(
        {
          projectId: firebase.projectId,
          // firebase-admin refuses an explicit `credential: undefined`; leave the key out instead.
          ...(firebase.serviceAccount && {
            credential: cert({
              projectId: firebase.serviceAccount.projectId,
              clientEmail: firebase.serviceAccount.clientEmail,
              privateKey: firebase.serviceAccount.privateKey,
            }),
          }),
        },
        name,
      );
    return getAuth(app);
  })();
  return admin;
}

/** A custom token the browser exchanges for a Firebase ID token of `firebaseUidFor(identity)`. */
export async function mintFirebaseCustomToken(identity: Identity): Promise<{ customToken: string; uid: string }> {
  const uid = await firebaseUidFor(identity);
  try {
    const customToken = await (await adminAuth()).createCustomToken(uid, { app_user_id: identity.userId });
    return { customToken, uid };
  } catch (error) {
    if (error instanceof AppError) throw error;
    console.error("[firebase] createCustomToken failed", error);
    throw new AppError("upstream_unavailable", 502, "Firebase could not mint a sign-in token. Try again in a moment.");
  }
}

/** Verifies a Firebase ID token from the browser AND that it belongs to this session's user. */
export async function verifyFirebaseIdTokenForSession(idToken: string, identity: Identity): Promise<FirebaseClaims> {
  const { firebase } = await getConfig();
  if (!firebase) throw notConfigured();
  const claims = await verifyFirebaseIdToken(idToken, {
    projectId: firebase.projectId,
    keys: remoteJwks(firebase.jwksUrl),
    emulator: firebase.emulatorHost ? { host: firebase.emulatorHost, apiKey: firebase.apiKey } : undefined,
  });
  if (claims.sub !== (await firebaseUidFor(identity))) {
    throw new AppError("firebase_token_mismatch", 403, "That Firebase sign-in belongs to another user. Sign out and in again.");
  }
  return claims;
}
