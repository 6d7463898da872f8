// What the app reads from Alchemy's signer API, and the target key it sends. No `server-only`:
// the counterpart's tests (packages/counterparts/alchemy) validate its answers against these same schemas,
// and the browser connector builds its target key with `alchemyTargetPublicKey`.
//
// Sources (the documentation wins over our counterpart):
// - auth-jwt: https://www.alchemy.com/docs/wallets/api-reference/signer/signer-api-endpoints/auth-jwt
//   ("Authenticate with JWT"): `orgId` string;
//   `isSignup` "boolean or null, defaults to false"; `credentialBundle`, `userId`, `address`,
//   `solanaAddress` "string or null". Alchemy's own signer client types the same answer with
//   the spelling `isSignUp` (aa-sdk account-kit/signer/src/client/types.ts, `JwtResponse`).
// - whoami ("Authenticate User"):
//   https://www.alchemy.com/docs/node/smart-wallets/signer-api-endpoints/signer-api-endpoints/auth-user
//   `userId`, `orgId`, `address` strings; `email` and `solanaAddress` "string or null".
// - sign-payload ("Sign Message"):
//   https://www.alchemy.com/docs/wallets/api-reference/signer/signer-api-endpoints/sign-message
//   `{ signature }`, which Alchemy's signer client returns as a Hex (aa-sdk signRawMessage).
// Unknown extra fields are ignored (zod objects strip them), so a new field is never an error.
import { z } from "zod";

/** A value the documentation allows to be null (or, leniently, absent): both read as "missing". */
const nullableString = z
  .string()
  .nullish()
  .transform((value) => value ?? null);

export const authJwtResponseSchema = z
  .object({
    orgId: z.string().min(1),
    isSignup: z.boolean().nullish(),
    isSignUp: z.boolean().nullish(),
    credentialBundle: nullableString,
    userId: nullableString,
    address: nullableString,
    solanaAddress: nullableString,
  })
  // "Defaults to false": null or absent under either spelling is not a sign-up.
  .transform(({ isSignUp, isSignup, ...rest }) => ({ ...rest, isSignup: isSignup ?? isSignUp ?? false }));
export type AuthJwtResponse = z.output<typeof authJwtResponseSchema>;

export const whoamiResponseSchema = z.object({
  orgId: z.string().min(1),
  userId: z.string().min(1),
  address: z.string().min(1),
  email: nullableString,
  solanaAddress: nullableString,
});
export type WhoamiResponse = z.output<typeof whoamiResponseSchema>;

export const signPayloadResponseSchema = z.object({
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature as 0x-hex"),
});

/** A Turnkey request stamped in the browser, relayed by the server (whoami, sign-payload). */
export const stampedRequestSchema = z.object({
  body: z.string().max(4096),
  stamp: z.object({ stampHeaderName: z.string().max(64), stampHeaderValue: z.string().max(4096) }),
  url: z.url().max(512),
});

/**
 * The target key exactly as Alchemy's signer client sends it: the uncompressed P-256 point,
 * 130 lowercase hex characters starting `04`, no `0x`. `@account-kit/signer` passes on the
 * public key of Turnkey's auth iframe (AlchemySignerWebClient.submitJwt → initSessionStamper →
 * `iframeStamper.publicKey()`), which the iframe makes with WebCrypto's "raw" export (the
 * uncompressed point) written as lowercase hex (tkhq/frames auth/index.html,
 * `uint8arrayToHexString`); where the signer makes a target key itself it writes
 * `toHex(p256.getPublicKey(key, false)).slice(2)` (aa-sdk account-kit/signer/src/client/base.ts,
 * exportPrivateKey). The nonce is the SHA-256 of exactly this text.
 */
export const targetPublicKeySchema = z
  .string()
  .regex(/^04[0-9a-f]{128}$/, "the uncompressed P-256 public key: 130 lowercase hex characters starting 04, no 0x");

/** The uncompressed public key of a `@turnkey/crypto` key pair, in the form above. */
export function alchemyTargetPublicKey(keyPair: { publicKeyUncompressed: string }): string {
  return targetPublicKeySchema.parse(keyPair.publicKeyUncompressed.toLowerCase().replace(/^0x/, ""));
}
