/**
 * Test fixtures for the Turnkey counterpart: a frozen clock, a mailbox, a local OIDC issuer, the
 * counterpart itself on a loopback port, and helpers that drive it with the real Turnkey packages
 * (`@turnkey/sdk-server`, `@turnkey/api-key-stamper`, `@turnkey/crypto`). Used by tests only.
 */
import { ApiKeyStamper, SignatureFormat } from "@turnkey/api-key-stamper";
import { encryptOtpCodeToBundle, generateP256KeyPair } from "@turnkey/crypto";
import { DEFAULT_ETHEREUM_ACCOUNTS, DEFAULT_SOLANA_ACCOUNTS, Turnkey, type TurnkeyApiClient } from "@turnkey/sdk-server";
import type { JWTPayload } from "jose";
import type { RunningService } from "../lib/http";
import { nonceForPublicKey } from "../lib/oidc-token";
import { startTestIssuer, type TestIssuer } from "../lib/oidc-test-issuer";
import { frozenClock, type Clock } from "../lib/test-clock";
import { startMailbox } from "../mailbox";
import { ERROR_INFO_TYPE } from "./errors";
import { startTurnkey, type TurnkeyOptions } from "./service";

/** Frozen clock start: 2030-03-17T17:46:40Z (ahead of the real clock, which @turnkey/crypto uses for token expiry). */
export const T = 1_900_000_000;
export const PARENT_ORG = "parent-org-0001";
export const APP_ORIGIN = "http://localhost:3000";
export const OIDC_AUD = "byo-auth-turnkey";
const MAIL_KEY = "turnkey-test-mail-key-0123456789";

export type KeyPair = ReturnType<typeof generateP256KeyPair>;

export interface TurnkeyStack {
  readonly url: string;
  readonly clock: Clock;
  readonly issuer: TestIssuer;
  readonly parent: KeyPair;
  /** Uncompressed hex keys for @turnkey/crypto's dangerouslyOverride… arguments. */
  readonly keys: { readonly notarizerPublicKey: string; readonly otpSignerPublicKey: string };
  /** sdk-server client stamping with `credentials` (default: the parent key). */
  client(credentials?: KeyPair, organizationId?: string): TurnkeyApiClient;
  /** The code in the newest email to `email`. */
  latestCode(email: string): Promise<string>;
  /** The service's retention sweep (see ./retention.ts). */
  sweep(createdBefore: Date): Promise<{ removed: number }>;
  close(): Promise<void>;
}

/** `parent`: the app's API key pair; pass the same one to restart on the same `dataDir`. */
export async function startTurnkeyStack(
  overrides: Partial<TurnkeyOptions> = {},
  parent: KeyPair = generateP256KeyPair(),
): Promise<TurnkeyStack> {
  const clock = frozenClock(T);
  const issuer = await startTestIssuer();
  const mailbox: RunningService = await startMailbox({ port: 0, dataDir: "memory://", apiKey: MAIL_KEY });
  const turnkey = await startTurnkey({
    port: 0,
    dataDir: "memory://",
    parentOrganizationId: PARENT_ORG,
    parentApiPublicKey: parent.publicKey,
    mail: { apiUrl: mailbox.url, apiKey: MAIL_KEY, from: "Turnkey (counterpart) <no-reply@turnkey.local>" },
    allowedOrigins: [APP_ORIGIN],
    now: clock.now,
    ...overrides,
  });
  const keys = (await (await fetch(`${turnkey.url}/counterpart/v1/keys`)).json()) as TurnkeyStack["keys"];
  return {
    url: turnkey.url,
    clock,
    issuer,
    parent,
    keys,
    client: (credentials = parent, organizationId = PARENT_ORG) =>
      new Turnkey({
        apiBaseUrl: turnkey.url,
        defaultOrganizationId: organizationId,
        apiPublicKey: credentials.publicKey,
        apiPrivateKey: credentials.privateKey,
      }).apiClient(),
    async latestCode(email) {
      const response = await fetch(`${mailbox.url}/api/messages?to=${encodeURIComponent(email)}`);
      const { messages } = (await response.json()) as { messages: { text: string }[] };
      const code = /verification code is ([0-9A-Z]+)\./.exec(messages[0]?.text ?? "")?.[1];
      if (code === undefined) throw new Error(`no code mailed to ${email}`);
      return code;
    },
    sweep: (createdBefore) => turnkey.sweep(createdBefore),
    async close() {
      await turnkey.close();
      await mailbox.close();
      await issuer.close();
    },
  };
}

