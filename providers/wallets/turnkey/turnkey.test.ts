// The app's Turnkey module against the Turnkey counterpart, with the browser's part played by
// the packages the Embedded Wallet Kit builds on: `@turnkey/api-key-stamper` stamps and signs
// as the kit's key store does (DER stamps, raw r‖s client signatures over SHA-256),
// `@turnkey/core`'s getClientSignatureMessageForLogin builds otp_login's usage, and
// `@turnkey/crypto`'s encryptOtpCodeToBundle seals the code.
// What the end-to-end suite cannot easily reach: other users' tokens, other keys' signatures,
// a notarizer key that does not match, and the attempt limit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptOtpCodeToBundle, generateP256KeyPair } from "@turnkey/crypto";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "@/lib/config/load";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";
import { createKeySet, type KeySet } from "@/lib/keys/keyset";
import { openPgliteStore } from "@/lib/store/pglite";
import type { AppStore } from "@/lib/store/types";
import { discoveryDocument } from "@/lib/tokens/discovery";
import type { RunningService } from "@byo/counterparts/lib/http";
import { startMailbox } from "@byo/counterparts/mailbox";
import { startTurnkey } from "@byo/counterparts/turnkey";
import { ApiKeyStamper, SignatureFormat } from "@turnkey/api-key-stamper";
import { getClientSignatureMessageForLogin } from "@turnkey/core";
import { Turnkey } from "@turnkey/sdk-server";
import { decodeJwt } from "jose";
import { newSoftAuthenticator, softRegistration } from "@byo/counterparts/lib/test-webauthn";
import { turnkeyApi } from "./client";
import { loginUsage, turnkeyProvider } from "./index";
import { readTurnkeyFailure } from "./schema";

const APP_URL = "http://app.test";
const PARENT_ORG = "parent-org-0001";
const MAIL_KEY = "turnkey-app-test-mail-key-012345";

let dir: string;
let keySet: KeySet;
let store: AppStore;
let mailbox: RunningService;
let turnkey: RunningService;
let config: AppConfig;
let signerKeys: { notarizerPublicKey: string; otpSignerPublicKey: string };

// The counterparts reach the app's discovery document and JWKS as they would over HTTP.
const appFetch = async (input: string | URL | Request) => {
  const url = String(input instanceof Request ? input.url : input);
  if (url === `${APP_URL}/.well-known/openid-configuration`) return Response.json(discoveryDocument(APP_URL, keySet));
  if (url === `${APP_URL}/.well-known/jwks.json`) return Response.json(keySet.jwks);
  return new Response("not found", { status: 404 });
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "turnkey-app-"));
  const jwks = [];
  for (const alg of ["ES256", "RS256"] as const) jwks.push(await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey));
  keySet = await createKeySet(JSON.stringify(jwks));
  store = await openPgliteStore(join(dir, "app-db"));
  mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: MAIL_KEY });
  const parent = generateP256KeyPair();
  turnkey = await startTurnkey({
    port: 0,
    dataDir: "memory://",
    parentOrganizationId: PARENT_ORG,
    parentApiPublicKey: parent.publicKey,
    mail: { apiUrl: mailbox.url, apiKey: MAIL_KEY, from: "Turnkey (test) <no-reply@turnkey.local>" },
    allowedOrigins: [APP_URL],
    oidcFetch: appFetch as typeof fetch,
  });
  signerKeys = (await (await fetch(`${turnkey.url}/counterpart/v1/keys`)).json()) as typeof signerKeys;
  config = {
    appUrl: APP_URL,
    turnkey: {
      apiUrl: turnkey.url,
      organizationId: PARENT_ORG,
      apiPublicKey: parent.publicKey,
      apiPrivateKey: parent.privateKey,
      oidcAudience: "turnkey",
      sessionSeconds: 900,
      otpSignerPublicKey: signerKeys.otpSignerPublicKey,
      notarizerPublicKey: signerKeys.notarizerPublicKey,
    },
  } as AppConfig;
  // Generous: PGlite and key generation are slow on a busy machine.
}, 90_000);

