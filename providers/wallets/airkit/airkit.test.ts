// The app's AIR Kit module: the documented shapes it must accept (fixtures), AIR's login token
// verified as "User Login & Sessions" documents it, and who a verified session may be linked to.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "@/lib/config/load";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";
import { createKeySet, type KeySet } from "@/lib/keys/keyset";
import { openPgliteStore } from "@/lib/store/pglite";
import type { AppStore } from "@/lib/store/types";
import {
  createTestSigningKey,
  signTestToken,
  startJwksServer,
  type JwksServer,
  type TestSigningKey,
} from "@byo/counterparts/lib/test-signing";
import { airkitProvider } from "./index";
import { airLoginResultSchema, airTokenClaimsSchema, airUserDetailsSchema, partnerTokenPayloadSchema } from "./schema";
import { verifyAirToken } from "./verify-air-token";

const FIXTURES = join(__dirname, "fixtures");
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

describe("documentation fixtures", () => {
  const schemaFor: [RegExp, { safeParse(v: unknown): { success: boolean } }][] = [
    [/^partner-jwt-payload\./, partnerTokenPayloadSchema],
    [/^login-token-claims\./, airTokenClaimsSchema],
    [/^login-result\./, airLoginResultSchema],
    [/^user-info\./, airUserDetailsSchema],
  ];
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));

  it("has a schema for every fixture, and the README names every fixture", () => {
    const readme = readFileSync(join(FIXTURES, "README.md"), "utf8");
    for (const file of files) {
      expect(
        schemaFor.some(([pattern]) => pattern.test(file)),
        file,
      ).toBe(true);
      expect(readme, file).toContain(`\`${file}\``);
    }
  });

  it.each(files)("the app's schema accepts %s", (file) => {
    const schema = schemaFor.find(([pattern]) => pattern.test(file))![1];
    expect(schema.safeParse(fixture(file)).success).toBe(true);
  });
});

const PARTNER = "demo-partner";
const NOW = new Date("2026-01-01T12:00:00Z");
const now = Math.floor(NOW.getTime() / 1000);
const ADDRESS = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4";

describe("verifyAirToken", () => {
  let air: TestSigningKey;
  let other: TestSigningKey;
  let keys: ReturnType<typeof createLocalJWKSet>;
  beforeAll(async () => {
    air = await createTestSigningKey("ES256");
    other = await createTestSigningKey("ES256");
    keys = createLocalJWKSet({ keys: [air.publicJwk, (await createTestSigningKey("RS256")).publicJwk] });
  });

  const documented = (over: JWTPayload = {}): JWTPayload => ({
    sub: "air-user-1",
    abstractAccountAddress: ADDRESS,
    partnerId: PARTNER,
    partnerUserId: "app-user-1",
    iat: now - 10,
    exp: now + 3600,
    ...over,
  });
  // Exactly the documented claims: no aud, iss, jti, and no typ or kid in the header.
  const sign = (claims: JWTPayload, header: Record<string, string | undefined> = { typ: undefined, kid: undefined }, key = air) =>
    signTestToken({ key, claims, header });
  const verify = (token: string) =>
    verifyAirToken(token, { jwksUrl: "http://unused.test/jwks", partnerId: PARTNER, userId: "app-user-1", now: NOW, keys });

  it("accepts the documented shape without aud, iss, typ, kid or jti", async () => {
    const claims = await verify(await sign(documented()));
    expect(claims).toMatchObject({ sub: "air-user-1", abstractAccountAddress: ADDRESS, partnerId: PARTNER, partnerUserId: "app-user-1" });
  });

  it.each<[string, JWTPayload]>([
    ["no account address yet (before MFA)", documented({ abstractAccountAddress: undefined })],
    ["no partnerUserId (optional in the docs)", documented({ partnerUserId: undefined })],
    ["sourcePartnerId naming ourselves", documented({ sourcePartnerId: PARTNER })],
    ["unknown extra claims", documented({ futureFeature: { enabled: true }, aud: "something-else" })],
    ["no iat", documented({ iat: undefined })],
  ])("accepts %s", async (_, claims) => {
    await expect(verify(await sign(JSON.parse(JSON.stringify(claims)) as JWTPayload))).resolves.toMatchObject({ sub: "air-user-1" });
  });

  it("accepts typ and kid when AIR sends them", async () => {
    await expect(verify(await sign(documented(), {}))).resolves.toMatchObject({ sub: "air-user-1" });
  });

  const hs256 = () => new SignJWT(documented()).setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32));
  const unsigned = () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    return Promise.resolve(`${part({ alg: "none" })}.${part(documented())}.`);
  };

  it.each<[string, () => Promise<string>, string]>([
    ["a signature by another key", () => sign(documented(), {}, other), "air_token_invalid"],
    ["HS256", hs256, "air_token_invalid"],
    ["alg none", unsigned, "air_token_invalid"],
    ["an expired token", () => sign(documented({ exp: now - 60 })), "air_token_invalid"],
    ["no exp", () => sign(JSON.parse(JSON.stringify(documented({ exp: undefined })))), "air_token_invalid"],
    ["iat in the future", () => sign(documented({ iat: now + 600 })), "air_token_invalid"],
    ["another partner's token", () => sign(documented({ partnerId: "other-partner" })), "air_token_invalid"],
    ["no partnerId", () => sign(JSON.parse(JSON.stringify(documented({ partnerId: undefined })))), "air_token_invalid"],
    ["no sub", () => sign(JSON.parse(JSON.stringify(documented({ sub: undefined })))), "air_token_invalid"],
    ["a malformed address", () => sign(documented({ abstractAccountAddress: "0x1234" })), "air_token_invalid"],
    ["a session shared from another partner", () => sign(documented({ sourcePartnerId: "other-partner" })), "air_session_shared"],
    ["another app user's partnerUserId", () => sign(documented({ partnerUserId: "app-user-2" })), "air_session_other_user"],
  ])("refuses %s", async (_, make, code) => {
    const error = await verify(await make()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect((error as AppError).status).toBe(code === "air_token_invalid" ? 401 : 403);
  });
});