/** A sub-organization for `email` with the default Ethereum + Solana wallet and an OIDC login. */
export async function createUser(stack: TurnkeyStack, email: string, subject = email) {
  return stack.client().createSubOrganization({
    subOrganizationName: `Sub-org of ${email}`,
    rootUsers: [
      {
        userName: email,
        userEmail: email,
        apiKeys: [],
        authenticators: [],
        oauthProviders: [{ providerName: "app", oidcClaims: { iss: stack.issuer.url, aud: OIDC_AUD, sub: subject } }],
      },
    ],
    rootQuorumThreshold: 1,
    wallet: { walletName: "Default Wallet", accounts: [...DEFAULT_ETHEREUM_ACCOUNTS, ...DEFAULT_SOLANA_ACCOUNTS] },
  });
}

/** An ID token from the test issuer bound to `publicKey` (nonce), valid at the frozen clock. */
export function idToken(stack: TurnkeyStack, subject: string, publicKey: string, claims: JWTPayload = {}): Promise<string> {
  const iat = Math.floor(stack.clock.now().getTime() / 1000);
  return stack.issuer.mint({ sub: subject, aud: OIDC_AUD, iat, exp: iat + 300, nonce: nonceForPublicKey(publicKey), ...claims });
}

/** The OTP_LOGIN client signature, made as @turnkey/core does: raw r‖s by the token's key. */
export async function loginSignature(verificationToken: string, signer: KeyPair, sessionPublicKey: string) {
  const claims = JSON.parse(Buffer.from(verificationToken.split(".")[1] ?? "", "base64url").toString()) as { id: string };
  const message = JSON.stringify({ login: { publicKey: sessionPublicKey }, tokenId: claims.id, type: "USAGE_TYPE_LOGIN" });
  const stamper = new ApiKeyStamper({ apiPublicKey: signer.publicKey, apiPrivateKey: signer.privateKey });
  return {
    publicKey: signer.publicKey,
    scheme: "CLIENT_SIGNATURE_SCHEME_API_P256" as const,
    message,
    signature: await stamper.sign(message, SignatureFormat.Raw),
  };
}

/** init_otp → mailed code → encrypted bundle → verify_otp, as a backend + browser would. */
export async function verifyEmail(
  stack: TurnkeyStack,
  email: string,
  clientKey: KeyPair,
): Promise<{ otpId: string; verificationToken: string }> {
  const api = stack.client();
  const { otpId, otpEncryptionTargetBundle } = await api.initOtp({ otpType: "OTP_TYPE_EMAIL", contact: email, appName: "Demo" });
  const encryptedOtpBundle = await encryptOtpCodeToBundle(
    await stack.latestCode(email),
    otpEncryptionTargetBundle,
    clientKey.publicKey,
    stack.keys.otpSignerPublicKey,
  );
  const { verificationToken } = await api.verifyOtp({ otpId, encryptedOtpBundle });
  return { otpId, verificationToken };
}

/** The stable code of a rejected sdk-server call (the ErrorInfo detail's `reason`, wherever it stands). */
export async function rejectionReason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const details = (error as { details?: { "@type"?: string; reason?: string }[] } | undefined)?.details;
  const reason = details?.find((detail) => detail["@type"] === ERROR_INFO_TYPE)?.reason;
  if (reason === undefined) throw new Error(`expected a Turnkey error, got ${String(error)}`);
  return reason;
}
