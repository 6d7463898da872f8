import { describe, expect, it } from "vitest";
import { openUserToken, sealUserToken } from "./token-box";

const SECRET = "a-test-auth-secret-of-at-least-32-characters";
const TOKEN = "6c0350a00925b9bbd3408a4e382c2790aa92accff189e7735fdf2a3d4dc67b08";

describe("Moojo user token at rest", () => {
  it("opens for the same user and secret, and never contains the token", () => {
    const sealed = sealUserToken(TOKEN, "usr_a", SECRET);
    expect(sealed).not.toContain(TOKEN);
    expect(openUserToken(sealed, "usr_a", SECRET)).toBe(TOKEN);
    expect(sealUserToken(TOKEN, "usr_a", SECRET)).not.toBe(sealed);
  });

  it.each<[string, (sealed: string) => string | null]>([
    ["another user's row", (sealed) => openUserToken(sealed, "usr_b", SECRET)],
    ["another secret (rotated AUTH_SECRET)", (sealed) => openUserToken(sealed, "usr_a", `${SECRET}!`)],
    [
      "a flipped byte",
      // The second-to-last character, always changed (testing the one it replaces, not the last).
      (sealed) => openUserToken(`${sealed.slice(0, -2)}${sealed.at(-2) === "A" ? "B" : "A"}${sealed.slice(-1)}`, "usr_a", SECRET),
    ],
    ["another version", (sealed) => openUserToken(sealed.replace(/^v1\./, "v2."), "usr_a", SECRET)],
    ["garbage", () => openUserToken("garbage", "usr_a", SECRET)],
  ])("does not open for %s", (_label, open) => {
    expect(open(sealUserToken(TOKEN, "usr_a", SECRET))).toBeNull();
  });
});
