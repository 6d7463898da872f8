// The app's Alchemy module against the Alchemy counterpart in both variants, with the browser's
// part played by the same packages the connector uses (@turnkey/crypto, @turnkey/api-key-stamper).
// The sparse variant answers the legal-but-unusual shapes: `isSignUp`, nulls for the Solana
// address, the pre-generation's user id and whoami's email, and unknown extra fields.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { decryptCredentialBundle, generateP256KeyPair, getPublicKey } from "@turnkey/crypto";
import { uint8ArrayToHexString } from "@turnkey/encoding";
import { exportJWK, generateKeyPair } from "jose";
import { hashMessage } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "@/lib/config/load";
import type { Identity } from "@/lib/identity/types";
import { createKeySet, type KeySet } from "@/lib/keys/keyset";
import { openPgliteStore } from "@/lib/store/pglite";
import type { AppStore } from "@/lib/store/types";
import { discoveryDocument } from "@/lib/tokens/discovery";
import { nonceForPublicKey } from "@/lib/tokens/id-token";
import type { RunningService } from "@byo/counterparts/lib/http";
import { COUNTERPART_VARIANTS } from "@byo/counterparts/lib/variant";
import { startAlchemy } from "@byo/counterparts/alchemy";
import { alchemyProvider } from "./index";
import { alchemyTargetPublicKey } from "./schema";

const APP_URL = "http://app.test";
const API_KEY = "alchemy-app-test-api-key-0123456789";
const AUDIENCE = "byo-demo-project";
const WHOAMI_URL = "https://api.turnkey.com/public/v1/query/whoami";

let dir: string;
let keySet: KeySet;
let store: AppStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "alchemy-app-"));
  keySet = await createKeySet(JSON.stringify([await exportJWK((await generateKeyPair("RS256", { extractable: true })).privateKey)]));
  store = await openPgliteStore(join(dir, "app-db"));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The counterpart reaches the app's discovery document and JWKS as it would over HTTP. */
const appFetch = (async (input: string | URL | Request) => {
  const url = String(input instanceof Request ? input.url : input);
  if (url === `${APP_URL}/.well-known/openid-configuration`) return Response.json(discoveryDocument(APP_URL, keySet));
  if (url === `${APP_URL}/.well-known/jwks.json`) return Response.json(keySet.jwks);
  return new Response("not found", { status: 404 });
}) as typeof fetch;

async function newUser(email: string): Promise<Identity> {
  const { user } = await store.linkIdentity({
    provider: "password",
    issuer: "app:password",
    subject: email,
    email,
    emailVerified: true,
    name: null,
    profile: {},
  });
  return { provider: "password", subject: email, email, emailVerified: true, name: null, userId: user.id };
}

