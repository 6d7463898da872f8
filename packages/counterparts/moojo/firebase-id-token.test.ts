import { randomBytes } from "node:crypto";
import { SignJWT, generateKeyPair, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FirebaseIdTokenError,
  createFirebaseIdTokenVerifier,
  type FirebaseIdTokenErrorCode,
  type FirebaseIdTokenVerifier,
  type FirebaseIdTokenVerifierOptions,
} from "./firebase-id-token";
import {
  base64urlJson,
  createRsaKey,
  firebaseClaims,
  signIdToken,
  startJwksServer,
  swapPayload,
  tamperSignature,
  unsignedIdToken,
  type JwksServer,
  type SigningKey,
} from "./test-support";

/** A real-looking (non-demo) project: the production configuration. */
const PROJECT = "byo-auth-prod";
/** A demo project, the only kind for which emulator tokens can be enabled. */
const DEMO = "demo-byo-auth";
/** Frozen clock: 2030-03-17T17:46:40Z. */
const T = 1_900_000_000;
const now = () => new Date(T * 1000);
const UID = "Xc9fQ2mZkLr8TnVb3hWp1sYd7Ga2";

let google: SigningKey & { publicJwk: object };
let stranger: SigningKey;
let jwks: JwksServer;
let deadJwksUrl: string;
let production: FirebaseIdTokenVerifier;
let withEmulator: FirebaseIdTokenVerifier;
let jwksDown: FirebaseIdTokenVerifier;

const claims = (overrides: JWTPayload = {}) => firebaseClaims(PROJECT, UID, T, overrides);
const demoClaims = (overrides: JWTPayload = {}) => firebaseClaims(DEMO, UID, T, overrides);

async function rejection(promise: Promise<unknown>): Promise<FirebaseIdTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FirebaseIdTokenError);
  return error as FirebaseIdTokenError;
}

beforeAll(async () => {
  [google, stranger] = await Promise.all([createRsaKey(), createRsaKey()]);
  jwks = await startJwksServer([google.publicJwk]);
  const dead = await startJwksServer([]);
  deadJwksUrl = dead.url;
  await dead.close();
  production = createFirebaseIdTokenVerifier({ projectId: PROJECT, jwksUrl: jwks.url, now });
  withEmulator = createFirebaseIdTokenVerifier({ projectId: DEMO, jwksUrl: jwks.url, emulatorHost: "127.0.0.1:9099", now });
  jwksDown = createFirebaseIdTokenVerifier({ projectId: PROJECT, jwksUrl: deadJwksUrl, jwksTimeoutMs: 1_000, now });
});

afterAll(async () => {
  await jwks.close();
});

describe("Firebase ID token: accepted", () => {
  it("an RS256 token signed with a key of the securetoken JWKS", async () => {
    const verified = await production.verify(await signIdToken(google, claims()));
    expect(verified).toEqual({
      uid: UID,
      email: `${UID.toLowerCase()}@example.com`,
      emailVerified: true,
      signInProvider: "password",
      authTime: new Date((T - 70) * 1000),
      fromEmulator: false,
    });
  });

  it.each<[string, () => Promise<string>]>([
    ["expired within the clock tolerance", () => signIdToken(google, claims({ iat: T - 3603, exp: T - 3 }))],
    ["iat and auth_time ahead within the tolerance", () => signIdToken(google, claims({ iat: T + 3, auth_time: T + 3, exp: T + 3603 }))],
    ["a 128-character uid", () => signIdToken(google, claims({ sub: "u".repeat(128) }))],
    ["no email (e.g. phone sign-in)", () => signIdToken(google, claims({ email: undefined, email_verified: undefined }))],
  ])("%s", async (_label, token) => {
    await expect(production.verify(await token())).resolves.toMatchObject({ fromEmulator: false });
  });

  it("with the emulator configured: an unsigned emulator token, and still signed ones", async () => {
    await expect(withEmulator.verify(unsignedIdToken(demoClaims()))).resolves.toMatchObject({ uid: UID, fromEmulator: true });
    await expect(withEmulator.verify(await signIdToken(google, demoClaims()))).resolves.toMatchObject({ fromEmulator: false });
    expect(withEmulator.acceptsEmulatorTokens).toBe(true);
    expect(production.acceptsEmulatorTokens).toBe(false);
  });
});