afterAll(async () => {
  await turnkey?.close();
  await mailbox?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

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

function run(identity: Identity, action: string, input: unknown, cfg: AppConfig = config): Promise<Record<string, string>> {
  const step = turnkeyProvider.actions[action]!;
  return step.run({ identity, config: cfg, store, keySet }, step.input.parse(input)) as Promise<Record<string, string>>;
}

async function codeFor(email: string): Promise<string> {
  const response = await fetch(`${mailbox.url}/api/messages?to=${encodeURIComponent(email)}`);
  const { messages } = (await response.json()) as { messages: { text: string }[] };
  const code = /verification code is (\d{6})\./.exec(messages[0]?.text ?? "")?.[1];
  if (!code) throw new Error(`no code for ${email}`);
  return code;
}

type BrowserKey = ReturnType<typeof generateP256KeyPair>;
const newBrowserKey = async (): Promise<BrowserKey> => generateP256KeyPair();
const stamper = (keys: BrowserKey) => new ApiKeyStamper({ apiPublicKey: keys.publicKey, apiPrivateKey: keys.privateKey });
/** The X-Stamp value the kit's key store makes over `body`. */
const stamp = async (body: string, keys: BrowserKey) => (await stamper(keys).stamp(body)).stampHeaderValue;
/** otp_login's client signature as the connector makes it: the kit's usage message, signed raw by the token's key. */
async function signLoginUsage(verificationToken: string, keys: BrowserKey): Promise<string> {
  const { message, publicKey } = getClientSignatureMessageForLogin({ verificationToken });
  if (publicKey !== keys.publicKey) throw new Error("refusing to sign a login for another key");
  return stamper(keys).sign(message, SignatureFormat.Raw);
}

/** otp-init → mailed code → encrypted bundle → otp-verify, as the browser connector does it. */
async function verifyByEmail(identity: Identity, keys: BrowserKey, code?: string) {
  const { otpId, otpEncryptionTargetBundle } = await run(identity, "otp-init", {});
  const publicKey = keys.publicKey;
  const encryptedOtpBundle = await encryptOtpCodeToBundle(
    code ?? (await codeFor(identity.email!)),
    otpEncryptionTargetBundle!,
    publicKey,
    signerKeys.otpSignerPublicKey,
  );
  const { verificationToken } = await run(identity, "otp-verify", { otpId, encryptedOtpBundle });
  return { publicKey, verificationToken: verificationToken! };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { code: error.code, status: error.status, message: error.message };
}

describe("Turnkey email code login, server side", () => {
  it("init → code → verify → login → stamped whoami connects the wallet; the ID-token login finds the same sub-organization", async () => {
    const ada = await newUser("ada-otp@example.com");
    const keys = await newBrowserKey();
    const { publicKey, verificationToken } = await verifyByEmail(ada, keys);
    const { session, organizationId } = await run(ada, "otp-login", {
      verificationToken,
      signature: await signLoginUsage(verificationToken, keys),
    });
    expect(session).toMatch(/^ey/);
    const body = JSON.stringify({ organizationId });
    await run(ada, "whoami", { body, stamp: await stamp(body, keys) });

    const connection = await store.getWalletConnection(ada.userId, "turnkey");
    expect(connection).toMatchObject({ status: "connected", address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) });
    expect(connection!.data).toMatchObject({ loginMethod: "email_otp", organizationId, sessionPublicKey: publicKey });
    expect(connection!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    const oidcKeys = await newBrowserKey();
    const oidcPublicKey = oidcKeys.publicKey;
    const again = await run(ada, "oauth-login", { publicKey: oidcPublicKey });
    expect(again.organizationId).toBe(organizationId);
  });

  it("refuses to verify before a code was sent", async () => {
    const bob = await newUser("bob-otp@example.com");
    expect(await rejection(run(bob, "otp-verify", { otpId: "x", encryptedOtpBundle: "00" }))).toMatchObject({
      code: "wallet_not_started",
      status: 409,
    });
  });

  it("counts wrong codes down, then refuses even the right one", async () => {
    const carol = await newUser("carol-otp@example.com");
    const keys = await newBrowserKey();
    const publicKey = keys.publicKey;
    const { otpId, otpEncryptionTargetBundle } = await run(carol, "otp-init", {});
    const right = await codeFor(carol.email!);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    const attempt = async (code: string) =>
      rejection(
        run(carol, "otp-verify", {
          otpId,
          encryptedOtpBundle: await encryptOtpCodeToBundle(code, otpEncryptionTargetBundle!, publicKey, signerKeys.otpSignerPublicKey),
        }),
      );
    expect(await attempt(wrong)).toMatchObject({
      code: "otp_invalid",
      status: 400,
      message: "That code is not right. Check the latest email, or send a new code. 2 attempts left.",
    });
    expect(await attempt(wrong)).toMatchObject({
      code: "otp_invalid",
      message: "That code is not right. Check the latest email, or send a new code. 1 attempt left.",
    });
    expect(await attempt(wrong)).toMatchObject({
      code: "otp_invalid",
      message: "That code is not right. Check the latest email, or send a new code. 0 attempts left.",
    });
    expect(await attempt(right)).toMatchObject({ code: "otp_attempts_exceeded", status: 400 });
  });

  it("refuses another user's verification token, and a login signed by another key", async () => {
    const dave = await newUser("dave-otp@example.com");
    const erin = await newUser("erin-otp@example.com");
    const daveKeys = await newBrowserKey();
    const dave1 = await verifyByEmail(dave, daveKeys);
    await verifyByEmail(erin, await newBrowserKey());

    // Erin replays Dave's token with a signature Dave's browser made: the contact is not hers.
    const signature = await signLoginUsage(dave1.verificationToken, daveKeys);
    expect(await rejection(run(erin, "otp-login", { verificationToken: dave1.verificationToken, signature }))).toMatchObject({
      code: "verification_invalid",
      status: 400,
    });
    expect((await store.getWalletConnection(erin.userId, "turnkey"))?.status).toBe("pending");

    // Dave's own token, but signed by a key that is not the one sealed into it: Turnkey refuses.
    const claims = JSON.parse(Buffer.from(dave1.verificationToken.split(".")[1]!, "base64url").toString()) as {
      id: string;
      public_key: string;
    };
    const forged = await stamper(await newBrowserKey()).sign(loginUsage(claims.public_key, claims.id), SignatureFormat.Raw);
    expect(await rejection(run(dave, "otp-login", { verificationToken: dave1.verificationToken, signature: forged }))).toMatchObject({
      code: "wallet_refused",
      status: 502,
    });
    expect((await store.getWalletConnection(dave.userId, "turnkey"))?.address).toBeNull();

    // A token that does not verify against the configured OTP signer key is refused before Turnkey sees it.
    const otherSigner = { ...config, turnkey: { ...config.turnkey!, otpSignerPublicKey: signerKeys.notarizerPublicKey } } as AppConfig;
    expect(await rejection(run(dave, "otp-login", { verificationToken: dave1.verificationToken, signature }, otherSigner))).toMatchObject({
      code: "verification_invalid",
    });
  });

  it("does not trust a session JWT that the configured notarizer did not sign, and records no session", async () => {
    const frank = await newUser("frank-otp@example.com");
    const keys = await newBrowserKey();
    const { verificationToken } = await verifyByEmail(frank, keys);
    const wrongNotarizer = { ...config, turnkey: { ...config.turnkey!, notarizerPublicKey: signerKeys.otpSignerPublicKey } } as AppConfig;
    expect(
      await rejection(
        run(frank, "otp-login", { verificationToken, signature: await signLoginUsage(verificationToken, keys) }, wrongNotarizer),
      ),
    ).toMatchObject({ code: "upstream_invalid", status: 502 });
    const connection = await store.getWalletConnection(frank.userId, "turnkey");
    expect(connection?.address).toBeNull();
    expect(connection?.data.sessionPublicKey).toBeUndefined();
  });

  it("relays only a whoami stamped by the key that logged in", async () => {
    const grace = await newUser("grace-otp@example.com");
    const keys = await newBrowserKey();
    const { organizationId } = await run(grace, "oauth-login", { publicKey: keys.publicKey });
    const body = JSON.stringify({ organizationId });
    expect(await rejection(run(grace, "whoami", { body, stamp: await stamp(body, await newBrowserKey()) }))).toMatchObject({
      code: "wallet_mismatch",
      status: 403,
    });
    expect((await store.getWalletConnection(grace.userId, "turnkey"))?.status).toBe("pending");
    await run(grace, "whoami", { body, stamp: await stamp(body, keys) });
    expect((await store.getWalletConnection(grace.userId, "turnkey"))?.data.loginMethod).toBe("oidc");
  });

  it("explains, rather than failing vaguely, when the wallet has no email on file", async () => {
    const ivy = await newUser("ivy-otp@example.com");
    // The sub-organization is made while the session had no email (say, before it was added).
    await run({ ...ivy, email: null }, "oauth-login", { publicKey: (await newBrowserKey()).publicKey });
    const keys = await newBrowserKey();
    const { verificationToken } = await verifyByEmail(ivy, keys);
    expect(
      await rejection(run(ivy, "otp-login", { verificationToken, signature: await signLoginUsage(verificationToken, keys) })),
    ).toMatchObject({
      code: "email_not_on_wallet",
      status: 409,
    });
  });

  it("checks only the newest code: a prompt from another tab is told so, and costs no attempt", async () => {
    const jack = await newUser("jack-otp@example.com");
    const keys = await newBrowserKey();
    const publicKey = keys.publicKey;
    const first = await run(jack, "otp-init", {});
    const firstCode = await codeFor(jack.email!);
    const second = await run(jack, "otp-init", {});
    const stale = await encryptOtpCodeToBundle(firstCode, first.otpEncryptionTargetBundle!, publicKey, signerKeys.otpSignerPublicKey);
    expect(await rejection(run(jack, "otp-verify", { otpId: first.otpId, encryptedOtpBundle: stale }))).toMatchObject({
      code: "otp_superseded",
      status: 409,
    });
    const fresh = await encryptOtpCodeToBundle(
      await codeFor(jack.email!),
      second.otpEncryptionTargetBundle!,
      publicKey,
      signerKeys.otpSignerPublicKey,
    );
    await expect(run(jack, "otp-verify", { otpId: second.otpId, encryptedOtpBundle: fresh })).resolves.toMatchObject({
      verificationToken: expect.any(String),
    });
  });

  it("asks for an email when the account has none", async () => {
    const noEmail: Identity = { ...(await newUser("henry-otp@example.com")), email: null };
    expect(await rejection(run(noEmail, "otp-init", {}))).toMatchObject({ code: "email_required", status: 409 });
  });
});

// The same module against the counterpart's sparse variant: its refusals put an unknown detail
// first and the attempt count in a later one, word every message differently, and its answers
// leave out what the API marks optional and add unknown members. The app must map each refusal
// by its gRPC code and typed details alone, and read each answer with its schemas.
describe("Turnkey against the sparse counterpart: refusals read by contract", () => {
  let sparse: RunningService;
  let sparseConfig: AppConfig;
  let sparseKeys: { notarizerPublicKey: string; otpSignerPublicKey: string };
  let offsetMs = 0;
  beforeAll(async () => {
    const parent = generateP256KeyPair();
    sparse = await startTurnkey({
      port: 0,
      dataDir: "memory://",
      parentOrganizationId: PARENT_ORG,
      parentApiPublicKey: parent.publicKey,
      mail: { apiUrl: mailbox.url, apiKey: MAIL_KEY, from: "Turnkey (test) <no-reply@turnkey.local>" },
      allowedOrigins: [APP_URL],
      oidcFetch: appFetch as typeof fetch,
      variant: "sparse",
      // Lets a test move the counterpart's clock past a code's expiry.
      now: () => new Date(Date.now() + offsetMs),
    });
    sparseKeys = (await (await fetch(`${sparse.url}/counterpart/v1/keys`)).json()) as typeof sparseKeys;
    sparseConfig = {
      appUrl: APP_URL,
      turnkey: {
        apiUrl: sparse.url,
        organizationId: PARENT_ORG,
        apiPublicKey: parent.publicKey,
        apiPrivateKey: parent.privateKey,
        oidcAudience: "turnkey",
        sessionSeconds: 900,
        otpSignerPublicKey: sparseKeys.otpSignerPublicKey,
        notarizerPublicKey: sparseKeys.notarizerPublicKey,
      },
    } as AppConfig;
  });
  afterAll(async () => {
    await sparse?.close();
  });

  const attemptWith = async (identity: Identity, init: Record<string, string>, code: string) => {
    const publicKey = (await newBrowserKey()).publicKey;
    const encryptedOtpBundle = await encryptOtpCodeToBundle(
      code,
      init.otpEncryptionTargetBundle!,
      publicKey,
      sparseKeys.otpSignerPublicKey,
    );
    return rejection(run(identity, "otp-verify", { otpId: init.otpId, encryptedOtpBundle }, sparseConfig));
  };

  it("the refusal really is in the unusual shape (what the mapping below must cope with)", async () => {
    const kim = await newUser("kim-sparse@example.com");
    const init = await run(kim, "otp-init", {}, sparseConfig);
    const publicKey = (await newBrowserKey()).publicKey;
    const wrong = String((Number(await codeFor(kim.email!)) + 1) % 1_000_000).padStart(6, "0");
    const encryptedOtpBundle = await encryptOtpCodeToBundle(
      wrong,
      init.otpEncryptionTargetBundle!,
      publicKey,
      sparseKeys.otpSignerPublicKey,
    );
    const error = (await turnkeyApi(sparseConfig.turnkey!)
      .verifyOtp({ organizationId: PARENT_ORG, otpId: init.otpId!, encryptedOtpBundle })
      .catch((e: unknown) => e)) as { code: number; message: string; details: { "@type": string }[] };
    expect(error.code).toBe(16);
    expect(error.message).not.toMatch(/not correct|invalid otp/i);
    expect(error.details[0]?.["@type"]).not.toBe("type.googleapis.com/google.rpc.ErrorInfo");
    expect(readTurnkeyFailure(error)).toEqual({ grpcCode: 16, turnkeyErrorCode: "UNAUTHENTICATED", attemptsRemaining: 2 });
  });

  it("counts wrong codes down, then refuses even the right one", async () => {
    const lee = await newUser("lee-sparse@example.com");
    const init = await run(lee, "otp-init", {}, sparseConfig);
    const right = await codeFor(lee.email!);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    expect(await attemptWith(lee, init, wrong)).toMatchObject({
      code: "otp_invalid",
      status: 400,
      message: "That code is not right. Check the latest email, or send a new code. 2 attempts left.",
    });
    expect(await attemptWith(lee, init, wrong)).toMatchObject({
      code: "otp_invalid",
      message: "That code is not right. Check the latest email, or send a new code. 1 attempt left.",
    });
    expect(await attemptWith(lee, init, wrong)).toMatchObject({
      code: "otp_invalid",
      message: "That code is not right. Check the latest email, or send a new code. 0 attempts left.",
    });
    expect(await attemptWith(lee, init, right)).toMatchObject({ code: "otp_attempts_exceeded", status: 400 });
  });

  it("an expired code is told apart from a wrong one", async () => {
    const max = await newUser("max-sparse@example.com");
    const init = await run(max, "otp-init", {}, sparseConfig);
    const right = await codeFor(max.email!);
    offsetMs = 301_000;
    try {
      expect(await attemptWith(max, init, right)).toMatchObject({ code: "otp_expired", status: 400 });
    } finally {
      offsetMs = 0;
    }
  });

  it("connects end to end with the sparse answers (email code, then the ID token finds the same sub-organization)", async () => {
    const nia = await newUser("nia-sparse@example.com");
    const keys = await newBrowserKey();
    const init = await run(nia, "otp-init", {}, sparseConfig);
    const publicKey = keys.publicKey;
    const encryptedOtpBundle = await encryptOtpCodeToBundle(
      await codeFor(nia.email!),
      init.otpEncryptionTargetBundle!,
      publicKey,
      sparseKeys.otpSignerPublicKey,
    );
    const { verificationToken } = await run(nia, "otp-verify", { otpId: init.otpId, encryptedOtpBundle }, sparseConfig);
    const { organizationId } = await run(
      nia,
      "otp-login",
      { verificationToken, signature: await signLoginUsage(verificationToken!, keys) },
      sparseConfig,
    );
    const body = JSON.stringify({ organizationId });
    await run(nia, "whoami", { body, stamp: await stamp(body, keys) }, sparseConfig);
    const connection = await store.getWalletConnection(nia.userId, "turnkey");
    expect(connection).toMatchObject({
      status: "connected",
      address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      data: { organizationId },
    });
    const view = turnkeyProvider.card(connection!);
    expect(view.state).toBe("connected");
    expect(Object.fromEntries("facts" in view ? view.facts : [])["Solana address"]).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    const again = await run(nia, "oauth-login", { publicKey: (await newBrowserKey()).publicKey }, sparseConfig);
    expect(again.organizationId).toBe(organizationId);
  });
});

describe("Turnkey sessions the browser obtains itself: passkey sign-up, passkey login, the kit's refresh", () => {
  const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  /** What the kit's createPasskey returns, from a software authenticator on the app's origin. */
  function passkey(challenge = b64u(crypto.getRandomValues(new Uint8Array(32))), clientChallenge = challenge) {
    const a = newSoftAuthenticator();
    const { clientDataJSON, attestationObject } = softRegistration(a, {
      rpId: new URL(APP_URL).hostname,
      origin: APP_URL,
      challenge: clientChallenge,
    });
    return {
      challenge,
      attestation: {
        credentialId: b64u(a.credentialId),
        clientDataJson: clientDataJSON,
        attestationObject,
        transports: ["AUTHENTICATOR_TRANSPORT_INTERNAL"],
      },
    };
  }
  /** A Turnkey client stamping with `keys`, as the kit's httpClient does in the browser. */
  const as = (keys: BrowserKey, organizationId: string) =>
    new Turnkey({
      apiBaseUrl: config.turnkey!.apiUrl,
      defaultOrganizationId: organizationId,
      apiPublicKey: keys.publicKey,
      apiPrivateKey: keys.privateKey,
    }).apiClient();
  /** `session` as the browser calls it: the JWT and a whoami stamped by the key it names. */
  async function adopt(identity: Identity, session: string, keys: BrowserKey, via: "passkey" | "refresh") {
    const body = JSON.stringify({ organizationId: decodeJwt(session).organization_id });
    return run(identity, "session", { session, via, body, stamp: await stamp(body, keys) });
  }

  it("sign-up creates the sub-organization with the passkey and the 60-s sign-up key; its stamp_login connects; a second sign-up is refused; the ID token finds the same wallet", async () => {
    const kim = await newUser("kim-passkey@example.com");
    expect(await run(kim, "passkey-precheck", {})).toEqual({ canCreate: true });
    const signupKey = await newBrowserKey();
    const { organizationId } = await run(kim, "passkey-signup", { ...passkey(), publicKey: signupKey.publicKey });
    expect((await store.getWalletConnection(kim.userId, "turnkey"))?.status).toBe("pending");

    const sessionKey = await newBrowserKey();
    const { session } = await as(signupKey, organizationId!).stampLogin({ publicKey: sessionKey.publicKey, expirationSeconds: "900" });
    // A whoami stamped by a key the session does not name proves nothing.
    expect(await rejection(adopt(kim, session, signupKey, "passkey"))).toMatchObject({ code: "wallet_mismatch", status: 403 });
    await adopt(kim, session, sessionKey, "passkey");
    const connected = await store.getWalletConnection(kim.userId, "turnkey");
    expect(connected).toMatchObject({
      status: "connected",
      data: { organizationId, loginMethod: "passkey", sessionPublicKey: sessionKey.publicKey },
    });
    expect(connected?.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(connected?.expiresAt?.getTime()).toBe((decodeJwt(session).exp as number) * 1000);

    expect(await rejection(run(kim, "passkey-precheck", {}))).toMatchObject({ code: "wallet_exists", status: 409 });
    expect(await rejection(run(kim, "passkey-signup", { ...passkey(), publicKey: (await newBrowserKey()).publicKey }))).toMatchObject({
      code: "wallet_exists",
      status: 409,
    });
    expect((await run(kim, "oauth-login", { publicKey: (await newBrowserKey()).publicKey })).organizationId).toBe(organizationId);
  });

  it("refuses a passkey whose client data carries another challenge than the one sent with it", async () => {
    const lou = await newUser("lou-passkey@example.com");
    const mismatched = passkey(b64u(new Uint8Array(32).fill(1)), b64u(new Uint8Array(32).fill(2)));
    expect(await rejection(run(lou, "passkey-signup", { ...mismatched, publicKey: (await newBrowserKey()).publicKey }))).toMatchObject({
      code: "passkey_invalid",
      status: 400,
    });
  });

  it("records the kit's refresh (a stamp_login by the live session key) and refuses another account's session or a refresh of nothing", async () => {
    const max = await newUser("max-refresh@example.com");
    const first = await newBrowserKey();
    const { organizationId } = await run(max, "oauth-login", { publicKey: first.publicKey });
    const body = JSON.stringify({ organizationId });
    await run(max, "whoami", { body, stamp: await stamp(body, first) });
    const before = await store.getWalletConnection(max.userId, "turnkey");

    const next = await newBrowserKey();
    const { session } = await as(first, organizationId!).stampLogin({ publicKey: next.publicKey, expirationSeconds: "900" });
    await adopt(max, session, next, "refresh");
    const after = await store.getWalletConnection(max.userId, "turnkey");
    expect(after).toMatchObject({
      status: "connected",
      address: before!.address,
      data: { loginMethod: "oidc", sessionPublicKey: next.publicKey },
    });
    expect(typeof after?.data.refreshedAt).toBe("string");
    expect(after?.expiresAt?.getTime()).toBe((decodeJwt(session).exp as number) * 1000);

    // Someone else's session (their passkey on this device) does not become Max's.
    const ned = await newUser("ned-refresh@example.com");
    const nedKey = await newBrowserKey();
    const nedOrg = (await run(ned, "oauth-login", { publicKey: nedKey.publicKey })).organizationId!;
    const nedNext = await newBrowserKey();
    const nedSession = (await as(nedKey, nedOrg).stampLogin({ publicKey: nedNext.publicKey })).session;
    expect(await rejection(adopt(max, nedSession, nedNext, "passkey"))).toMatchObject({ code: "wallet_mismatch", status: 403 });
    expect(await rejection(adopt(max, nedSession, nedNext, "refresh"))).toMatchObject({ code: "wallet_mismatch", status: 403 });

    // A refresh needs a live connection: a person without one is told to reconnect.
    const otto = await newUser("otto-refresh@example.com");
    expect(await rejection(adopt(otto, session, next, "refresh"))).toMatchObject({ code: "wallet_not_started", status: 409 });
    // A passkey login by someone with no Turnkey wallet at all.
    expect(await rejection(adopt(otto, nedSession, nedNext, "passkey"))).toMatchObject({ code: "wallet_not_started", status: 409 });
  });
});
