// The Firebase Auth Emulator's descriptor (see ../lib/counterpart.ts). It runs the real
// emulator (installed on first use, ./install.ts) and seeds the OpenID Provider's demo users.
import type { Counterpart } from "../lib/counterpart";
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

export const firebaseCounterpart: Counterpart<RunningFirebaseAuthEmulator> = {
  port: 4,
  install: (log) => ensureFirebaseTools(log),
  label: "firebase auth",
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
      env: { FIREBASE_PROJECT_ID, FIREBASE_API_KEY: EMULATOR_WEB_API_KEY, FIREBASE_AUTH_EMULATOR_HOST: firebase.emulatorHost },
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
