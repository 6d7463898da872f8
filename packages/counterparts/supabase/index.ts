export { startSupabaseAuth, SupabaseAuthConfigError, AUTH_PATH_PREFIX, MIN_ANON_KEY_LENGTH, type SupabaseAuthOptions } from "./service";
export { OTP_DIGITS, OTP_MAX_ATTEMPTS, OTP_SEND_INTERVAL_SECONDS, OTP_TTL_SECONDS } from "./codes";
export { PASSWORD_FAILURE_WINDOW_SECONDS, PASSWORD_MAX_FAILURES } from "./attempts";
export { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from "./passwords";
export { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS } from "./sessions";
export { API_VERSION_2024_01_01, API_VERSION_HEADER, type AuthErrorCode } from "./errors";
