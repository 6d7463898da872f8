// Firebase Auth for the browser, created once per page and loaded only when used.
import type { Auth } from "firebase/auth";

/** firebase/app's name for the app `initializeApp` creates without a name. */
const DEFAULT_APP = "[DEFAULT]";
const LINK_APP = "account-link";

export interface FirebaseWebConfig {
  apiKey: string;
  authDomain: string;
  projectId: string;
  /** The Auth Emulator as this browser reaches it (http or https), or null for real Firebase. */
  emulatorUrl: string | null;
}

let auth: Promise<Auth> | undefined;

export function getFirebaseAuth(config: FirebaseWebConfig): Promise<Auth> {
  auth ??= (async () => {
    const [{ initializeApp, getApps }, { getAuth, connectAuthEmulator }] = await Promise.all([
      import("firebase/app"),
      import("firebase/auth"),
    ]);
    // By name: other, in-memory instances (account linking, the Moojo bridge) may exist already.
    const app =
      getApps().find((a) => a.name === DEFAULT_APP) ??
      initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId });
    const instance = getAuth(app);
    if (config.emulatorUrl) connectAuthEmulator(instance, config.emulatorUrl, { disableWarnings: true });
    return instance;
  })();
  return auth;
}

/**
 * A Firebase Auth instance of its own for account linking, in memory only: proving a Firebase
 * account to link it never creates, replaces or persists the page's own Firebase session, and
 * signing it out afterwards leaves nothing behind.
 */
export async function getFirebaseLinkAuth(config: FirebaseWebConfig): Promise<Auth> {
  const [{ initializeApp, getApps }, { initializeAuth, getAuth, inMemoryPersistence, browserPopupRedirectResolver, connectAuthEmulator }] =
    await Promise.all([import("firebase/app"), import("firebase/auth")]);
  const existing = getApps().find((a) => a.name === LINK_APP);
  if (existing) return getAuth(existing);
  const app = initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId }, LINK_APP);
  const instance = initializeAuth(app, { persistence: inMemoryPersistence, popupRedirectResolver: browserPopupRedirectResolver });
  if (config.emulatorUrl) connectAuthEmulator(instance, config.emulatorUrl, { disableWarnings: true });
  return instance;
}
