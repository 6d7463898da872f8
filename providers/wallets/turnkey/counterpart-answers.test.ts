/**
 * The Turnkey counterpart's answers and refusals, in both variants, as @turnkey/sdk-server
 * surfaces them, read with the app's own schemas and failure reader (./schema.ts): a shape the
 * app cannot read fails here first. (Which shape each variant sends is tested in the
 * counterparts package: turnkey/variant.test.ts.)
 */
import { encryptOtpCodeToBundle, generateP256KeyPair } from "@turnkey/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSubOrganizationResultSchema,
  initOtpResultSchema,
  loginResultSchema,
  readTurnkeyFailure,
  subOrgIdsResponseSchema,
  verifyOtpResultSchema,
  walletAccountsResponseSchema,
  walletsResponseSchema,
  whoamiResponseSchema,
} from "./schema";
import { DEFAULT_OTP_SECONDS } from "@byo/counterparts/turnkey";
import { createUser, idToken, loginSignature, startTurnkeyStack, type TurnkeyStack } from "@byo/counterparts/turnkey/test-support";
import { COUNTERPART_VARIANTS } from "@byo/counterparts/lib/variant";

describe.each(COUNTERPART_VARIANTS)("the %s variant", (variant) => {
  let stack: TurnkeyStack;
  beforeAll(async () => {
    stack = await startTurnkeyStack({ variant });
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("every answer the app reads parses with the app's schemas", async () => {
    const email = `variant-${variant}@example.com`;
    const created = await createUser(stack, email, `subject-${variant}`);
    const { subOrganizationId: sub } = createSubOrganizationResultSchema.parse(created);

    const found = await stack.client().getSubOrgIds({ filterType: "EMAIL", filterValue: email });
    expect(subOrgIdsResponseSchema.parse(found).organizationIds).toEqual([sub]);
    const { wallets } = walletsResponseSchema.parse(await stack.client().getWallets({ organizationId: sub }));
    const accountsAnswer = await stack.client().getWalletAccounts({ organizationId: sub, walletId: wallets[0]!.walletId });
    const { accounts } = walletAccountsResponseSchema.parse(accountsAnswer);
    expect(accounts.map((a) => a.addressFormat)).toEqual(["ADDRESS_FORMAT_ETHEREUM", "ADDRESS_FORMAT_SOLANA"]);

    const sessionKey = generateP256KeyPair();
    const login = await stack.client().oauthLogin({
      organizationId: sub,
      oidcToken: await idToken(stack, `subject-${variant}`, sessionKey.publicKey),
      publicKey: sessionKey.publicKey,
    });
    loginResultSchema.parse(login);
    const me = whoamiResponseSchema.parse(await stack.client(sessionKey, sub).getWhoami({}));
    expect(me.organizationId).toBe(sub);

    const clientKey = generateP256KeyPair();
    const init = initOtpResultSchema.parse(
      await stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: email, appName: "Demo", otpLength: 6, alphanumeric: false }),
    );
    const bundle = await encryptOtpCodeToBundle(
      await stack.latestCode(email),
      init.otpEncryptionTargetBundle,
      clientKey.publicKey,
      stack.keys.otpSignerPublicKey,
    );
    const { verificationToken } = verifyOtpResultSchema.parse(
      await stack.client().verifyOtp({ otpId: init.otpId, encryptedOtpBundle: bundle }),
    );
    const otpSession = await stack.client().otpLogin({
      organizationId: sub,
      verificationToken,
      publicKey: clientKey.publicKey,
      clientSignature: await loginSignature(verificationToken, clientKey, clientKey.publicKey),
    });
    loginResultSchema.parse(otpSession);
  });

  /** verify_otp with `code`, as @turnkey/sdk-server throws its refusal. */
  async function refusal(init: { otpId: string; otpEncryptionTargetBundle: string }, code: string) {
    const bundle = await encryptOtpCodeToBundle(
      code,
      init.otpEncryptionTargetBundle,
      generateP256KeyPair().publicKey,
      stack.keys.otpSignerPublicKey,
    );
    const error = await stack
      .client()
      .verifyOtp({ otpId: init.otpId, encryptedOtpBundle: bundle })
      .then(
        () => undefined,
        (e: unknown) => e as { name: string; code: number; message: string; details: { "@type": string }[] },
      );
    if (!error) throw new Error("expected a refusal");
    return error;
  }

  it("one-time-code refusals: the app reads the gRPC code, the Turnkey error code and the attempts left", async () => {
    const email = `refusals-${variant}@example.com`;
    const init = initOtpResultSchema.parse(
      await stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: email, appName: "Demo", otpLength: 6, alphanumeric: false }),
    );
    const right = await stack.latestCode(email);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");

    const first = await refusal(init, wrong);
    expect(first.name).toBe("TurnkeyRequestError");
    expect(readTurnkeyFailure(first)).toEqual({ grpcCode: 16, turnkeyErrorCode: "UNAUTHENTICATED", attemptsRemaining: 2 });

    expect(readTurnkeyFailure(await refusal(init, wrong))).toMatchObject({ grpcCode: 16, attemptsRemaining: 1 });
    expect(readTurnkeyFailure(await refusal(init, wrong))).toMatchObject({ grpcCode: 16, attemptsRemaining: 0 });
    // Locked: Turnkey documents no TurnkeyErrorCode for this, so none is sent.
    expect(readTurnkeyFailure(await refusal(init, right))).toEqual({ grpcCode: 8, attemptsRemaining: 0 });

    const other = `expiring-${variant}@example.com`;
    const later = initOtpResultSchema.parse(
      await stack.client().initOtp({ otpType: "OTP_TYPE_EMAIL", contact: other, appName: "Demo", otpLength: 6, alphanumeric: false }),
    );
    const code = await stack.latestCode(other);
    stack.clock.advance(DEFAULT_OTP_SECONDS + 1);
    try {
      expect(readTurnkeyFailure(await refusal(later, code))).toEqual({ grpcCode: 9 });
    } finally {
      stack.clock.reset();
    }
  });
});
