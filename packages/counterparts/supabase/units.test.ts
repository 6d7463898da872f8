import { describe, expect, it } from "vitest";
import { AuthFailure, negotiateApiVersion } from "./errors";
import { checkNewPassword, hashPassword, verifyPassword } from "./passwords";

describe("negotiateApiVersion", () => {
  it.each([
    ["2024-01-01", "2024-01-01"],
    ["2025-06-30", "2024-01-01"],
    ["2023-12-31", undefined],
    ["2024-02-30", undefined],
    ["2024-1-01", undefined],
    ["2024-01-01, 2024-01-01", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s → %s", (header, expected) => {
    expect(negotiateApiVersion(header)).toBe(expected);
  });
});

describe("passwords", () => {
  it("hashes with a fresh salt and verifies only the right password", async () => {
    const first = await hashPassword("correct horse");
    const second = await hashPassword("correct horse");
    expect(first).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword("correct horse", first)).toBe(true);
    expect(await verifyPassword("correct hors", first)).toBe(false);
    // Composed and decomposed accents are the same password.
    expect(await verifyPassword("caf\u0065\u0301 au lait", await hashPassword("caf\u00e9 au lait"))).toBe(true);
  });

  it("never matches malformed or out-of-bounds stored hashes", async () => {
    const stored = await hashPassword("secret-password");
    expect(await verifyPassword("secret-password", "plain")).toBe(false);
    expect(await verifyPassword("secret-password", stored.replace("ln=15", "ln=30"))).toBe(false);
    expect(await verifyPassword("secret-password", stored.replace("r=8", "r=99"))).toBe(false);
    expect(await verifyPassword("secret-password", stored.slice(0, -8))).toBe(false);
  });

  it("applies GoTrue's policy in GoTrue's order", () => {
    const failure = (password: string | undefined) => {
      try {
        checkNewPassword(password);
        return undefined;
      } catch (error) {
        if (!(error instanceof AuthFailure)) throw error;
        return { status: error.status, code: error.code, message: error.message, reasons: error.options.weakPasswordReasons };
      }
    };
    expect(failure("")).toMatchObject({ status: 400, code: "validation_failed", message: "Signup requires a valid password" });
    expect(failure("12345")).toEqual({
      status: 422,
      code: "weak_password",
      message: "Password should be at least 6 characters.",
      reasons: ["length"],
    });
    // Length counts bytes, as Go's len() does: two 3-byte characters pass the 6 minimum.
    expect(failure("€€")).toBeUndefined();
    expect(failure("x".repeat(72))).toBeUndefined();
    expect(failure("x".repeat(73))).toMatchObject({ status: 400, code: "validation_failed" });
  });
});