describe.each(COUNTERPART_VARIANTS)("Alchemy against the %s counterpart", (variant) => {
  let alchemy: RunningService;
  let config: AppConfig;
  beforeAll(async () => {
    alchemy = await startAlchemy({
      port: 0,
      dataDir: "memory://",
      apiKey: API_KEY,
      audiences: [AUDIENCE],
      allowedOrigins: [APP_URL],
      issuers: [APP_URL],
      oidcFetch: appFetch,
      variant,
    });
    config = {
      appUrl: APP_URL,
      env: { APP_NAME: "Test App" },
      alchemy: { apiUrl: alchemy.url, apiKey: API_KEY, audience: AUDIENCE, authProvider: "byo-auth" },
    } as AppConfig;
  });
  afterAll(async () => {
    await alchemy?.close();
  });

  const run = (identity: Identity, action: string, input: unknown) => {
    const step = alchemyProvider.actions[action]!;
    return step.run({ identity, config, store, keySet }, step.input.parse(input)) as Promise<Record<string, unknown>>;
  };

  it("connects: the 04… target key, its nonce, the bundle, a stamped whoami; missing values show as missing", async () => {
    const identity = await newUser(`al-${variant}@example.com`);
    const target = generateP256KeyPair();
    const targetPublicKey = alchemyTargetPublicKey(target);
    const { credentialBundle, orgId } = (await run(identity, "auth-jwt", { targetPublicKey })) as {
      credentialBundle: string;
      orgId: string;
    };

    // The ID token sent carries every claim of the documentation's example payload, and its
    // nonce is the SHA-256 of exactly the key text sent.
    const pending = await store.getWalletConnection(identity.userId, "alchemy");
    const claims = (pending!.data.partnerToken as { claims: Record<string, unknown> }).claims;
    const documented = Object.keys(JSON.parse(readFileSync(join(__dirname, "fixtures", "auth-jwt.jwt-payload.json"), "utf8")) as object);
    expect(Object.keys(claims)).toEqual(expect.arrayContaining(documented));
    expect(claims).toMatchObject({ iss: APP_URL, sub: identity.userId, aud: AUDIENCE, nonce: nonceForPublicKey(targetPublicKey) });

    const apiPrivateKey = decryptCredentialBundle(credentialBundle, target.privateKey);
    const apiPublicKey = uint8ArrayToHexString(getPublicKey(apiPrivateKey, true));
    const body = JSON.stringify({ organizationId: orgId });
    const stamp = await new ApiKeyStamper({ apiPublicKey, apiPrivateKey }).stamp(body);
    const connected = await run(identity, "whoami", { stampedRequest: { body, stamp, url: WHOAMI_URL } });
    expect(connected.address).toMatch(/^0x[0-9a-fA-F]{40}$/);

    const connection = (await store.getWalletConnection(identity.userId, "alchemy"))!;
    expect(connection).toMatchObject({ status: "connected", address: connected.address });
    const view = alchemyProvider.card(connection);
    expect(view).toMatchObject({ state: "connected", address: { full: connected.address } });
    const rows = Object.fromEntries("facts" in view ? view.facts : []);
    expect(rows.Organization).toBe(orgId);
    expect(rows["Signer user id"]).toMatch(/^[0-9a-f-]{36}$/);
    // Kept user info lists what Alchemy answered with a value: never a null, never an unknown field.
    expect(Object.values(connection.data.userInfo as object)).not.toContain(null);
    if (variant === "sparse") {
      expect(connected.solanaAddress).toBeNull();
      expect(rows["Solana address"]).toBe("not returned by Alchemy");
      expect(connection.data.userInfo).toEqual({ orgId, userId: rows["Signer user id"], address: connected.address });
    } else {
      expect(rows["Solana address"]).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
      expect(connection.data.userInfo).toMatchObject({ email: identity.email, solanaAddress: rows["Solana address"] });
    }
  });

  it("signs a test message: challenge → sign-payload stamped as the signer client does → verified against the card's address", async () => {
    const identity = await newUser(`al-sign-${variant}@example.com`);
    const target = generateP256KeyPair();
    const { credentialBundle, orgId } = (await run(identity, "auth-jwt", { targetPublicKey: alchemyTargetPublicKey(target) })) as {
      credentialBundle: string;
      orgId: string;
    };
    const apiPrivateKey = decryptCredentialBundle(credentialBundle, target.privateKey);
    const stamper = new ApiKeyStamper({ apiPublicKey: uint8ArrayToHexString(getPublicKey(apiPrivateKey, true)), apiPrivateKey });
    const whoamiBody = JSON.stringify({ organizationId: orgId });
    const { address } = (await run(identity, "whoami", {
      stampedRequest: { body: whoamiBody, stamp: await stamper.stamp(whoamiBody), url: WHOAMI_URL },
    })) as { address: string };

    const challenge = (await run(identity, "sign-challenge", {})) as { nonce: string; message: string };
    const signRequest = async (organizationId: string) => {
      const body = JSON.stringify({
        parameters: {
          encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
          hashFunction: "HASH_FUNCTION_NO_OP",
          payload: hashMessage(challenge.message),
          signWith: address,
        },
        organizationId,
        timestampMs: "1",
        type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
      });
      return { body, stamp: await stamper.stamp(body), url: "https://api.turnkey.com/public/v1/submit/sign_raw_payload" };
    };
    // The relay goes out only for the user's own signer organization.
    await expect(run(identity, "sign-payload", { stampedRequest: await signRequest("another-org") })).rejects.toMatchObject({
      code: "wallet_mismatch",
      status: 403,
    });
    const { signature } = (await run(identity, "sign-payload", { stampedRequest: await signRequest(orgId) })) as { signature: string };
    await expect(run(identity, "sign-verify", { nonce: challenge.nonce, signature })).resolves.toMatchObject({ verified: true, address });
  });

  it("pre-generates: an address and no session; a null Solana address and user id show as missing", async () => {
    const identity = await newUser(`al-pre-${variant}@example.com`);
    const reserved = await run(identity, "pregenerate", {});
    expect(reserved).toMatchObject({ address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), isSignup: true });
    const connection = (await store.getWalletConnection(identity.userId, "alchemy"))!;
    expect(connection).toMatchObject({ status: "pending", address: reserved.address, data: { pregenerated: true } });
    const view = alchemyProvider.card(connection);
    expect(view).toMatchObject({ state: "reserved", address: { full: reserved.address } });
    const rows = Object.fromEntries("facts" in view ? view.facts : []);
    expect(rows["Solana address"]).toBe(variant === "sparse" ? "not returned by Alchemy" : reserved.solanaAddress);
  });
});

describe("what the app sends", () => {
  it("refuses to send anything but the 04… form as the target key", () => {
    const keyPair = generateP256KeyPair();
    const input = alchemyProvider.actions["auth-jwt"]!.input;
    expect(input.safeParse({ targetPublicKey: keyPair.publicKey }).success).toBe(false);
    expect(input.safeParse({ targetPublicKey: `0x${keyPair.publicKeyUncompressed}` }).success).toBe(false);
    expect(input.safeParse({ targetPublicKey: keyPair.publicKeyUncompressed }).success).toBe(true);
  });
});
