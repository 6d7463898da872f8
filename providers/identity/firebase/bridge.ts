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
 * The Firebase uid that stands for this app user, decided once per Firebase project and then
 * kept whatever the user signs in with. Moojo keys its users by the uid in the ID token, so a
 * uid that changed with the sign-in method would hand the same person a second Moojo identity
 * and orphan the first (issue #9, item 6). The first time the app needs one, it records:
 *   1. the uid of the user's Firebase identity in this project, if one is linked (an existing
 *      Firebase app keeps its users' uids, and so their existing Moojo identities), else
 *   2. the app user id (the bridge mints custom tokens for it).
 * Later Firebase sign-ins with a different uid of their own do not change it: the browser then
 * goes through the bridge for the recorded uid (docs/going-live/moojo.md).
 */
export async function firebaseUidFor(identity: Identity): Promise<string> {
  const { firebase } = await getConfig();
  if (!firebase) throw notConfigured();
  const issuer = normalizeIssuer(firebaseIssuer(firebase.projectId));
  const store = await getStore();
  // listIdentities is oldest first: the first Firebase identity linked is the candidate.
  const linked = (await store.listIdentities(identity.userId)).find((i) => i.provider === "firebase" && i.issuer === issuer);
  const uid = await store.claimFirebaseUid(identity.userId, issuer, linked?.subject ?? identity.userId);
  if (uid === null) {
    // Only possible if the candidate uid already stands for someone else (e.g. a custom uid
    // equal to another user's id): never share a Firebase identity between two people.
    console.error("[firebase] bridge uid already taken by another user");
    throw new AppError("firebase_uid_taken", 409, "This account's Firebase identity is already used by another account. Contact support.");
  }
  return uid;
}

let admin: Promise<import("firebase-admin/auth").Auth> | undefined;

async function adminAuth() {
  const { firebase } = await getConfig();
  if (!firebase) throw notConfigured();
  if (!firebase.serviceAccount && !firebase.emulatorHost) {
    throw new AppError("firebase_bridge_not_configured", 503, "Minting Firebase custom tokens needs FIREBASE_SERVICE_ACCOUNT.");
  }
  admin ??= (async () => {
    const [{ initializeApp, getApps, cert }, { getAuth }] = await Promise.all([
      import("firebase-admin/app"),
      import("firebase-admin/auth"),
    ]);
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

/**
 * Verifies a Firebase ID token from the browser AND that it carries exactly this user's recorded
 * uid (firebaseUidFor): a Firebase session of this person with another uid, or anyone else's
 * token, is refused; the browser must use the bridge for the recorded uid instead.
 */
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