describe("Firebase ID token: rejected, each with its code", () => {
  const hmacSecret = randomBytes(32);
  it.each<[string, FirebaseIdTokenErrorCode, () => Promise<string> | string, ("production" | "emulator" | "jwks down")?]>([
    ["not a JWS", "token_malformed", () => "not-a-token"],
    ["header is not JSON", "token_malformed", () => `${Buffer.from("{oops").toString("base64url")}.${base64urlJson(claims())}.c2ln`],
    ["unsigned (alg none) without the emulator configured", "unsigned_token_rejected", () => unsignedIdToken(claims())],
    ["unsigned for a demo project, emulator not configured", "unsigned_token_rejected", () => unsignedIdToken(demoClaims())],
    ["alg NONE (case variant)", "alg_not_allowed", () => `${base64urlJson({ alg: "NONE", typ: "JWT" })}.${base64urlJson(claims())}.`],
    [
      "HS256 keyed with a secret",
      "alg_not_allowed",
      () => new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: google.kid, typ: "JWT" }).sign(hmacSecret),
    ],
    [
      "ES256",
      "alg_not_allowed",
      async () => {
        const { privateKey } = await generateKeyPair("ES256");
        return new SignJWT(claims()).setProtectedHeader({ alg: "ES256", kid: google.kid }).sign(privateKey);
      },
    ],
    ["RS256 without kid", "token_malformed", () => signIdToken(google, claims(), { kid: undefined })],
    ["unknown kid", "kid_unknown", () => signIdToken(stranger, claims())],
    ["signed by another key under Google's kid", "signature_invalid", () => signIdToken({ ...stranger, kid: google.kid }, claims())],
    ["tampered signature", "signature_invalid", async () => tamperSignature(await signIdToken(google, claims()))],
    [
      "claims swapped under a valid signature",
      "signature_invalid",
      async () => swapPayload(await signIdToken(google, claims()), claims({ sub: "attacker" })),
    ],
    ["aud of another project", "aud_invalid", () => signIdToken(google, claims({ aud: "some-other-project" }))],
    ["aud as an array", "aud_invalid", () => signIdToken(google, claims({ aud: [PROJECT] }))],
    ["iss of another project", "iss_invalid", () => signIdToken(google, claims({ iss: "https://securetoken.google.com/other-project" }))],
    ["iss of Google accounts (not securetoken)", "iss_invalid", () => signIdToken(google, claims({ iss: "https://accounts.google.com" }))],
    ["expired", "token_expired", () => signIdToken(google, claims({ iat: T - 3700, exp: T - 100 }))],
    ["iat in the future", "iat_invalid", () => signIdToken(google, claims({ iat: T + 600, exp: T + 4200 }))],
    ["auth_time in the future", "auth_time_invalid", () => signIdToken(google, claims({ auth_time: T + 600 }))],
    ["auth_time missing", "auth_time_invalid", () => signIdToken(google, claims({ auth_time: undefined }))],
    ["sub empty", "sub_invalid", () => signIdToken(google, claims({ sub: "" }))],
    ["sub longer than 128", "sub_invalid", () => signIdToken(google, claims({ sub: "u".repeat(129) }))],
    ["sub not a string", "sub_invalid", () => signIdToken(google, claims({ sub: 42 as unknown as string }))],
    ["exp missing", "token_malformed", () => signIdToken(google, claims({ exp: undefined }))],
    ["exp not after iat", "token_malformed", () => signIdToken(google, claims({ iat: T - 10, exp: T - 10 }))],
    ["JWKS unreachable", "jwks_unreachable", () => signIdToken(google, claims()), "jwks down"],
    // The emulator path runs the very same claim checks.
    ["emulator: unsigned token with a signature part", "token_malformed", () => unsignedIdToken(demoClaims(), "c2ln"), "emulator"],
    ["emulator: unsigned token for another project", "aud_invalid", () => unsignedIdToken(demoClaims({ aud: "demo-other" })), "emulator"],
    [
      "emulator: unsigned token with a foreign iss",
      "iss_invalid",
      () => unsignedIdToken(demoClaims({ iss: "https://evil.example" })),
      "emulator",
    ],
    ["emulator: expired unsigned token", "token_expired", () => unsignedIdToken(demoClaims({ iat: T - 3700, exp: T - 100 })), "emulator"],
    ["emulator: unsigned token without sub", "sub_invalid", () => unsignedIdToken(demoClaims({ sub: undefined })), "emulator"],
    ["emulator: payload is an array", "token_malformed", () => `${base64urlJson({ alg: "none" })}.${base64urlJson([1])}.`, "emulator"],
  ])("%s → %s", async (_label, code, makeToken, which = "production") => {
    const verifier = which === "emulator" ? withEmulator : which === "jwks down" ? jwksDown : production;
    expect((await rejection(verifier.verify(await makeToken()))).code).toBe(code);
  });

  it("rejects oversized input without parsing it", async () => {
    const huge = `${"a".repeat(20_000)}.b.c`;
    expect((await rejection(production.verify(huge))).code).toBe("token_malformed");
  });
});

