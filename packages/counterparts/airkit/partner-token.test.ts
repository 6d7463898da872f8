import { SignJWT, exportSPKI, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PartnerTokenError, createPartnerTokenVerifier, type PartnerTokenErrorCode, type PartnerTokenVerifier } from "./partner-token";
import {
  base64urlJson,
  createTestSigningKey,
  signTestToken,
  startJwksServer,
  type JwksServer,
  type TestSigningKey,
} from "../lib/test-signing";

const PARTNER = "partner-a";
/** Frozen clock: 2030-03-17T17:46:40Z. */
const T = 1_900_000_000;
const now = () => new Date(T * 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { partnerId: PARTNER, email: "Jane.Doe@Example.com", partnerUserId: "usr_1", iat: T - 10, exp: T + 290, ...overrides };
}

function without(payload: JWTPayload, member: string): JWTPayload {
  const copy: Record<string, unknown> = { ...payload };
  delete copy[member];
  return copy as JWTPayload;
}

function tamperSignature(token: string): string {
  const [header, payload, signature = ""] = token.split(".");
  const middle = Math.floor(signature.length / 2);
  const flipped = signature[middle] === "A" ? "B" : "A";
  return `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
}

async function rejection(promise: Promise<unknown>): Promise<PartnerTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartnerTokenError);
  return error as PartnerTokenError;
}

let es: TestSigningKey;
let rs: TestSigningKey;
let stranger: TestSigningKey;
let jwks: JwksServer;
let deadJwksUrl: string;
let verifier: PartnerTokenVerifier;

beforeAll(async () => {
  [es, rs, stranger] = await Promise.all([createTestSigningKey("ES256"), createTestSigningKey("RS256"), createTestSigningKey("ES256")]);
  jwks = await startJwksServer([es.publicJwk, rs.publicJwk]);
  const dead = await startJwksServer([]);
  deadJwksUrl = dead.url;
  await dead.close();
  verifier = createPartnerTokenVerifier({
    partners: [
      { partnerId: PARTNER, jwksUrl: jwks.url },
      { partnerId: "partner-down", jwksUrl: deadJwksUrl },
    ],
    now,
  });
});

afterAll(async () => {
  await jwks.close();
});

describe("partner token: accepted", () => {
  it.each([
    ["ES256", () => signTestToken({ key: es, claims: claims() })],
    ["RS256", () => signTestToken({ key: rs, claims: claims() })],
    ['typ "jwt" (case-insensitive)', () => signTestToken({ key: es, claims: claims(), header: { typ: "jwt" } })],
    ['typ "application/JWT"', () => signTestToken({ key: es, claims: claims(), header: { typ: "application/JWT" } })],
    ["expired within clock tolerance", () => signTestToken({ key: es, claims: claims({ iat: T - 300, exp: T - 20 }) })],
    ["iat ahead within tolerance", () => signTestToken({ key: es, claims: claims({ iat: T + 20, exp: T + 300 }) })],
    ["exactly 15 minutes", () => signTestToken({ key: rs, claims: claims({ iat: T - 10, exp: T + 890 }) })],
    ["without partnerUserId", () => signTestToken({ key: es, claims: without(claims(), "partnerUserId") })],
  ])("%s", async (_name, makeToken) => {
    const result = await verifier.verify(PARTNER, await makeToken());
    expect(result.email).toBe("jane.doe@example.com");
    expect(result.claims.partnerId).toBe(PARTNER);
  });

  it("returns partnerUserId when present", async () => {
    const result = await verifier.verify(PARTNER, await signTestToken({ key: es, claims: claims() }));
    expect(result.partnerUserId).toBe("usr_1");
  });
});

describe("partner token: rejected", () => {
  type Case = [name: string, makeToken: () => Promise<string>, code: PartnerTokenErrorCode, partnerId?: string];
  const cases: Case[] = [
    ["not a JWS", async () => "not-a-token", "token_malformed"],
    ["five segments (JWE shape)", async () => "a.b.c.d.e", "token_malformed"],
    ["undecodable header", async () => "!!!.e30.sig", "token_malformed"],
    ["header not JSON", async () => `${Buffer.from("nope").toString("base64url")}.e30.c2ln`, "token_malformed"],
    ["alg none", async () => `${base64urlJson({ alg: "none", typ: "JWT", kid: es.kid })}.${base64urlJson(claims())}.`, "alg_not_allowed"],
    [
      "HS256 keyed with the RSA public key PEM",
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: rs.kid })
          .sign(new TextEncoder().encode(await exportSPKI(rs.publicKey))),
      "alg_not_allowed",
    ],
    [
      "HS256 keyed with the EC public JWK bytes",
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: es.kid })
          .sign(new TextEncoder().encode(JSON.stringify(es.publicJwk))),
      "alg_not_allowed",
    ],
    ["ES384", async () => `${base64urlJson({ alg: "ES384", typ: "JWT", kid: es.kid })}.${base64urlJson(claims())}.c2ln`, "alg_not_allowed"],
    ["missing kid", () => signTestToken({ key: es, claims: claims(), header: { kid: undefined } }), "kid_missing"],
    ["missing typ", () => signTestToken({ key: es, claims: claims(), header: { typ: undefined } }), "typ_missing"],
    ["typ at+jwt", () => signTestToken({ key: es, claims: claims(), header: { typ: "at+jwt" } }), "typ_invalid"],
    ["unknown kid", () => signTestToken({ key: stranger, claims: claims() }), "kid_unknown"],
    ["kid of another key", () => signTestToken({ key: stranger, claims: claims(), header: { kid: es.kid } }), "signature_invalid"],
    ["tampered signature", async () => tamperSignature(await signTestToken({ key: es, claims: claims() })), "signature_invalid"],
    [
      "tampered payload",
      async () => {
        const [header, , signature] = (await signTestToken({ key: rs, claims: claims() })).split(".");
        return `${header}.${base64urlJson(claims({ email: "attacker@example.com" }))}.${signature}`;
      },
      "signature_invalid",
    ],
    ["expired", () => signTestToken({ key: es, claims: claims({ iat: T - 600, exp: T - 60 }) }), "token_expired"],
    ["nbf in the future", () => signTestToken({ key: es, claims: claims({ nbf: T + 120 }) }), "token_not_yet_valid"],
    ["missing iat", () => signTestToken({ key: es, claims: without(claims(), "iat") }), "iat_missing"],
    ["missing exp", () => signTestToken({ key: es, claims: without(claims(), "exp") }), "exp_missing"],
    ["iat in the future", () => signTestToken({ key: es, claims: claims({ iat: T + 120, exp: T + 400 }) }), "iat_in_future"],
    ["lifetime 15 min + 1 s", () => signTestToken({ key: es, claims: claims({ iat: T - 10, exp: T + 891 }) }), "lifetime_too_long"],
    ["lifetime 1 hour", () => signTestToken({ key: rs, claims: claims({ iat: T - 10, exp: T + 3590 }) }), "lifetime_too_long"],
    ["wrong partnerId claim", () => signTestToken({ key: es, claims: claims({ partnerId: "partner-b" }) }), "partner_mismatch"],
    ["missing partnerId claim", () => signTestToken({ key: es, claims: without(claims(), "partnerId") }), "partner_mismatch"],
    ["missing email", () => signTestToken({ key: es, claims: without(claims(), "email") }), "email_missing"],
    ["invalid email", () => signTestToken({ key: es, claims: claims({ email: "not an email" }) }), "email_invalid"],
    ["email not a string", () => signTestToken({ key: es, claims: claims({ email: ["a@example.com"] }) }), "email_invalid"],
    ["partnerUserId not a string", () => signTestToken({ key: es, claims: claims({ partnerUserId: 42 }) }), "partner_user_id_invalid"],
    ["unknown partner", () => signTestToken({ key: es, claims: claims({ partnerId: "nobody" }) }), "partner_unknown", "nobody"],
    [
      "JWKS server down",
      () => signTestToken({ key: es, claims: claims({ partnerId: "partner-down" }) }),
      "jwks_unreachable",
      "partner-down",
    ],
  ];

  it.each(cases)("%s → %s", async (_name, makeToken, code, partnerId = PARTNER) => {
    const error = await rejection(verifier.verify(partnerId, await makeToken()));
    expect(error.code).toBe(code);
  });

  it("never echoes upstream messages", async () => {
    const error = await rejection(
      verifier.verify("partner-down", await signTestToken({ key: es, claims: claims({ partnerId: "partner-down" }) })),
    );
    expect(error.message).toBe("The partner JWKS could not be fetched");
    expect(error.cause).toBeDefined();
  });

  it("refuses a JWKS that publishes private key members", async () => {
    const leaky = await startJwksServer([es.privateJwk]);
    try {
      const v = createPartnerTokenVerifier({ partners: [{ partnerId: PARTNER, jwksUrl: leaky.url }], now });
      const error = await rejection(v.verify(PARTNER, await signTestToken({ key: es, claims: claims() })));
      expect(error.code).toBe("jwks_invalid");
    } finally {
      await leaky.close();
    }
  });

  it("checks the header before fetching any key", async () => {
    const server = await startJwksServer([es.publicJwk]);
    try {
      const v = createPartnerTokenVerifier({ partners: [{ partnerId: PARTNER, jwksUrl: server.url }], now });
      const none = `${base64urlJson({ alg: "none", typ: "JWT", kid: es.kid })}.${base64urlJson(claims())}.`;
      expect((await rejection(v.verify(PARTNER, none))).code).toBe("alg_not_allowed");
      expect(server.requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("partner JWKS caching", () => {
  it("fetches the JWKS once for many verifications", async () => {
    const server = await startJwksServer([es.publicJwk, rs.publicJwk]);
    try {
      const v = createPartnerTokenVerifier({ partners: [{ partnerId: PARTNER, jwksUrl: server.url }], now });
      for (let i = 0; i < 5; i++) {
        await v.verify(PARTNER, await signTestToken({ key: i % 2 ? es : rs, claims: claims() }));
      }
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("refetches once on an unknown kid (rotation), at most once per cooldown for a burst", async () => {
    const server = await startJwksServer([es.publicJwk]);
    const cooldownMs = 300;
    try {
      const v = createPartnerTokenVerifier({
        partners: [{ partnerId: PARTNER, jwksUrl: server.url }],
        jwksCooldownMs: cooldownMs,
        now,
      });
      await v.verify(PARTNER, await signTestToken({ key: es, claims: claims() }));
      expect(server.requests).toBe(1);

      // Rotation: the partner publishes a new key; once the cooldown after the last fetch has
      // passed, a token with the new kid triggers one refetch and verifies.
      const rotated = await createTestSigningKey("ES256");
      server.keys.push(rotated.publicJwk);
      await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
      await expect(v.verify(PARTNER, await signTestToken({ key: rotated, claims: claims() }))).resolves.toMatchObject({
        email: "jane.doe@example.com",
      });
      expect(server.requests).toBe(2);

      // A burst of unknown kids right after, concurrent then sequential: no further fetch.
      const strangers = await Promise.all(Array.from({ length: 10 }, () => createTestSigningKey("ES256")));
      const tokens = await Promise.all(strangers.map((key) => signTestToken({ key, claims: claims() })));
      const concurrent = await Promise.all(tokens.map((token) => rejection(v.verify(PARTNER, token))));
      for (const token of tokens) {
        expect((await rejection(v.verify(PARTNER, token))).code).toBe("kid_unknown");
      }
      expect(concurrent.every((error) => error.code === "kid_unknown")).toBe(true);
      expect(server.requests).toBe(2);

      // After the cooldown, a new burst causes exactly one more (coalesced) fetch.
      await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
      await Promise.all(tokens.map((token) => rejection(v.verify(PARTNER, token))));
      expect(server.requests).toBe(3);
    } finally {
      await server.close();
    }
  });
});

describe("verifier configuration", () => {
  it("rejects duplicate partners and non-http JWKS URLs", () => {
    expect(() =>
      createPartnerTokenVerifier({
        partners: [
          { partnerId: "p", jwksUrl: "http://127.0.0.1:1/jwks" },
          { partnerId: "p", jwksUrl: "http://127.0.0.1:1/jwks" },
        ],
      }),
    ).toThrow(/Duplicate/);
    expect(() => createPartnerTokenVerifier({ partners: [{ partnerId: "p", jwksUrl: "file:///etc/passwd" }] })).toThrow(/http/);
  });
});
