// getIdentity() reads the session cookie itself instead of through `auth()`. These tests hold
// that reader to Auth.js's own format: tokens made by Auth.js's `encode` (the function that
// writes the cookie at sign-in) must decode to the same claims, and everything Auth.js's
// `decode` refuses must be refused here too.
import { encode } from "@auth/core/jwt";
import { EncryptJWT } from "jose";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, sessionCookieName, sessionEndsAt, sessionIsLive, sessionTokenFromCookies } from "./session-token";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const NAME = "authjs.session-token";
const claims = {
  sub: "user-1",
  signedInAt: 1_700_000_000,
  identity: { provider: "password", subject: "s", email: "a@example.com", emailVerified: true, name: null, userId: "user-1" },
};

describe("decodeSessionToken", () => {
  it("decodes a cookie written by Auth.js's own encode to the same claims", async () => {
    const token = await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: 3600 });
    await expect(decodeSessionToken(token, SECRET, NAME)).resolves.toMatchObject(claims);
    // Twice: the second read uses the derived key kept from the first.
    await expect(decodeSessionToken(token, SECRET, NAME)).resolves.toMatchObject(claims);
  });

  it("decodes the secure cookie's tokens with their own salt", async () => {
    const secureName = sessionCookieName("https://app.example");
    const token = await encode({ token: claims, secret: SECRET, salt: secureName, maxAge: 3600 });
    await expect(decodeSessionToken(token, SECRET, secureName)).resolves.toMatchObject(claims);
    await expect(decodeSessionToken(token, SECRET, NAME)).rejects.toThrow();
  });

  it.each([
    ["another secret", async () => encode({ token: claims, secret: `${SECRET}-other`, salt: NAME, maxAge: 3600 })],
    ["another cookie name (salt)", async () => encode({ token: claims, secret: SECRET, salt: "other", maxAge: 3600 })],
    ["an expired cookie (past Auth.js's 15 s tolerance)", async () => encode({ token: claims, secret: SECRET, salt: NAME, maxAge: -16 })],
    [
      "a tampered ciphertext",
      async () => {
        const parts = (await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: 3600 })).split(".");
        parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith("A") ? "B" : "A"}A`;
        return parts.join(".");
      },
    ],
    [
      "a kid that is not this key's thumbprint",
      async () => {
        const key = new Uint8Array(64);
        return new EncryptJWT(claims)
          .setProtectedHeader({ alg: "dir", enc: "A256CBC-HS512", kid: "someone-else" })
          .setExpirationTime("1h")
          .encrypt(key);
      },
    ],
    ["a signed, not encrypted, token", async () => "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ."],
  ])("refuses %s", async (_case, make) => {
    const cached = await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: 3600 });
    await decodeSessionToken(cached, SECRET, NAME); // the right key is derived and kept first
    await expect(decodeSessionToken(await make(), SECRET, NAME)).rejects.toThrow();
  });

  it("accepts a cookie expired by less than Auth.js's 15 s tolerance, as Auth.js does", async () => {
    const token = await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: -5 });
    await expect(decodeSessionToken(token, SECRET, NAME)).resolves.toMatchObject({ sub: "user-1" });
  });
});

describe("sessionTokenFromCookies", () => {
  it("reads the single cookie and ignores others", () => {
    expect(
      sessionTokenFromCookies(
        [
          { name: "authjs.csrf-token", value: "x" },
          { name: NAME, value: "abc" },
        ],
        NAME,
      ),
    ).toBe("abc");
  });

  it("joins chunks in numeric order (Auth.js splits cookies over 4 kB)", () => {
    const chunks = [2, 10, 0, 1].map((i) => ({ name: `${NAME}.${i}`, value: `<${i}>` }));
    expect(sessionTokenFromCookies(chunks, NAME)).toBe("<0><1><2><10>");
  });

  it("is null without a session cookie, or with an empty one", () => {
    expect(sessionTokenFromCookies([{ name: "other", value: "x" }], NAME)).toBeNull();
    expect(sessionTokenFromCookies([{ name: NAME, value: "" }], NAME)).toBeNull();
  });

  it("names the cookie as Auth.js does", () => {
    expect(sessionCookieName("http://localhost:3000")).toBe("authjs.session-token");
    expect(sessionCookieName("https://app.example")).toBe("__Secure-authjs.session-token");
  });
});

describe("session lifetime, counted from sign-in", () => {
  const maxAge = 3600;
  it.each([
    ["just signed in", 1_700_000_000, 1_700_000_000_000, true],
    ["at the last second", 1_700_000_000, (1_700_000_000 + maxAge) * 1000, true],
    ["one second past", 1_700_000_000, (1_700_000_000 + maxAge + 1) * 1000, false],
    ["no sign-in time", undefined, 1_700_000_000_000, false],
  ])("%s", (_case, signedInAt, now, live) => {
    expect(sessionIsLive({ signedInAt }, maxAge, now)).toBe(live);
  });

  it("ends at sign-in plus the lifetime", () => {
    expect(sessionEndsAt({ signedInAt: 100 }, maxAge)).toBe(100 + maxAge);
  });
});