describe("the session action", () => {
  let dir: string;
  let store: AppStore;
  let keySet: KeySet;
  let jwks: JwksServer;
  let air: TestSigningKey;
  let config: AppConfig;
  let ada: Identity;
  let bob: Identity;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "airkit-app-"));
    store = await openPgliteStore(join(dir, "db"));
    keySet = await createKeySet(JSON.stringify([await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey)]));
    air = await createTestSigningKey("ES256");
    jwks = await startJwksServer([air.publicJwk]);
    config = { airkit: { partnerId: PARTNER, jwksUrl: jwks.url, buildEnv: "sandbox", signingAlg: "ES256" } } as AppConfig;
    const user = async (subject: string, email: string): Promise<Identity> => {
      const linked = await store.linkIdentity({
        provider: "oidc",
        issuer: "https://idp.test",
        subject,
        email,
        emailVerified: true,
        name: null,
        profile: {},
      });
      return { provider: "oidc", subject, email, emailVerified: true, name: null, userId: linked.user.id };
    };
    ada = await user("ada", "ada@example.com");
    bob = await user("bob", "bob@example.com");
  });
  afterAll(async () => {
    await store?.close();
    await jwks?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const airToken = (claims: JWTPayload) => {
    const t = Math.floor(Date.now() / 1000);
    return signTestToken({ key: air, claims: { partnerId: PARTNER, iat: t, exp: t + 3600, ...claims }, header: { typ: undefined } });
  };
  const session = async (identity: Identity, input: unknown) => {
    const action = airkitProvider.actions.session!;
    return action.run({ identity, config, store, keySet }, action.input.parse(input)) as Promise<{
      address: string | null;
      isMFASetup: boolean | null;
    }>;
  };

  describe("the partner token's email", () => {
    const mint = async (identity: Identity) => {
      const action = airkitProvider.actions["partner-token"]!;
      const { token } = (await action.run({ identity, config, store, keySet }, action.input.parse({}))) as { token: string };
      return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { email: string; partnerUserId: string };
    };

    it("is the app user's proven email, even from a sign-in whose own email no one vouched for (a linked emulator sign-in)", async () => {
      const claims = await mint({ ...ada, provider: "firebase", subject: "fb-ada", emailVerified: false });
      expect(claims).toMatchObject({ email: "ada@example.com", partnerUserId: ada.userId });
    });

    it("is the app user's proven email rather than another verified email of this sign-in, so every method reaches one AIR account", async () => {
      expect((await mint({ ...ada, provider: "supabase", email: "ada.other@example.com", emailVerified: true })).email).toBe(
        "ada@example.com",
      );
    });

    it("takes the user the session check read, when the caller passes it, instead of reading it again", async () => {
      const action = airkitProvider.actions["partner-token"]!;
      const user = { ...(await store.getUser(ada.userId))!, email: "ada.as-read@example.com" };
      const { token } = (await action.run({ identity: ada, user, config, store, keySet }, action.input.parse({}))) as { token: string };
      expect(JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"))).toMatchObject({
        email: "ada.as-read@example.com",
      });
    });

    it("keeps a session AIR already verified (status, address, expiry) and records the new token beside it", async () => {
      const expiresAt = new Date(Date.now() + 3600_000);
      await store.upsertWalletConnection({
        userId: bob.userId,
        provider: "airkit",
        status: "connected",
        address: ADDRESS,
        expiresAt,
        data: { airUserId: "air-bob" },
      });
      const claims = await mint(bob);
      const after = await store.getWalletConnection(bob.userId, "airkit");
      expect(after).toMatchObject({
        status: "connected",
        address: ADDRESS,
        expiresAt,
        data: { airUserId: "air-bob", partnerToken: { claims: { partnerUserId: bob.userId, email: claims.email } } },
      });
      await store.deleteWalletConnections(bob.userId);
      await mint(bob);
      expect(await store.getWalletConnection(bob.userId, "airkit")).toMatchObject({ status: "pending", address: null, expiresAt: null });
      await store.deleteWalletConnections(bob.userId); // later tests start Bob without a connection
    });

    it("is refused when neither the user nor this sign-in has a verified email", async () => {
      const linked = await store.linkIdentity({
        provider: "firebase",
        issuer: "https://securetoken.google.com/demo",
        subject: "fb-eve",
        email: "eve@example.com",
        emailVerified: false,
        name: null,
        profile: {},
        linkByEmail: false,
      });
      const eve: Identity = {
        provider: "firebase",
        subject: "fb-eve",
        email: "eve@example.com",
        emailVerified: false,
        name: null,
        userId: linked.user.id,
      };
      await expect(mint(eve)).rejects.toMatchObject({ code: "email_not_verified", status: 403 });
    });
  });

  it("records a verified session without an address as connected_without_address, then the address once AIR returns it", async () => {
    const before = await session(ada, {
      token: await airToken({ sub: "air-ada", partnerUserId: ada.userId }),
      userInfo: { partnerId: PARTNER, user: { id: "air-ada", isMFASetup: false } },
    });
    expect(before).toEqual({ address: null, isMFASetup: false, expiresAt: expect.any(Number) });
    const pending = await store.getWalletConnection(ada.userId, "airkit");
    expect(pending).toMatchObject({
      status: "connected_without_address",
      address: null,
      data: { airUserId: "air-ada", isMFASetup: false },
    });
    expect(airkitProvider.card(pending!)).toMatchObject({
      state: "awaiting_address",
      facts: expect.arrayContaining([["MFA", "not set up"]]),
    });

    const after = await session(ada, {
      token: await airToken({ sub: "air-ada", partnerUserId: ada.userId, abstractAccountAddress: ADDRESS }),
    });
    expect(after).toMatchObject({ address: ADDRESS, isMFASetup: true });
    expect(await store.getWalletConnection(ada.userId, "airkit")).toMatchObject({ status: "connected", address: ADDRESS });
  });

  it("ignores user info that describes another account", async () => {
    await session(ada, {
      token: await airToken({ sub: "air-ada", partnerUserId: ada.userId, abstractAccountAddress: ADDRESS }),
      userInfo: { user: { id: "air-someone-else", email: "x@example.com", isMFASetup: true } },
    });
    expect((await store.getWalletConnection(ada.userId, "airkit"))?.data.userInfo).toBeNull();
  });

  it("drops user info in a shape it does not know instead of failing the connect", async () => {
    await session(ada, {
      token: await airToken({ sub: "air-ada", partnerUserId: ada.userId, abstractAccountAddress: ADDRESS }),
      userInfo: { user: { id: "air-ada", isMFASetup: "yes" } },
    });
    expect(await store.getWalletConnection(ada.userId, "airkit")).toMatchObject({ status: "connected", data: { userInfo: null } });
  });

  it("refuses another app user's partnerUserId", async () => {
    const token = await airToken({ sub: "air-ada", partnerUserId: ada.userId, abstractAccountAddress: ADDRESS });
    await expect(session(bob, { token })).rejects.toMatchObject({ code: "air_session_other_user", status: 403 });
    expect(await store.getWalletConnection(bob.userId, "airkit")).toBeNull();
  });

  it("without partnerUserId, links an AIR account only to the user who linked it first, even after they signed out", async () => {
    // Ada links her account (a token without partnerUserId), then signs out: the app forgets her wallet session.
    await session(ada, { token: await airToken({ sub: "air-ada-2", abstractAccountAddress: ADDRESS }) });
    await store.deleteWalletConnections(ada.userId);
    // Bob, in the same browser, presents Ada's leftover AIR session.
    const leftover = await airToken({ sub: "air-ada-2", abstractAccountAddress: ADDRESS });
    await expect(session(bob, { token: leftover })).rejects.toMatchObject({ code: "air_account_taken", status: 409 });
    expect(await store.getWalletConnection(bob.userId, "airkit")).toBeNull();
    // Bob's own account links; Ada's still links to Ada.
    await expect(session(bob, { token: await airToken({ sub: "air-bob" }) })).resolves.toMatchObject({ address: null });
    await expect(session(ada, { token: leftover })).resolves.toMatchObject({ address: ADDRESS });
  });

  it("refuses a session shared from another partner's app", async () => {
    const token = await airToken({
      sub: "air-ada",
      partnerUserId: ada.userId,
      sourcePartnerId: "other-partner",
      abstractAccountAddress: ADDRESS,
    });
    await expect(session(ada, { token })).rejects.toMatchObject({ code: "air_session_shared", status: 403 });
  });
});
