// Prints production-ready values for AUTH_SECRET and SIGNING_KEYS (an ES256 and an RS256
// private JWK). Paste them into your host's secret store; never commit them.
//
//   npm run keys:generate            both algorithms
//   npm run keys:generate -- ES256   one algorithm
import { randomBytes } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";

const algs = (process.argv.slice(2).length ? process.argv.slice(2) : ["ES256", "RS256"]) as ("ES256" | "RS256")[];
const keys = [];
for (const alg of algs) {
  if (alg !== "ES256" && alg !== "RS256") throw new Error(`Unsupported algorithm ${alg}; use ES256 or RS256.`);
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = { ...(await exportJWK(privateKey)), alg };
  keys.push(jwk);
  console.error(`# ${alg} kid (RFC 7638 thumbprint): ${await calculateJwkThumbprint(await exportJWK(publicKey))}`);
}
process.stdout.write(`AUTH_SECRET=${randomBytes(33).toString("base64")}\n`);
process.stdout.write(`SIGNING_KEYS='${JSON.stringify(keys)}'\n`);
