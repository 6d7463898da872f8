export { startMoojo, MoojoConfigError, DEFAULT_TOKEN_TTL_SECONDS, ID_TYPE_FIREBASE_JWT, type MoojoOptions } from "./service";
export {
  createFirebaseIdTokenVerifier,
  FirebaseIdTokenError,
  FIREBASE_SECURETOKEN_JWKS_URL,
  FIREBASE_ISSUER_PREFIX,
  type FirebaseIdTokenErrorCode,
  type FirebaseIdTokenVerifier,
  type FirebaseIdTokenVerifierOptions,
  type VerifiedFirebaseIdToken,
} from "./firebase-id-token";
export { ACCESS_TOKEN_PATTERN, type MoojoUser } from "./store";
