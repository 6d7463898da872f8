/**
 * Bad inputs, each refused with its own stable reason, driven through @turnkey/sdk-server the
 * way the app's backend would send them. Frozen clock; time is moved where expiry matters.
 */
import { encryptOtpCodeToBundle, generateP256KeyPair } from "@turnkey/crypto";
import { exportSPKI } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { nonceForPublicKey } from "../lib/oidc-token";
import { hmacToken, startTestIssuer, unsignedToken, type TestIssuer } from "../lib/oidc-test-issuer";
import {
  OIDC_AUD,
  PARENT_ORG,
  T,
  createUser,
  idToken,
  loginSignature,
  rejectionReason,
  startTurnkeyStack,
  verifyEmail,
  type TurnkeyStack,
} from "./test-support";

let stack: TurnkeyStack;
let stranger: TestIssuer;
let sub: string;
const EMAIL = "oauth-user@example.com";
const SUBJECT = "oauth-user";

beforeAll(async () => {
  stack = await startTurnkeyStack();
  stranger = await startTestIssuer();
  sub = (await createUser(stack, EMAIL, SUBJECT)).subOrganizationId;
});
afterEach(() => stack.clock.reset());
afterAll(async () => {
  await stranger?.close();
  await stack?.close();
});

const key = () => generateP256KeyPair();
const oauthLogin = (oidcToken: string, publicKey: string, organizationId = sub) =>
  stack.client().oauthLogin({ organizationId, oidcToken, publicKey });
const claims = (publicKey: string) => ({
  iss: stack.issuer.url,
  sub: SUBJECT,
  aud: OIDC_AUD,
  iat: T,
  exp: T + 300,
  nonce: nonceForPublicKey(publicKey),
});

/** A contact of its own per case: codes are rate-limited per contact. */
let counter = 0;
const freshEmail = () => `otp-${++counter}@example.com`;

/** Starts an OTP and returns what the client needs to answer it. */
async function startOtp(options: { expirationSeconds?: string } = {}, contact = freshEmail()) {
  const { otpId, otpEncryptionTargetBundle } = await stack
    .client()
    .initOtp({ otpType: "OTP_TYPE_EMAIL", contact, appName: "Demo", ...options });
  return { otpId, bundle: otpEncryptionTargetBundle, code: await stack.latestCode(contact) };
}
const encrypt = (code: string, bundle: string, publicKey: string) =>
  encryptOtpCodeToBundle(code, bundle, publicKey, stack.keys.otpSignerPublicKey);
const wrong = (code: string) => (code.startsWith("0") ? `1${code.slice(1)}` : `0${code.slice(1)}`);

type Case = [name: string, run: () => Promise<unknown>, reason: string];

