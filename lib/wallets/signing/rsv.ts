// Turnkey's sign_raw_payload (and the Embedded Wallet Kit's signMessage) answer `{ r, s, v }`:
// r and s as 64 hex digits, v as the recovery id in hex ("00"/"01"). EIP-191 verifiers want
// the 65-byte r‖s‖v with v = 27 + recovery id, as Alchemy's signer client packs it
// (https://github.com/alchemyplatform/aa-sdk, account-kit/signer/src/client/base.ts). Passing
// the recovery id through unchanged yields a signature that does not verify. Browser-safe.

export function signatureFromRsv(result: { r: string; s: string; v: string }): `0x${string}` {
  const strip = (value: string) => (value.startsWith("0x") ? value.slice(2) : value);
  const r = strip(result.r).padStart(64, "0");
  const s = strip(result.s).padStart(64, "0");
  if (!/^[0-9a-fA-F]{64}$/.test(r) || !/^[0-9a-fA-F]{64}$/.test(s)) throw new Error("r and s must be 32 bytes of hex");
  const v = Number.parseInt(strip(result.v), 16);
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) throw new Error("v must be a recovery id (0/1) or 27/28");
  return `0x${r.toLowerCase()}${s.toLowerCase()}${(27 + recovery).toString(16)}`;
}
