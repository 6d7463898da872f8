export {
  startFirebaseAuthEmulator,
  FirebaseEmulatorError,
  DEFAULT_START_TIMEOUT_MS,
  DEFAULT_STOP_GRACE_MS,
  type FirebaseAuthEmulatorOptions,
  type FirebaseEmulatorErrorCode,
  type RunningFirebaseAuthEmulator,
} from "./emulator";
export {
  EMULATOR_WEB_API_KEY,
  EmulatorRestError,
  createVerifiedUser,
  deleteAccounts,
  deleteAccountsCreatedBefore,
  deleteAllUsers,
  listAccounts,
  markEmailVerified,
  signInWithPassword,
  signUpWithPassword,
  type EmailPassword,
  type EmulatorAccount,
  type EmulatorSignIn,
} from "./emulator-rest";
export { findFreePort, findFreePorts, isPortFree } from "./ports";
export { ensureFirebaseTools, firebaseToolsInstalled, FirebaseToolsInstallError } from "./install";
export { firebaseCounterpart, FIREBASE_PROJECT_ID } from "./counterpart";