describe("oauth_login rejections", () => {
  const cases: Case[] = [
    [
      "wrong nonce (bound to another key)",
      async () => oauthLogin(await idToken(stack, SUBJECT, key().publicKey), key().publicKey),
      "nonce_mismatch",
    ],
    [
      "nonce missing",
      async () => {
        const k = key();
        const { nonce: _nonce, ...rest } = claims(k.publicKey);
        return oauthLogin(await stack.issuer.mint(rest), k.publicKey);
      },
      "nonce_missing",
    ],
    [
      "wrong aud",
      async () => {
        const k = key();
        return oauthLogin(await idToken(stack, SUBJECT, k.publicKey, { aud: "another-app" }), k.publicKey);
      },
      "aud_mismatch",
    ],
    [
      "HS256 token (keyed with the issuer's RSA public key)",
      async () => {
        const k = key();
        return oauthLogin(
          await hmacToken(claims(k.publicKey), await exportSPKI(stack.issuer.rs256.publicKey), stack.issuer.rs256.kid),
          k.publicKey,
        );
      },
      "alg_hmac",
    ],
    [
      "alg none",
      async () => {
        const k = key();
        return oauthLogin(unsignedToken(claims(k.publicKey), { kid: stack.issuer.rs256.kid }), k.publicKey);
      },
      "alg_none",
    ],
    [
      "expired ID token",
      async () => {
        const k = key();
        return oauthLogin(await idToken(stack, SUBJECT, k.publicKey, { iat: T - 900, exp: T - 60 }), k.publicKey);
      },
      "token_expired",
    ],
    [
      "ID token from its future",
      async () => {
        const k = key();
        return oauthLogin(await idToken(stack, SUBJECT, k.publicKey, { iat: T + 120, exp: T + 400 }), k.publicKey);
      },
      "iat_in_future",
    ],
    [
      "tampered signature",
      async () => {
        const k = key();
        const [h, p, s = ""] = (await idToken(stack, SUBJECT, k.publicKey)).split(".");
        return oauthLogin(`${h}.${p}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`, k.publicKey);
      },
      "signature_invalid",
    ],
    [
      "issuer not registered on this sub-org",
      async () => {
        const k = key();
        return oauthLogin(await stranger.mint({ ...claims(k.publicKey), iss: stranger.url }), k.publicKey);
      },
      "issuer_not_allowed",
    ],
    [
      "subject not linked to any user",
      async () => {
        const k = key();
        return oauthLogin(await idToken(stack, "someone-else", k.publicKey), k.publicKey);
      },
      "oauth_user_not_found",
    ],
    [
      "token of another sub-org's user",
      async () => {
        const k = key();
        return oauthLogin(await idToken(stack, SUBJECT, k.publicKey), k.publicKey, PARENT_ORG);
      },
      "issuer_not_allowed",
    ],
    [
      "publicKey not a compressed P-256 key",
      async () => {
        const k = key();
        return oauthLogin(await idToken(stack, SUBJECT, k.publicKeyUncompressed), k.publicKeyUncompressed);
      },
      "public_key_invalid",
    ],
    [
      "session key already held by another user",
      async () => oauthLogin(await idToken(stack, SUBJECT, stack.parent.publicKey), stack.parent.publicKey),
      "public_key_in_use",
    ],
    [
      "expirationSeconds out of range",
      async () => {
        const k = key();
        return stack.client().oauthLogin({
          organizationId: sub,
          oidcToken: await idToken(stack, SUBJECT, k.publicKey),
          publicKey: k.publicKey,
          expirationSeconds: "5",
        });
      },
      "expiration_invalid",
    ],
  ];
  it.each(cases)("%s", async (_name, run, reason) => {
    expect(await rejectionReason(run())).toBe(reason);
  });
});

describe("OTP rejections", () => {
  const cases: Case[] = [
    [
      "replayed OTP",
      async () => {
        const k = key();
        const { otpId, bundle, code } = await startOtp();
        await stack.client().verifyOtp({ otpId, encryptedOtpBundle: await encrypt(code, bundle, k.publicKey) });
        return stack.client().verifyOtp({ otpId, encryptedOtpBundle: await encrypt(code, bundle, k.publicKey) });
      },
      "otp_used",
    ],
    [
      "expired OTP",
      async () => {
        const { otpId, bundle, code } = await startOtp({ expirationSeconds: "60" });
        stack.clock.advance(61);
        return stack.client().verifyOtp({ otpId, encryptedOtpBundle: await encrypt(code, bundle, key().publicKey) });
      },
      "otp_expired",
    ],
    [
      "wrong code",
      async () => {
        const { otpId, bundle, code } = await startOtp();
        return stack.client().verifyOtp({ otpId, encryptedOtpBundle: await encrypt(wrong(code), bundle, key().publicKey) });
      },
      "otp_invalid",
    ],
    [
      "too many attempts (then even the right code fails)",
      async () => {
        const k = key();
        const { otpId, bundle, code } = await startOtp();
        for (let i = 0; i < 3; i++) {
          expect(
            await rejectionReason(stack.client().verifyOtp({ otpId, encryptedOtpBundle: await encrypt(wrong(code), bundle, k.publicKey) })),
          ).toBe("otp_invalid");
        }
        return stack.client().verifyOtp({ otpId, encryptedOtpBundle: await encrypt(code, bundle, k.publicKey) });
      },
      "otp_attempts_exceeded",
    ],
    [
      "code encrypted to another OTP's key",
      async () => {
        const contact = freshEmail();
        const first = await startOtp({}, contact);
        const second = await startOtp({}, contact);
        return stack
          .client()
          .verifyOtp({ otpId: second.otpId, encryptedOtpBundle: await encrypt(second.code, first.bundle, key().publicKey) });
      },
      "otp_bundle_invalid",
    ],
    ["unknown OTP", async () => stack.client().verifyOtp({ otpId: "nope", encryptedOtpBundle: "{}" }), "otp_not_found"],
    [
      "SMS",
      async () => stack.client().initOtp({ otpType: "OTP_TYPE_SMS", contact: "+15555550100", appName: "Demo" }),
      "otp_type_unsupported",
    ],
    [
      "otpLength 5",
      async () => stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: EMAIL, appName: "Demo", otpLength: 5 }),
      "otp_length_invalid",
    ],
    [
      "expiry above 600 s",
      async () => stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: EMAIL, appName: "Demo", expirationSeconds: "601" }),
      "otp_expiration_invalid",
    ],
    [
      "contact not an email",
      async () => stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: "not-an-email", appName: "Demo" }),
      "otp_contact_invalid",
    ],
  ];
  it.each(cases)("%s", async (_name, run, reason) => {
    expect(await rejectionReason(run())).toBe(reason);
  });

  it("rate-limits codes per contact", async () => {
    const contact = "rate@example.com";
    for (let i = 0; i < 5; i++) await stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact, appName: "Demo" });
    expect(await rejectionReason(stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact, appName: "Demo" }))).toBe("otp_rate_limited");
  });
});

