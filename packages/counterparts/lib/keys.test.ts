import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignJWT, calculateJwkThumbprint, jwtVerify, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateSecret, loadOrCreateSigningKey, publicJwks, toPublicJwk } from "./keys";

describe("service keys", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "keys-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the key once (0600), reloads the same one, kid = RFC 7638 thumbprint", async () => {
    const dataDir = path.join(dir, "svc");
    const [a, b] = await Promise.all([loadOrCreateSigningKey(dataDir), loadOrCreateSigningKey(dataDir)]);
    expect(a.kid).toBe(b.kid);
    const file = path.join(dataDir, "signing-key.private.jwk.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const reloaded = await loadOrCreateSigningKey(dataDir);
    expect(reloaded.kid).toBe(a.kid);
    const stored = JSON.parse(await readFile(file, "utf8")) as JWK;
    expect(typeof stored.d).toBe("string");
    expect(a.kid).toBe(await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: stored.x, y: stored.y }));

    const token = await new SignJWT({ ok: true }).setProtectedHeader({ alg: "ES256", kid: a.kid }).sign(a.privateKey);
    await expect(jwtVerify(token, reloaded.publicKey)).resolves.toBeDefined();
  });

  it("tightens a key file readable by others", async () => {
    const dataDir = path.join(dir, "loose");
    await loadOrCreateSigningKey(dataDir);
    const file = path.join(dataDir, "signing-key.private.jwk.json");
    await chmod(file, 0o644);
    await loadOrCreateSigningKey(dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("refuses a corrupt key file", async () => {
    const dataDir = path.join(dir, "corrupt");
    await loadOrCreateSigningKey(dataDir);
    await writeFile(path.join(dataDir, "signing-key.private.jwk.json"), '{"kty":"RSA"}');
    await expect(loadOrCreateSigningKey(dataDir)).rejects.toMatchObject({ code: "key_file_invalid" });
  });

  it("publishes public members only", async () => {
    const key = await loadOrCreateSigningKey("memory://");
    const jwks = publicJwks([key]);
    expect(jwks.keys).toEqual([
      { kty: "EC", crv: "P-256", x: expect.any(String), y: expect.any(String), kid: key.kid, alg: "ES256", use: "sig" },
    ]);
    const leaky = { kty: "RSA", n: "n", e: "AQAB", d: "secret", p: "p", q: "q", dp: "dp", dq: "dq", qi: "qi", k: "k", kid: "1" } as JWK;
    expect(toPublicJwk(leaky)).toEqual({ kty: "RSA", n: "n", e: "AQAB", kid: "1" });
  });

  it("memory:// keys are ephemeral", async () => {
    const a = await loadOrCreateSigningKey("memory://");
    const b = await loadOrCreateSigningKey("memory://");
    expect(a.kid).not.toBe(b.kid);
  });

  it("persists secrets with mode 0600", async () => {
    const dataDir = path.join(dir, "secret");
    const a = await loadOrCreateSecret(dataDir, "hmac.secret");
    const b = await loadOrCreateSecret(dataDir, "hmac.secret");
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect((await stat(path.join(dataDir, "hmac.secret"))).mode & 0o777).toBe(0o600);
  });
});
