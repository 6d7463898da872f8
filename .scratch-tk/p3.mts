import { extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes, bytesToHex } from "@noble/hashes/utils.js";
const HPKE = new Uint8Array([72, 80, 75, 69, 0, 16, 0, 1, 0, 2]);
const le = (label: string, ikm: Uint8Array) => bytesToHex(extract(sha256, concatBytes(utf8ToBytes("HPKE-v1"), HPKE, utf8ToBytes(label), ikm), new Uint8Array()));
for (const c of ["turnkey_hpke", "turnkey", "Turnkey", "turnkey-hpke", "hpke", "turnkey_hpke_encryption", "TURNKEY", "tkhq", "qos", "turnkey_credential", "test", "info"]) {
  console.log(c, le("info_hash", utf8ToBytes(c)).slice(0, 16));
}