describe("otp_login rejections", () => {
  type LoginBody = Parameters<ReturnType<TurnkeyStack["client"]>["otpLogin"]>[0];
  /** A user of its own, a verified email, then an otp_login body that `tamper` spoils. */
  const login = async (tamper: (input: { sub: string; token: string; tokenKey: ReturnType<typeof key> }) => Promise<LoginBody>) => {
    const email = freshEmail();
    const { subOrganizationId } = await createUser(stack, email, email);
    const tokenKey = key();
    const { verificationToken } = await verifyEmail(stack, email, tokenKey);
    return stack.client().otpLogin(await tamper({ sub: subOrganizationId, token: verificationToken, tokenKey }));
  };
  const cases: Case[] = [
    [
      "verification token reused",
      async () =>
        login(async ({ sub, token, tokenKey }) => {
          const body = {
            organizationId: sub,
            verificationToken: token,
            publicKey: tokenKey.publicKey,
            clientSignature: await loginSignature(token, tokenKey, tokenKey.publicKey),
          };
          await stack.client().otpLogin(body);
          return { ...body, expirationSeconds: "600" };
        }),
      "verification_token_used",
    ],
    [
      "verification token expired",
      async () =>
        login(async ({ sub, token, tokenKey }) => {
          stack.clock.advance(3601);
          return {
            organizationId: sub,
            verificationToken: token,
            publicKey: tokenKey.publicKey,
            clientSignature: await loginSignature(token, tokenKey, tokenKey.publicKey),
          };
        }),
      "verification_token_expired",
    ],
    [
      "verification token forged (signed by another key)",
      async () =>
        login(async ({ sub, token, tokenKey }) => {
          const [h, p] = token.split(".");
          return {
            organizationId: sub,
            verificationToken: `${h}.${p}.${"A".repeat(86)}`,
            publicKey: tokenKey.publicKey,
            clientSignature: await loginSignature(token, tokenKey, tokenKey.publicKey),
          };
        }),
      "verification_token_invalid",
    ],
    [
      "client signature by a key other than the token's",
      async () =>
        login(async ({ sub, token, tokenKey }) => ({
          organizationId: sub,
          verificationToken: token,
          publicKey: tokenKey.publicKey,
          clientSignature: await loginSignature(token, key(), tokenKey.publicKey),
        })),
      "client_signature_key_mismatch",
    ],
    [
      "client signature made by another key but claiming the token's",
      async () =>
        login(async ({ sub, token, tokenKey }) => ({
          organizationId: sub,
          verificationToken: token,
          publicKey: tokenKey.publicKey,
          clientSignature: { ...(await loginSignature(token, key(), tokenKey.publicKey)), publicKey: tokenKey.publicKey },
        })),
      "client_signature_invalid",
    ],
    [
      "client signature authorizing a different session key",
      async () => {
        const other = key();
        return login(async ({ sub, token, tokenKey }) => ({
          organizationId: sub,
          verificationToken: token,
          publicKey: other.publicKey,
          clientSignature: await loginSignature(token, tokenKey, tokenKey.publicKey),
        }));
      },
      "client_signature_message_mismatch",
    ],
    [
      "contact is not a user of the target sub-org",
      async () => {
        const tokenKey = key();
        const { verificationToken } = await verifyEmail(stack, freshEmail(), tokenKey);
        return stack.client().otpLogin({
          organizationId: sub,
          verificationToken,
          publicKey: tokenKey.publicKey,
          clientSignature: await loginSignature(verificationToken, tokenKey, tokenKey.publicKey),
        });
      },
      "user_not_found",
    ],
  ];
  it.each(cases)("%s", async (_name, run, reason) => {
    expect(await rejectionReason(run())).toBe(reason);
  });
});

