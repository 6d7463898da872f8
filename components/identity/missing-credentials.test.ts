import { describe, expect, it } from "vitest";
import { missingCredentials } from "./missing-credentials";

describe("missingCredentials", () => {
  it("names the first empty field", () => {
    expect(missingCredentials("", "")).toBe("Enter your email.");
    expect(missingCredentials("  ", "a password")).toBe("Enter your email.");
    expect(missingCredentials("ada@example.com", "")).toBe("Enter your password.");
  });
  it("passes a filled form, and a form without a password field", () => {
    expect(missingCredentials("ada@example.com", "a password")).toBeNull();
    expect(missingCredentials("ada@example.com", null)).toBeNull();
  });
});
