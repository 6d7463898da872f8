import { p256 } from "@noble/curves/nist.js";
const sk = p256.utils.randomSecretKey();
const sig = p256.sign(new Uint8Array([1,2,3]), sk);
console.log(sig.length, typeof p256.Signature.fromBytes, p256.CURVE?.n ?? (p256 as any).Point.CURVE().n);
const s = p256.Signature.fromBytes(sig);
console.log(s.r > 0n, Object.keys(p256), Object.keys(p256.utils));
