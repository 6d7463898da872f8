// The browser's Turnkey session key: created once per login attempt as a NON-extractable
// WebCrypto key pair and kept in IndexedDB (structured clone keeps it non-extractable), so the
// key whose hash is in the ID token's nonce is the one that later signs. Regenerating it
// between sending the public key and completing login would break the nonce binding.
const DB = "byo-turnkey";
const STORE = "keys";

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

export async function createSessionKey(): Promise<CryptoKeyPair> {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  await run("readwrite", (s) => s.put(keys, "session"));
  return keys;
}

export async function loadSessionKey(): Promise<CryptoKeyPair | undefined> {
  return run("readonly", (s) => s.get("session") as IDBRequest<CryptoKeyPair | undefined>);
}

export async function deleteSessionKey(): Promise<void> {
  await run("readwrite", (s) => s.delete("session"));
}