describe("create_sub_organization rejections", () => {
  const user = (extra: object = {}) => ({ userName: "u", apiKeys: [], authenticators: [], oauthProviders: [], ...extra });
  const create = (rootUser: object, wallet?: object) =>
    stack.client().createSubOrganization({
      subOrganizationName: "bad",
      rootUsers: [rootUser as never],
      rootQuorumThreshold: 1,
      ...(wallet ? { wallet: wallet as never } : {}),
    });
  const cases: Case[] = [
    [
      "API key not compressed",
      async () => create(user({ apiKeys: [{ apiKeyName: "k", publicKey: key().publicKeyUncompressed, curveType: "API_KEY_CURVE_P256" }] })),
      "api_key_public_key_invalid",
    ],
    [
      "API key of another curve",
      async () => create(user({ apiKeys: [{ apiKeyName: "k", publicKey: key().publicKey, curveType: "API_KEY_CURVE_ED25519" }] })),
      "api_key_curve_unsupported",
    ],
    [
      "API key already registered (the parent's)",
      async () => create(user({ apiKeys: [{ apiKeyName: "k", publicKey: stack.parent.publicKey, curveType: "API_KEY_CURVE_P256" }] })),
      "api_key_exists",
    ],
    [
      "OIDC identity already linked",
      async () =>
        create(user({ oauthProviders: [{ providerName: "p", oidcClaims: { iss: stack.issuer.url, aud: OIDC_AUD, sub: SUBJECT } }] })),
      "oauth_provider_exists",
    ],
    [
      "oidcToken that does not verify",
      async () => create(user({ oauthProviders: [{ providerName: "p", oidcToken: unsignedToken(claims(key().publicKey)) }] })),
      "alg_none",
    ],
    [
      "unsupported address format",
      async () =>
        create(user(), {
          walletName: "w",
          accounts: [
            { curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/195'/0'/0/0", addressFormat: "ADDRESS_FORMAT_TRON" },
          ],
        }),
      "address_format_unsupported",
    ],
    [
      "curve that does not fit the address format",
      async () =>
        create(user(), {
          walletName: "w",
          accounts: [
            {
              curve: "CURVE_ED25519",
              pathFormat: "PATH_FORMAT_BIP32",
              path: "m/44'/60'/0'/0'/0'",
              addressFormat: "ADDRESS_FORMAT_ETHEREUM",
            },
          ],
        }),
      "address_format_curve_mismatch",
    ],
    [
      "non-hardened ed25519 path",
      async () =>
        create(user(), {
          walletName: "w",
          accounts: [
            { curve: "CURVE_ED25519", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/501'/0'/0", addressFormat: "ADDRESS_FORMAT_SOLANA" },
          ],
        }),
      "derivation_path_invalid",
    ],
    ["missing required arrays", async () => create({ userName: "u" }), "invalid_request"],
    [
      "quorum above the number of root users",
      async () => stack.client().createSubOrganization({ subOrganizationName: "q", rootUsers: [user()], rootQuorumThreshold: 2 }),
      "root_quorum_invalid",
    ],
  ];
  it.each(cases)("%s", async (_name, run, reason) => {
    expect(await rejectionReason(run())).toBe(reason);
  });
});
