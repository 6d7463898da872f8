import { describe, expect, it } from "vitest";
import { maskEmail, WRONG_CODE, wrongCode } from "./wording";

describe("maskEmail", () => {
  it.each([
    ["ada@example.com", "a•••@example.com"],
    ["a@example.com", "a•••@example.com"],
    // AIR Kit's own mask ends up in the same form as an address the app masks itself.
    ["a***@example.com", "a•••@example.com"],
    ["a•••@example.com", "a•••@example.com"],
    ["odd", "•••"],
    ["@example.com", "•••"],
  ])("%s → %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});

describe("wrongCode", () => {
  it("is one sentence that says what to do next, with the attempts left when known", () => {
    expect(wrongCode()).toBe("That code is not right. Check the latest email, or send a new code.");
    expect(wrongCode(2)).toBe(`${WRONG_CODE} 2 attempts left.`);
    expect(wrongCode(1)).toBe(`${WRONG_CODE} 1 attempt left.`);
  });
});
