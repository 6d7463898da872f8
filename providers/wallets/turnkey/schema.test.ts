// The app's Turnkey parsers against the documentation's own examples (fixtures/README.md), and
// refusals read by contract: code and typed details, wherever they stand, never the message.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TurnkeyRequestError } from "@turnkey/http";
import { describe, expect, it } from "vitest";
import { attestationSchema, explainOtpRefusal } from "./index";
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
  type TurnkeyFailure,
} from "./schema";

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8"));

/**
 * The result object an activity example documents under `<resultKey>` (the API reference nests
 * it as `activity.result.activity.result.<resultKey>`; the wire has `activity.result.<resultKey>`,
 * which @turnkey/sdk-server spreads into its return value): found wherever the example puts it.
 */
function documentedResult(example: unknown, resultKey: string): unknown {
  if (typeof example !== "object" || example === null) return undefined;
  if (resultKey in example) return (example as Record<string, unknown>)[resultKey];
  for (const value of Object.values(example)) {
    const found = documentedResult(value, resultKey);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe("the documentation's request examples", () => {
  it("a passkey the app forwards to create_sub_organization has exactly the documented authenticator members", () => {
    const request = fixture("create-sub-organization.request.json") as {
      parameters: {
        rootUsers: { authenticators: { authenticatorName: string; challenge: string; attestation: Record<string, unknown> }[] }[];
      };
    };
    const documented = request.parameters.rootUsers[0]!.authenticators[0]!;
    expect(Object.keys(documented).sort()).toEqual(["attestation", "authenticatorName", "challenge"]);
    expect(Object.keys(attestationSchema.shape).sort()).toEqual(Object.keys(documented.attestation).sort());
  });
});

describe("the documentation's response examples parse with the app's schemas", () => {
  it.each([
    ["init-otp.response.json", "initOtpResultV2", initOtpResultSchema],
    ["verify-otp.response.json", "verifyOtpResult", verifyOtpResultSchema],
    ["otp-login.response.json", "otpLoginResult", loginResultSchema],
    ["oauth-login.response.json", "oauthLoginResult", loginResultSchema],
    ["stamp-login.response.json", "stampLoginResult", loginResultSchema],
    ["create-sub-organization.response.json", "createSubOrganizationResultV8", createSubOrganizationResultSchema],
  ] as const)("activity %s (%s)", (file, resultKey, schema) => {
    const result = documentedResult(fixture(file), resultKey);
    expect(result).toBeDefined();
    expect(schema.safeParse(result).success).toBe(true);
  });

  it.each([
    ["get-sub-org-ids.response.json", subOrgIdsResponseSchema],
    ["list-wallets.response.json", walletsResponseSchema],
    ["list-wallet-accounts.response.json", walletAccountsResponseSchema],
    ["whoami.response.json", whoamiResponseSchema],
  ] as const)("query %s", (file, schema) => {
    expect(schema.safeParse(fixture(file)).success).toBe(true);
  });
});

describe("readTurnkeyFailure", () => {
  it("the errors page's example: gRPC code and Turnkey's own detail", () => {
    expect(readTurnkeyFailure(fixture("error.turnkey-error-detail.json"))).toEqual({
      grpcCode: 3,
      turnkeyErrorCode: "ORGANIZATION_MISMATCH",
    });
  });

  it("reads what @turnkey/http's TurnkeyRequestError carries (as sdk-server throws it), not its message", () => {
    const thrown = new TurnkeyRequestError(fixture("error.turnkey-error-detail.json") as never);
    expect(thrown.message).toMatch(/^Turnkey error 3: organization mismatch/);
    expect(readTurnkeyFailure(thrown)).toEqual({ grpcCode: 3, turnkeyErrorCode: "ORGANIZATION_MISMATCH" });
    expect(readTurnkeyFailure(new TurnkeyRequestError(fixture("error.bad-request.json") as never))).toEqual({ grpcCode: 1 });
    expect(readTurnkeyFailure(new TurnkeyRequestError(fixture("error.no-details.json") as never))).toEqual({ grpcCode: 16 });
  });

  it("finds typed details wherever they stand, skips unknown ones, takes the count as a number or a decimal string", () => {
    const details = [
      { "@type": "type.googleapis.com/some.v9.Unknown", attempts: "many" },
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "r", domain: "d", metadata: { attemptsRemaining: "1" } },
      { "@type": "type.googleapis.com/errors.v1.TurnkeyErrorDetail", turnkeyErrorCode: "UNAUTHENTICATED" },
    ];
    expect(readTurnkeyFailure({ code: 16, message: "whatever", details })).toEqual({
      grpcCode: 16,
      turnkeyErrorCode: "UNAUTHENTICATED",
      attemptsRemaining: 1,
    });
    expect(readTurnkeyFailure({ code: 16, details: [{ "@type": "x", attemptsRemaining: 2 }] })).toEqual({
      grpcCode: 16,
      attemptsRemaining: 2,
    });
  });

  it("drops what is not a small count or a code-shaped category", () => {
    expect(
      readTurnkeyFailure({
        code: 16,
        details: [
          { metadata: { attemptsRemaining: "<script>" } },
          { attemptsRemaining: 10_000 },
          { "@type": "type.googleapis.com/errors.v1.TurnkeyErrorDetail", turnkeyErrorCode: "not a code" },
        ],
      }),
    ).toEqual({ grpcCode: 16 });
  });

  it("anything without a numeric gRPC code is not a Turnkey refusal", () => {
    expect(readTurnkeyFailure(new TypeError("fetch failed"))).toBeUndefined();
    expect(readTurnkeyFailure(new Error("502 Bad Gateway"))).toBeUndefined();
    expect(readTurnkeyFailure({ code: "16" })).toBeUndefined();
  });
});

describe("explainOtpRefusal maps by contract", () => {
  type Case = [name: string, failure: TurnkeyFailure, code: string | undefined, message?: string];
  const cases: Case[] = [
    [
      "wrong code with the count",
      { grpcCode: 16, attemptsRemaining: 2 },
      "otp_invalid",
      "That code is not right. Check the latest email, or send a new code. 2 attempts left.",
    ],
    [
      "wrong code, last one",
      { grpcCode: 16, attemptsRemaining: 1 },
      "otp_invalid",
      "That code is not right. Check the latest email, or send a new code. 1 attempt left.",
    ],
    ["wrong code without a count", { grpcCode: 16 }, "otp_invalid", "That code is not right. Check the latest email, or send a new code."],
    [
      "wrong code, named only by its category (no gRPC status it knows)",
      { grpcCode: 2, turnkeyErrorCode: "UNAUTHENTICATED" },
      "otp_invalid",
      "That code is not right. Check the latest email, or send a new code.",
    ],
    ["attempts used up", { grpcCode: 8 }, "otp_attempts_exceeded"],
    ["expired or used", { grpcCode: 9 }, "otp_expired"],
    ["unknown code id", { grpcCode: 5 }, "otp_expired"],
    ["a refusal the person cannot act on", { grpcCode: 3, turnkeyErrorCode: "REQUEST_INVALID" }, undefined],
  ];
  it.each(cases)("%s", (_name, failure, code, message) => {
    const explained = explainOtpRefusal(failure);
    expect(explained?.code).toBe(code);
    if (message !== undefined) expect(explained?.message).toBe(message);
  });

  it("two refusals with the same contract and different wording map alike; the same wording with another code does not", () => {
    const details = [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "x", domain: "d", metadata: { attemptsRemaining: "2" } },
    ];
    const english = explainOtpRefusal(readTurnkeyFailure({ code: 16, message: "Invalid OTP code", details })!);
    const reworded = explainOtpRefusal(readTurnkeyFailure({ code: 16, message: "Le code saisi est erroné", details })!);
    expect(english).toMatchObject({
      code: "otp_invalid",
      message: "That code is not right. Check the latest email, or send a new code. 2 attempts left.",
    });
    expect(reworded).toMatchObject({ code: english!.code, message: english!.message });
    expect(explainOtpRefusal(readTurnkeyFailure({ code: 9, message: "Invalid OTP code", details })!)).toMatchObject({
      code: "otp_expired",
    });
  });
});
