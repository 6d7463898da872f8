// The browser's Alchemy session key, kept for signing after connect. The credential bundle
// decrypts to a raw P-256 private key; it is imported at once into WebCrypto as a
// NON-extractable key and kept in IndexedDB (structured clone keeps it non-extractable), so
// script on the page can use it to stamp but never read it out. The raw bytes live only inside
// `storeSessionKey`. Connecting again replaces it; disconnect and sign-out delete it.
//
// Stamps are Turnkey API stamps, which Alchemy's signer API checks: base64url of JSON
// { publicKey: compressed hex, scheme: "SIGNATURE_SCHEME_TK_API_P256", signature: hex DER
// ECDSA P-256/SHA-256 over the exact body } (@turnkey/api-key-stamper). WebCrypto returns r‖s;
// the stamp wants DER.
const DB = "byo-alchemy";
const STORE = "keys";
const RECORD = "session";

export interface AlchemySessionKey {
  keys: CryptoKeyPair;
  /** Compressed SEC1 public key, hex: what the stamp names. */
  publicKey: string;
  /** The signer organization the key belongs to. */
  orgId: string;
  /** When Alchemy stops accepting the key (auth-jwt's expirationSeconds), ms since the epoch. */
  expiresAt: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = fn(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (value: string) => Uint8Array.from(value.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/**
 * Imports the decrypted API key (hex private scalar, and its uncompressed public point as hex)
 * as a non-extractable WebCrypto key pair and stores it for this browser.
 */
export async function storeSessionKey(input: {
  privateKeyHex: string;
  uncompressedPublicKeyHex: string;
  orgId: string;
  expiresAt: number;
}): Promise<void> {
  const point = fromHex(input.uncompressedPublicKeyHex);
  if (point.length !== 65 || point[0] !== 0x04) throw new Error("expected an uncompressed P-256 public key");
  const jwk = { kty: "EC", crv: "P-256", x: base64url(point.subarray(1, 33)), y: base64url(point.subarray(33)) };
  const privateKey = await crypto.subtle.importKey(
    "jwk",
    { ...jwk, d: base64url(fromHex(input.privateKeyHex)) },
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const publicKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
  const compressed = hex(new Uint8Array([(point[64]! & 1) === 0 ? 0x02 : 0x03, ...point.subarray(1, 33)]));
  const record: AlchemySessionKey = {
    keys: { privateKey, publicKey },
    publicKey: compressed,
    orgId: input.orgId,
    expiresAt: input.expiresAt,
  };
  await run("readwrite", (s) => s.put(record, RECORD));
}

export async function loadSessionKey(): Promise<AlchemySessionKey | undefined> {
  return run("readonly", (s) => s.get(RECORD) as IDBRequest<AlchemySessionKey | undefined>);
}

export async function deleteSessionKey(): Promise<void> {
  await run("readwrite", (s) => s.delete(RECORD));
}

/** DER-encodes one INTEGER: strip leading zeros, keep it positive. */
function derInteger(value: Uint8Array): number[] {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const body = Array.from(value.subarray(start));
  if ((body[0]! & 0x80) !== 0) body.unshift(0);
  return [0x02, body.length, ...body];
}

/** The X-Stamp value for `body`, made with the stored key. */
export async function stampWithSessionKey(
  body: string,
  key: AlchemySessionKey,
): Promise<{ stampHeaderName: "X-Stamp"; stampHeaderValue: string }> {
  const raw = new Uint8Array(
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.keys.privateKey, new TextEncoder().encode(body)),
  );
  const sequence = [...derInteger(raw.subarray(0, 32)), ...derInteger(raw.subarray(32))];
  const stamp = JSON.stringify({
    publicKey: key.publicKey,
    scheme: "SIGNATURE_SCHEME_TK_API_P256",
    signature: hex(new Uint8Array([0x30, sequence.length, ...sequence])),
  });
  return { stampHeaderName: "X-Stamp", stampHeaderValue: base64url(new TextEncoder().encode(stamp)) };
}