describe("securetoken JWKS handling", () => {
  it("fetches the JWKS once and serves later tokens from the cache; junk never triggers a fetch", async () => {
    const server = await startJwksServer([google.publicJwk]);
    try {
      const v = createFirebaseIdTokenVerifier({ projectId: PROJECT, jwksUrl: server.url, now });
      await rejection(v.verify(unsignedIdToken(claims())));
      await rejection(v.verify(await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: google.kid }).sign(randomBytes(32))));
      expect(server.requests).toBe(0);
      for (let i = 0; i < 5; i++) await v.verify(await signIdToken(google, claims()));
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("refetches on an unknown kid (Google rotates keys) at most once per cooldown", async () => {
    const server = await startJwksServer([google.publicJwk]);
    const cooldownMs = 300;
    try {
      const v = createFirebaseIdTokenVerifier({ projectId: PROJECT, jwksUrl: server.url, jwksCooldownMs: cooldownMs, now });
      await v.verify(await signIdToken(google, claims()));
      expect(server.requests).toBe(1);

      // Keys and tokens are made up front: RSA key generation can outlast the cooldown.
      const [rotated, ...unknown] = await Promise.all([createRsaKey(), createRsaKey(), createRsaKey(), createRsaKey()]);
      if (!rotated) throw new Error("no key");
      const tokens = await Promise.all(unknown.map((key) => signIdToken(key, claims())));
      const rotatedToken = await signIdToken(rotated, claims());
      server.keys.push(rotated.publicJwk);
      await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
      await expect(v.verify(rotatedToken)).resolves.toMatchObject({ uid: UID });
      expect(server.requests).toBe(2);

      // A burst of unknown kids right after: rejected without further fetches.
      const errors = await Promise.all(tokens.map((token) => rejection(v.verify(token))));
      expect(errors.map((error) => error.code)).toEqual(["kid_unknown", "kid_unknown", "kid_unknown"]);
      expect(server.requests).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe("verifier configuration", () => {
  it.each<[string, FirebaseIdTokenVerifierOptions, RegExp]>([
    [
      "emulator tokens for a non-demo project (a production project can never accept unsigned tokens)",
      { projectId: PROJECT, emulatorHost: "127.0.0.1:9099" },
      /demo-/,
    ],
    ["emulatorHost that is not host:port", { projectId: DEMO, emulatorHost: "http://127.0.0.1:9099/" }, /host:port/],
    ["a malformed project id", { projectId: "Not A Project" }, /project id/],
    ["a non-http JWKS URL", { projectId: PROJECT, jwksUrl: "file:///etc/passwd" }, /http/],
  ])("refuses %s", (_label, options, message) => {
    expect(() => createFirebaseIdTokenVerifier(options)).toThrow(message);
  });
});
