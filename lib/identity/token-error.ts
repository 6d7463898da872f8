import { errors as joseErrors } from "jose";

/** A token from an identity provider was refused. `code` is stable; tests and clients rely on it. */
export class IdentityTokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "IdentityTokenError";
  }
}

/** Maps what jose throws to our codes. Anything that is not a verdict on the token means the key server was unreachable. */
export function fromJoseError(error: unknown): IdentityTokenError {
  if (error instanceof IdentityTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new IdentityTokenError("token_expired", "The token has expired.");
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === "iss") return new IdentityTokenError("iss_invalid", "The token was issued by someone else.");
    if (claim === "aud") return new IdentityTokenError("aud_invalid", "The token is meant for another audience.");
    if (claim === "nbf") return new IdentityTokenError("token_not_yet_valid", "The token is not valid yet.");
    if (claim === "iat") return new IdentityTokenError("iat_invalid", "The token's issue time is invalid.");
    return new IdentityTokenError(`${claim}_invalid`, `The token's ${claim} claim is invalid.`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return new IdentityTokenError("alg_not_allowed", "The token's algorithm is not allowed.");
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return new IdentityTokenError("kid_unknown", "The token was signed by an unknown key.");
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new IdentityTokenError("signature_invalid", "The token's signature is invalid.");
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid)
    return new IdentityTokenError("token_malformed", "The token is malformed.");
  if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
    return new IdentityTokenError("jwks_unreachable", "The identity provider's signing keys could not be fetched.");
  }
  return new IdentityTokenError("token_invalid", "The token is invalid.");
}
