// EIP-191 ("personal_sign") signature checks with viem: the signature must recover the
// address the server has on record. Pure: no store, no clock, so tests can feed it vectors.
import { getAddress, isAddressEqual, recoverMessageAddress, verifyMessage, type Hex } from "viem";

/** A 65-byte r‖s‖v signature as 0x-hex, the shape EIP-191 signers return (v is 27/28 or 0/1). */
export const SIGNATURE_PATTERN = /^0x[0-9a-fA-F]{130}$/;

export type SignatureCheck =
  | { ok: true; address: `0x${string}` }
  /** `malformed`: not a recoverable secp256k1 signature; `wrong_signer`: a valid signature by someone else. */
  | { ok: false; reason: "malformed" }
  | { ok: false; reason: "wrong_signer"; recovered: `0x${string}` };

/**
 * True only when `signature` is an EIP-191 signature of exactly `message` by `expected`.
 * The expected address comes from the server's record, never from the request.
 */
export async function checkSignature(message: string, signature: string, expected: string): Promise<SignatureCheck> {
  if (!SIGNATURE_PATTERN.test(signature)) return { ok: false, reason: "malformed" };
  const v = Number.parseInt(signature.slice(130), 16);
  // viem also accepts v = 0/1; anything else is not a recovery id and would only yield noise.
  if (![0, 1, 27, 28].includes(v)) return { ok: false, reason: "malformed" };
  let recovered: `0x${string}`;
  try {
    recovered = await recoverMessageAddress({ message, signature: signature as Hex });
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const address = getAddress(expected);
  // verifyMessage is the documented check (https://viem.sh/docs/utilities/verifyMessage); the
  // recovered address above only explains a refusal.
  const valid = isAddressEqual(recovered, address) && (await verifyMessage({ address, message, signature: signature as Hex }));
  return valid ? { ok: true, address } : { ok: false, reason: "wrong_signer", recovered };
}
