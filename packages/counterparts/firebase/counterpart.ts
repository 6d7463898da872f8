// The Firebase Auth Emulator's descriptor (see ../lib/counterpart.ts). It runs the real
// emulator (installed on first use, ./install.ts) and seeds the OpenID Provider's demo users.
import type { Counterpart, PublicRequestFilter } from "../lib/counterpart";
import { publicDemoAccounts, SEEDED_USERS } from "../lib/demo-users";
import { startFirebaseAuthEmulator, type RunningFirebaseAuthEmulator } from "./emulator";
import { ensureFirebaseTools } from "./install";
import {
  createVerifiedUser,
  deleteAccountsCreatedBefore,
  EMULATOR_WEB_API_KEY,
  signInWithPassword,
  signUpWithPassword,
} from "./emulator-rest";

export const FIREBASE_PROJECT_ID = "demo-byo-auth";

/**
 * The OpenID Provider's demo users also exist in the Firebase Auth Emulator, with the same
 * email, password and verification state, so that explicit account linking (Link Firebase on
 * the dashboard) can be tried by hand. The app never links them by email: it does not trust the
 * emulator's word that an email is verified.
 */
async function seedFirebaseUsers(emulatorHost: string): Promise<void> {
  for (const user of SEEDED_USERS) {
    const credentials = { email: user.email, password: user.password };
    const exists = await signInWithPassword(emulatorHost, credentials).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    if (user.email_verified) await createVerifiedUser(emulatorHost, FIREBASE_PROJECT_ID, credentials);
    else await signUpWithPassword(emulatorHost, credentials);
  }
}

/**
 * What a browser may ask the emulator through the demo's front proxy: the Identity Toolkit and
 * Secure Token calls the Firebase JS SDK makes for a user's own account (sign up, sign in with
 * a password or a custom token, look up, update or delete itself with its ID token, send its
 * own verification email, refresh its token), the read-only config it fetches, and their CORS
 * preflights. Never the emulator's own API (`/emulator/*`: clear all accounts, read every
 * out-of-band code) and never a request with an Authorization header: the emulator treats
 * `Bearer owner` as the project's administrator, who may change any account.
 * Paths as the SDK builds them against an emulator (`<emulator>/<host>/<path>`, see
 * firebase.google.com/docs/emulator-suite/connect_auth and the REST reference at
 * cloud.google.com/identity-platform/docs/reference/rest/v1/accounts).
 */
const BROWSER_ACCOUNT_CALLS = new Set([
  "signUp",
  "signInWithPassword",
  "signInWithCustomToken",
  "signInWithIdp",
  "createAuthUri",
  "lookup",
  "update",
  "delete",
  "sendOobCode",
]);
export const firebaseBrowserRequest: PublicRequestFilter = ({ method, pathname, headers }) => {
  if (headers.authorization !== undefined) return false;
  const account = /^\/identitytoolkit\.googleapis\.com\/v1\/accounts:([A-Za-z]+)$/.exec(pathname)?.[1];
  const post = (account !== undefined && BROWSER_ACCOUNT_CALLS.has(account)) || pathname === "/securetoken.googleapis.com/v1/token";
  const get =
    pathname === "/identitytoolkit.googleapis.com/v2/recaptchaConfig" || pathname === "/identitytoolkit.googleapis.com/v1/projects";
  if (method === "OPTIONS") return post || get;
  return method === "POST" ? post : method === "GET" ? get : false;
};

export const firebaseCounterpart: Counterpart<RunningFirebaseAuthEmulator> = {
  port: 4,
  install: (log) => ensureFirebaseTools(log),
  label: "firebase auth",
  browserFacing: true,
  publicRequest: firebaseBrowserRequest,
  realServiceConfigured: (env) => Boolean(env.FIREBASE_PROJECT_ID),
  async start(ctx) {
    const firebase = await startFirebaseAuthEmulator({
      port: ctx.port,
      host: ctx.host,
      projectId: FIREBASE_PROJECT_ID,
      dataDir: ctx.dataDir,
      log: (line) => ctx.log(`firebase: ${line}`),
    });
    try {
      await seedFirebaseUsers(firebase.emulatorHost);
    } catch (error) {
      await firebase.close();
      throw error;
    }
    return {
      service: firebase,
      env: {
        FIREBASE_PROJECT_ID,
        FIREBASE_API_KEY: EMULATOR_WEB_API_KEY,
        // The server (firebase-admin, Moojo) on loopback; browsers at the public sub-host.
        FIREBASE_AUTH_EMULATOR_HOST: firebase.emulatorHost,
        ...(ctx.publicUrl ? { FIREBASE_AUTH_EMULATOR_URL: ctx.publicUrl } : {}),
      },
      note: `emulator, ${(firebase.startupMs / 1000).toFixed(1)} s`,
      // Seeded above: the app's "firebase" identity provider signs them in.
      demoAccounts: { signInMethod: "firebase", accounts: publicDemoAccounts() },
      // Visitors' accounts age out; the seeded demo users stay (they are re-created at start anyway).
      // Each (hourly) sweep also writes the export, so a crash loses at most an hour of accounts.
      sweep: async (createdBefore) => {
        const removed = await deleteAccountsCreatedBefore(
          firebase.emulatorHost,
          FIREBASE_PROJECT_ID,
          createdBefore,
          SEEDED_USERS.map((user) => user.email),
        );
        await firebase.checkpoint();
        return { removed };
      },
    };
  },
};
