// Firebase Auth for the browser, created once per page and loaded only when used.
import type { Auth } from "firebase/auth";

export interface FirebaseWebConfig {
  apiKey: string;
  authDomain: string;
  projectId: string;
  /** host:port of the Auth Emulator, when configured. */
  emulatorHost: string | null;
}

let auth: Promise<Auth> | undefined;

export function getFirebaseAuth(config: FirebaseWebConfig): Promise<Auth> {
  auth ??= (async () => {
    const [{ initializeApp, getApps }, { getAuth, connectAuthEmulator }] = await Promise.all([import("firebase/app"), import("firebase/auth")]);
    const app = getApps()[0] ?? initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId });
    const instance = getAuth(app);
    if (config.emulatorHost) connectAuthEmulator(instance, `http://${config.emulatorHost}`, { disableWarnings: true });
    return instance;
  })();
  return auth;
}
