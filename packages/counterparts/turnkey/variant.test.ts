/**
 * The shape each variant sends, as @turnkey/sdk-server surfaces it: `sparse` leaves out what
 * @turnkey/sdk-types marks optional, adds members nobody knows, puts a detail of an unknown type
 * first and rewords messages; `standard` sends the documented example shape. (That the app reads
 * both is tested next to its schemas: providers/wallets/turnkey/counterpart-answers.test.ts.)
 */
import { encryptOtpCodeToBundle, generateP256KeyPair } from "@turnkey/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTERPART_VARIANTS, UNKNOWN_EXTRA_FIELDS } from "../lib/variant";
import { ERROR_INFO_TYPE, GRPC, TURNKEY_ERROR_DETAIL_TYPE, UNKNOWN_DETAIL_TYPE } from "./errors";
import { createUser, startTurnkeyStack, type TurnkeyStack } from "./test-support";

describe.each(COUNTERPART_VARIANTS)("the %s variant", (variant) => {
  let stack: TurnkeyStack;
  beforeAll(async () => {
    stack = await startTurnkeyStack({ variant });
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("answers: sparse leaves out only optional members and adds unknown ones", async () => {
    const created = await createUser(stack, `shape-${variant}@example.com`, `shape-${variant}`);
    if (variant === "sparse") {
      expect(created).not.toHaveProperty("wallet");
      expect(created).not.toHaveProperty("rootUserIds");
      expect(created).toMatchObject(UNKNOWN_EXTRA_FIELDS);
    } else {
      expect(created).toMatchObject({ wallet: { addresses: expect.any(Array) }, rootUserIds: [expect.any(String)] });
    }
    const sub = created.subOrganizationId;
    const { wallets } = await stack.client().getWallets({ organizationId: sub });
    const { accounts } = await stack.client().getWalletAccounts({ organizationId: sub, walletId: wallets[0]!.walletId });
    expect(accounts.map((a) => a.addressFormat)).toEqual(["ADDRESS_FORMAT_ETHEREUM", "ADDRESS_FORMAT_SOLANA"]);
    if (variant === "sparse") expect(accounts[0]).not.toHaveProperty("publicKey");
    else expect(accounts[0]).toHaveProperty("publicKey");
  });

  it("refusals: a gRPC code and typed details; sparse reorders them and rewords the message", async () => {
    const email = `refusal-shape-${variant}@example.com`;
    const init = await stack
      .client()
      .initOtp({ otpType: "OTP_TYPE_EMAIL", contact: email, appName: "Demo", otpLength: 6, alphanumeric: false });
    const right = await stack.latestCode(email);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    const bundle = await encryptOtpCodeToBundle(
      wrong,
      init.otpEncryptionTargetBundle,
      generateP256KeyPair().publicKey,
      stack.keys.otpSignerPublicKey,
    );
    const error = (await stack
      .client()
      .verifyOtp({ otpId: init.otpId, encryptedOtpBundle: bundle })
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as { name: string; code: number; message: string; details: { "@type": string }[] } | undefined;
    expect(error?.name).toBe("TurnkeyRequestError");
    expect(error!.code).toBe(GRPC.UNAUTHENTICATED);
    expect(error!.details.map((d) => d["@type"])).toEqual(
      variant === "sparse"
        ? [UNKNOWN_DETAIL_TYPE, ERROR_INFO_TYPE, TURNKEY_ERROR_DETAIL_TYPE]
        : [TURNKEY_ERROR_DETAIL_TYPE, ERROR_INFO_TYPE],
    );
    if (variant === "sparse") expect(error!.message).not.toContain("The code is not correct");
    else expect(error!.message).toContain("The code is not correct");
  });
});
