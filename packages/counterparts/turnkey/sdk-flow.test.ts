/**
 * The Turnkey counterpart driven by the real packages, end to end over HTTP: @turnkey/sdk-server
 * for the backend calls, @turnkey/crypto for everything a client verifies or decrypts.
 */
import { generateP256KeyPair, verifyOtpVerificationToken, verifySessionJwtSignature } from "@turnkey/crypto";
import { DEFAULT_ETHEREUM_ACCOUNTS, DEFAULT_SOLANA_ACCOUNTS } from "@turnkey/sdk-server";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isChecksumAddress } from "../lib/ethereum-address";
import { nonceForPublicKey } from "../lib/oidc-token";
import {
  OIDC_AUD,
  PARENT_ORG,
  T,
  createUser,
  idToken,
  loginSignature,
  startTurnkeyStack,
  verifyEmail,
  type TurnkeyStack,
} from "./test-support";

let stack: TurnkeyStack;

beforeAll(async () => {
  stack = await startTurnkeyStack();
});
afterAll(async () => {
  await stack?.close();
});

describe("Turnkey counterpart with @turnkey/sdk-server", () => {
  it("whoami with the parent key names the parent organization", async () => {
    await expect(stack.client().getWhoami({})).resolves.toMatchObject({ organizationId: PARENT_ORG, username: "Parent API user" });
  });

  it("createSubOrganization (V8) with the default Ethereum and Solana accounts", async () => {
    const result = await createUser(stack, "ada@example.com");
    expect(result.activity).toMatchObject({
      status: "ACTIVITY_STATUS_COMPLETED",
      type: "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
      organizationId: PARENT_ORG,
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(result.subOrganizationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.rootUserIds).toHaveLength(1);
    const [eth, sol] = result.wallet?.addresses ?? [];
    expect(isChecksumAddress(eth ?? "")).toBe(true);
    expect(sol).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const sub = result.subOrganizationId;
    const { wallets } = await stack.client().getWallets({ organizationId: sub });
    expect(wallets).toEqual([
      expect.objectContaining({ walletId: result.wallet?.walletId, walletName: "Default Wallet", exported: false }),
    ]);
    const { accounts } = await stack
      .client()
      .getWalletAccounts({ organizationId: sub, walletId: result.wallet?.walletId ?? "", includeWalletDetails: true });
    expect(accounts.map((a) => [a.path, a.curve, a.addressFormat, a.address])).toEqual([
      [DEFAULT_ETHEREUM_ACCOUNTS[0]?.path, "CURVE_SECP256K1", "ADDRESS_FORMAT_ETHEREUM", eth],
      [DEFAULT_SOLANA_ACCOUNTS[0]?.path, "CURVE_ED25519", "ADDRESS_FORMAT_SOLANA", sol],
    ]);
    expect(accounts[0]?.walletDetails?.walletName).toBe("Default Wallet");
    // Public keys only: 33-byte compressed secp256k1, 32-byte ed25519.
    expect(accounts.map((a) => a.publicKey?.length)).toEqual([66, 64]);

    const { user } = await stack.client().getUser({ organizationId: sub, userId: result.rootUserIds?.[0] ?? "" });
    expect(user).toMatchObject({
      userEmail: "ada@example.com",
      oauthProviders: [{ issuer: stack.issuer.url, audience: OIDC_AUD, subject: "ada@example.com" }],
    });

    await expect(stack.client().getSubOrgIds({ filterType: "EMAIL", filterValue: "ADA@example.com" })).resolves.toMatchObject({
      organizationIds: [sub],
    });
  });

  it("registers an OAuth provider from a verified oidcToken and finds the sub-org by OIDC_TOKEN", async () => {
    const key = generateP256KeyPair();
    const token = await idToken(stack, "oidc-registered", key.publicKey);
    const { subOrganizationId } = await stack.client().createSubOrganization({
      subOrganizationName: "OIDC user",
      rootUsers: [{ userName: "o", apiKeys: [], authenticators: [], oauthProviders: [{ providerName: "app", oidcToken: token }] }],
      rootQuorumThreshold: 1,
    });
    await expect(stack.client().getSubOrgIds({ filterType: "OIDC_TOKEN", filterValue: token })).resolves.toMatchObject({
      organizationIds: [subOrganizationId],
    });
    const activity = await stack
      .client()
      .getActivity({ activityId: "missing" })
      .catch((e: unknown) => e);
    expect(activity).toMatchObject({ code: 5 });
  });

  it("email OTP: initOtp → encrypted code → verifyOtp → otpLogin; the session key then stamps whoami", async () => {
    const email = "grace@example.com";
    const { subOrganizationId: sub, rootUserIds } = await createUser(stack, email);
    const sessionKey = generateP256KeyPair();

    await expect(stack.client().getVerifiedSubOrgIds({ filterType: "EMAIL", filterValue: email })).resolves.toMatchObject({
      organizationIds: [],
    });
    const { verificationToken } = await verifyEmail(stack, email, sessionKey);
    const claims = await verifyOtpVerificationToken(verificationToken, stack.keys.otpSignerPublicKey);
    expect(claims).toMatchObject({
      contact: email,
      public_key: sessionKey.publicKey,
      organization_id: PARENT_ORG,
      verification_type: "OTP_TYPE_EMAIL",
    });

    const { session, activity } = await stack.client().otpLogin({
      organizationId: sub,
      verificationToken,
      publicKey: sessionKey.publicKey,
      clientSignature: await loginSignature(verificationToken, sessionKey, sessionKey.publicKey),
    });
    expect(activity.type).toBe("ACTIVITY_TYPE_OTP_LOGIN_V2");
    expect(await verifySessionJwtSignature(session, stack.keys.notarizerPublicKey)).toBe(true);
    expect(await verifySessionJwtSignature(session, stack.keys.otpSignerPublicKey)).toBe(false);
    expect(decodeProtectedHeader(session)).toMatchObject({ alg: "ES256", typ: "JWT", kid: expect.any(String) });
    expect(decodeJwt(session)).toEqual({
      exp: T + 900,
      iat: T,
      public_key: sessionKey.publicKey,
      session_type: "SESSION_TYPE_READ_WRITE",
      user_id: rootUserIds?.[0],
      organization_id: sub,
    });

    const asUser = stack.client(sessionKey, sub);
    await expect(asUser.getWhoami({})).resolves.toEqual({
      organizationId: sub,
      organizationName: `Sub-org of ${email}`,
      userId: rootUserIds?.[0],
      username: email,
    });
    // A sub-org user may look itself up through the parent's id (Turnkey's passkey login pattern).
    await expect(asUser.getWhoami({ organizationId: PARENT_ORG })).resolves.toMatchObject({ organizationId: sub });
    await expect(asUser.getWallets({})).resolves.toMatchObject({ wallets: [expect.objectContaining({ walletName: "Default Wallet" })] });
    await expect(stack.client().getVerifiedSubOrgIds({ filterType: "EMAIL", filterValue: email })).resolves.toMatchObject({
      organizationIds: [sub],
    });
  });

  it("alphanumeric and numeric codes of the requested length", async () => {
    const email = "codes@example.com";
    await stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: email, appName: "Demo" });
    expect(await stack.latestCode(email)).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}$/);
    await stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: email, appName: "Demo", otpLength: 6, alphanumeric: false });
    expect(await stack.latestCode(email)).toMatch(/^[0-9]{6}$/);
  });

  it("oauthLogin with a nonce-bound ID token; the session key then stamps whoami", async () => {
    const { subOrganizationId: sub, rootUserIds } = await createUser(stack, "linus@example.com", "linus-subject");
    const sessionKey = generateP256KeyPair();
    const { session } = await stack.client().oauthLogin({
      organizationId: sub,
      oidcToken: await idToken(stack, "linus-subject", sessionKey.publicKey),
      publicKey: sessionKey.publicKey,
      expirationSeconds: "3600",
    });
    expect(await verifySessionJwtSignature(session, stack.keys.notarizerPublicKey)).toBe(true);
    expect(decodeJwt(session)).toMatchObject({
      exp: T + 3600,
      user_id: rootUserIds?.[0],
      organization_id: sub,
      public_key: sessionKey.publicKey,
    });
    await expect(stack.client(sessionKey, sub).getWhoami({})).resolves.toMatchObject({ organizationId: sub, userId: rootUserIds?.[0] });
    // ES256 ID tokens are accepted by Turnkey too.
    const second = generateP256KeyPair();
    const es = await stack.issuer.mint(
      { sub: "linus-subject", aud: OIDC_AUD, iat: T, exp: T + 300, nonce: nonceForPublicKey(second.publicKey) },
      { key: stack.issuer.es256 },
    );
    await expect(stack.client().oauthLogin({ organizationId: sub, oidcToken: es, publicKey: second.publicKey })).resolves.toHaveProperty(
      "session",
    );
  });
});
