export { startTurnkey, TurnkeyConfigError, type TurnkeyOptions } from "./service";
export { GRPC, TurnkeyApiError, ERROR_INFO_TYPE, type RpcStatus } from "./errors";
export { publicKeyHex, type SessionClaims, type VerificationTokenClaims } from "./signer-keys";
export { DEFAULT_OTP_SECONDS } from "./otp";
