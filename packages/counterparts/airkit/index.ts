export { startAirKit, maskEmail, AirKitConfigError, type AirKitOptions, type AirKitPartner } from "./service";
export {
  createPartnerTokenVerifier,
  PartnerTokenError,
  PARTNER_TOKEN_ALGORITHMS,
  type PartnerRegistration,
  type PartnerTokenErrorCode,
  type PartnerTokenVerifier,
  type PartnerTokenVerifierOptions,
  type VerifiedPartnerToken,
} from "./partner-token";
export { addressFromPrivateKey, isChecksumAddress, toChecksumAddress } from "../lib/ethereum-address";
