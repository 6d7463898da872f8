import { describe, expect, it } from "vitest";
import { newestVerificationCode } from "./demo-verification";

// The shape the Firebase Auth Emulator answers GET /emulator/v1/projects/{project}/oobCodes with.
const answer = {
  oobCodes: [
    {
      email: "ada@example.com",
      oobCode: "old-verify",
      oobLink: "http://127.0.0.1/emulator/action?mode=verifyEmail",
      requestType: "VERIFY_EMAIL",
    },
    {
      email: "ada@example.com",
      oobCode: "reset",
      oobLink: "http://127.0.0.1/emulator/action?mode=resetPassword",
      requestType: "PASSWORD_RESET",
    },
    { email: "grace@example.com", oobCode: "someone-else", oobLink: "http://127.0.0.1/", requestType: "VERIFY_EMAIL" },
    {
      email: "Ada@Example.com",
      oobCode: "new-verify",
      oobLink: "http://127.0.0.1/emulator/action?mode=verifyEmail",
      requestType: "VERIFY_EMAIL",
    },
  ],
};

describe("newestVerificationCode", () => {
  it("returns the newest email-verification code for this address only", () => {
    expect(newestVerificationCode(answer, "ada@example.com")).toBe("new-verify");
    expect(newestVerificationCode(answer, "grace@example.com")).toBe("someone-else");
  });
  it("never returns a password-reset code or another address's code", () => {
    expect(newestVerificationCode({ oobCodes: [answer.oobCodes[1], answer.oobCodes[2]] }, "ada@example.com")).toBeNull();
  });
  it("answers null for an empty or unexpected answer", () => {
    expect(newestVerificationCode({}, "ada@example.com")).toBeNull();
    expect(newestVerificationCode({ oobCodes: "nope" }, "ada@example.com")).toBeNull();
    expect(newestVerificationCode(null, "ada@example.com")).toBeNull();
  });
});
