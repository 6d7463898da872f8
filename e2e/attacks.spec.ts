// providers: identity/oidc identity/password identity/firebase identity/supabase wallet/airkit wallet/moojo
// The adversarial suite: what a stranger on the public demo would try, against the production
// build the test stack serves. Each case asserts the refusal, its status and its stable code,
// so a regression shows up as a named case. The threat model is in docs/security.md.
import { readFileSync } from "node:fs";
import { type APIRequestContext, type APIResponse, request as playwrightRequest } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { encode } from "next-auth/jwt";
import { signInWithOidc } from "./support/flows";
import { APP_URL, MALLORY, STACK_DATA_DIR, SUPABASE_URL } from "./support/stack";
import { expect, test } from "./support/test";

const SESSION_COOKIE = "authjs.session-token";
const secrets = () => JSON.parse(readFileSync(`${STACK_DATA_DIR}/dev-secrets.json`, "utf8")) as Record<string, string>;
const sameOrigin = { origin: APP_URL };

async function errorOf(response: APIResponse): Promise<string> {
  const text = await response.text();
  // Never a stack trace or a module path, whatever went wrong.
  expect(text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+|\.js:\d+/);
  return `${response.status()} ${(JSON.parse(text) as { error?: { code?: string } }).error?.code}`;
}

/** Posts an Auth.js credentials sign-in and returns the refusal code Auth.js forwards (or "signed_in"). */
async function credentialsSignIn(request: APIRequestContext, provider: string, form: Record<string, string>): Promise<string> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post(`/api/auth/callback/${provider}`, {
    form: { csrfToken, callbackUrl: "/dashboard", ...form },
    maxRedirects: 0,
  });
  const location = new URL(response.headers().location ?? "/", APP_URL);
  if (location.pathname === "/dashboard") return "signed_in";
  return location.searchParams.get("code") ?? location.searchParams.get("error") ?? `status ${response.status()}`;
}

let signedIn: APIRequestContext;
let sessionCookie: string;

// Mallory (an OpenID user whose email is not verified), so that the attacks leave no trace on
// the people the other specs walk through (a Moojo attempt, for one, pins a Firebase uid).
test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithOidc(page, MALLORY);
  const cookie = (await context.cookies(APP_URL)).find((c) => c.name === SESSION_COOKIE);
  sessionCookie = `${SESSION_COOKIE}=${cookie!.value}`;
  await context.close();
  signedIn = await playwrightRequest.newContext({ baseURL: APP_URL, extraHTTPHeaders: { cookie: sessionCookie } });
});
test.afterAll(async () => {
  await signedIn?.dispose();
});

test.describe("CSRF: every state-changing route refuses a foreign or missing Origin before anything else", () => {
  const routes: [string, string][] = [
    ["POST", "/api/password/sign-up"],
    ["POST", "/api/password/verify-email"],
    ["POST", "/api/password/resend"],
    ["POST", "/api/identity/firebase-custom-token"],
    ["POST", "/api/wallets/airkit/partner-token"],
    ["POST", "/api/wallets/moojo/authenticate"],
    ["DELETE", "/api/wallets/airkit"],
    ["POST", "/api/session/sign-out"],
  ];
  const origins: [string, Record<string, string>][] = [
    ["no Origin", {}],
    ["Origin null (sandboxed frame, file:)", { origin: "null" }],
    ["a foreign site", { origin: "https://evil.example" }],
    ["a look-alike host", { origin: `${APP_URL}.evil.example` }],
  ];
  for (const [method, path] of routes) {
    for (const [name, headers] of origins) {
      test(`${method} ${path} with ${name} → 403 bad_origin`, async () => {
        const response = await signedIn.fetch(path, { method, headers: { "content-type": "application/json", ...headers }, data: "{}" });
        expect(await errorOf(response)).toBe("403 bad_origin");
      });
    }
  }
});

test.describe("forged Supabase access tokens at the Supabase sign-in", () => {
  const claims = {
    iss: `${SUPABASE_URL}/auth/v1`,
    aud: "authenticated",
    role: "authenticated",
    sub: "00000000-0000-4000-8000-000000000001",
    email: "grace@example.com",
  };
  const realKid = async () =>
    ((await (await fetch(`${SUPABASE_URL}/auth/v1/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys[0]!.kid;
  const attackerKey = () => generateKeyPair("ES256");
  const signed = async (header: Record<string, unknown>, payload = claims) => {
    const { privateKey } = await attackerKey();
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "ES256", typ: "JWT", ...header })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  };
  const cases: [string, () => Promise<string>, string][] = [
    ["unsigned (alg none)", async () => new UnsecuredJWT(claims).setIssuedAt().setExpirationTime("5m").encode(), "alg_not_allowed"],
    [
      "HS256 with a guessed secret",
      async () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: await realKid() })
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode("super-secret-jwt-token-with-at-least-32-characters-long")),
      "alg_not_allowed",
    ],
    ["signed by an attacker's key under an unknown kid", () => signed({ kid: "attacker" }), "kid_unknown"],
    ["signed by an attacker's key under the project's real kid", async () => signed({ kid: await realKid() }), "signature_invalid"],
    [
      "with a jku header pointing at the attacker's keys",
      async () => signed({ kid: "attacker", jku: "https://evil.example/jwks.json" }),
      "kid_unknown",
    ],
    [
      "with the attacker's public key embedded (jwk header)",
      async () => {
        const { publicKey } = await attackerKey();
        return signed({ kid: await realKid(), jwk: await exportJWK(publicKey) });
      },
      "signature_invalid",
    ],
    ["without a kid", () => signed({}), "kid_missing"],
    ["that is not a JWT", async () => "not-a-jwt.at-all.not-even-close", "token_malformed"],
  ];
  for (const [name, token, code] of cases) {
    test(`${name} → refused (${code})`, async ({ request }) => {
      expect(await credentialsSignIn(request, "supabase", { accessToken: await token() })).toBe(code);
    });
  }
});

test.describe("sessions: only cookies this server sealed, for users that exist", () => {
  const api = (request: APIRequestContext, cookie: string) =>
    request.post("/api/wallets/airkit/partner-token", { data: {}, headers: { ...sameOrigin, cookie: `${SESSION_COOKIE}=${cookie}` } });
  const token = {
    sub: "usr_forged",
    signedInAt: Math.floor(Date.now() / 1000),
    identity: { provider: "oidc", subject: "s", email: "grace@example.com", emailVerified: true, name: null, userId: "usr_forged" },
  };

  test("a garbage session cookie → 401 unauthenticated", async ({ request }) => {
    expect(await errorOf(await api(request, "garbage.garbage.garbage.garbage.garbage"))).toBe("401 unauthenticated");
  });
  test("a session sealed with another secret → 401 unauthenticated", async ({ request }) => {
    const forged = await encode({ secret: "a-guessed-secret-a-guessed-secret-a-guessed", salt: SESSION_COOKIE, token });
    expect(await errorOf(await api(request, forged))).toBe("401 unauthenticated");
  });
  test("a real cookie with one byte changed → 401 unauthenticated", async ({ request }) => {
    const value = sessionCookie.slice(SESSION_COOKIE.length + 1);
    const i = Math.floor(value.length / 2);
    const flipped = value.slice(0, i) + (value[i] === "A" ? "B" : "A") + value.slice(i + 1);
    expect(await errorOf(await api(request, flipped))).toBe("401 unauthenticated");
  });
  test("a correctly sealed session for a user who does not exist → 401 unauthenticated", async ({ request }) => {
    const sealed = await encode({ secret: secrets().AUTH_SECRET!, salt: SESSION_COOKIE, token });
    expect(await errorOf(await api(request, sealed))).toBe("401 unauthenticated");
  });
  test("the session JSON the browser can read carries no tokens (no id_token_hint, no JWTs)", async () => {
    const session = await (await signedIn.get("/api/auth/session")).text();
    expect(session).toContain(MALLORY.email);
    expect(session).not.toMatch(/idToken|eyJ[A-Za-z0-9_-]{10,}/);
  });
});

test.describe("redirects never leave the app", () => {
  for (const target of ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]) {
    test(`sign-out with callbackUrl ${target} stays on the app's origin`, async ({ request }) => {
      const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await request.post("/api/auth/signout", { form: { csrfToken, callbackUrl: target }, maxRedirects: 0 });
      const location = response.headers().location ?? "";
      expect(new URL(location, APP_URL).origin).toBe(APP_URL);
    });
  }
  test("the issuer's authorization endpoint answers 400 and redirects nowhere", async ({ request }) => {
    const response = await request.get("/oauth/authorize?redirect_uri=https%3A%2F%2Fevil.example%2F&response_type=code", {
      maxRedirects: 0,
    });
    expect(response.status()).toBe(400);
    expect(response.headers().location).toBeUndefined();
  });
  test("the sign-in page shows a fixed message, never the query text", async ({ page }) => {
    await page.goto(`/signin?error=${encodeURIComponent("<img src=x onerror=alert(1)>")}&reason=${encodeURIComponent("<b>owned</b>")}`);
    await expect(page.getByTestId("signin-error")).toHaveText("Sign-in failed. Try again.");
    expect(await page.content()).not.toContain("<b>owned</b>");
  });
});

test.describe("hostile input: every bad body is a clean 4xx", () => {
  // Bytes, not a string: Playwright would JSON-encode a string body.
  const signUp = (request: APIRequestContext, data: string | Buffer, contentType = "application/json") =>
    request.post("/api/password/sign-up", {
      data: typeof data === "string" ? Buffer.from(data) : data,
      headers: { ...sameOrigin, "content-type": contentType },
    });
  const cases: [string, (request: APIRequestContext) => Promise<APIResponse>, string][] = [
    [
      "a 1 MB JSON body",
      (r) => signUp(r, JSON.stringify({ email: "a@example.com", password: "x".repeat(1024 * 1024) })),
      "413 body_too_large",
    ],
    ["a 10 MB JSON body", (r) => signUp(r, Buffer.alloc(10 * 1024 * 1024, 0x20)), "413 body_too_large"],
    [
      "a 1 MB form to Auth.js",
      (r) => r.post("/api/auth/callback/password", { form: { email: "a@example.com", password: "x".repeat(1024 * 1024) } }),
      "413 body_too_large",
    ],
    ["text/plain that mentions application/json", (r) => signUp(r, "{}", "text/plain; x=application/json"), "415 unsupported_media_type"],
    [
      "text/plain with a quoted application/json parameter",
      (r) => signUp(r, "{}", 'text/plain; x="application/json"'),
      "415 unsupported_media_type",
    ],
    ["application/json in Latin-1", (r) => signUp(r, "{}", "application/json; charset=latin1"), "415 unsupported_media_type"],
    [
      "no content type",
      (r) => r.post("/api/password/sign-up", { data: Buffer.from("{}"), headers: sameOrigin }),
      "415 unsupported_media_type",
    ],
    ["malformed JSON", (r) => signUp(r, "{not json"), "400 invalid_json"],
    ["invalid UTF-8", (r) => signUp(r, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), "400 invalid_json"],
    ["a JSON array", (r) => signUp(r, "[]"), "400 invalid_request"],
    [
      "an email of 10,000 characters",
      (r) => signUp(r, JSON.stringify({ email: `${"a".repeat(10_000)}@example.com`, password: "a long enough passphrase" })),
      "400 invalid_request",
    ],
    ["a GET on a state-changing route", (r) => r.get("/api/password/sign-up"), "405 undefined"],
  ];
  for (const [name, send, expected] of cases) {
    test(`${name} → ${expected}`, async ({ request }) => {
      const response = await send(request);
      if (expected.startsWith("405")) expect(response.status()).toBe(405);
      else expect(await errorOf(response)).toBe(expected);
    });
  }
});

test.describe("wallet routes: the subject is the session's, and only known steps run", () => {
  const action = (path: string, data: unknown) => signedIn.post(path, { data, headers: sameOrigin });
  // What AIR's login token claims (docs: sub, abstractAccountAddress, partnerId, partnerUserId?).
  const airClaims = { sub: "air-user-1", abstractAccountAddress: `0x${"ab".repeat(20)}`, partnerId: "demo-partner" };
  const airToken = async (alg: "none" | "HS256" | "ES256") => {
    if (alg === "none") return new UnsecuredJWT(airClaims).setIssuedAt().setExpirationTime("5m").encode();
    if (alg === "HS256")
      return new SignJWT(airClaims)
        .setProtectedHeader({ alg, kid: "air" })
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode("x".repeat(32)));
    const { privateKey } = await generateKeyPair("ES256");
    return new SignJWT(airClaims).setProtectedHeader({ alg, kid: "air" }).setIssuedAt().setExpirationTime("5m").sign(privateKey);
  };
  const cases: [string, () => Promise<APIResponse>, string][] = [
    ["an unknown wallet provider", () => action("/api/wallets/not-a-provider/anything", {}), "404 not_found"],
    ["a provider named __proto__", () => action("/api/wallets/__proto__/partner-token", {}), "404 not_found"],
    ["an action named constructor", () => action("/api/wallets/airkit/constructor", {}), "404 not_found"],
    ["an action named __proto__", () => action("/api/wallets/airkit/__proto__", {}), "404 not_found"],
    [
      "a partner token for someone else (userId in the body)",
      () => action("/api/wallets/airkit/partner-token", { userId: "usr_victim" }),
      "400 invalid_request",
    ],
    [
      "a partner token for another email",
      () => action("/api/wallets/airkit/partner-token", { email: "victim@example.com" }),
      "400 invalid_request",
    ],
    [
      "Moojo with a garbage ID token",
      () => action("/api/wallets/moojo/authenticate", { idToken: "garbage-garbage-garbage-garbage" }),
      "401 id_token_invalid",
    ],
    // Hand-made unsigned tokens: one the emulator would choke on (no firebase claim), and one it
    // is asked about and has never issued. Both the client's fault: 401, never a 502.
    [
      "Moojo with a hand-made unsigned token",
      async () =>
        action("/api/wallets/moojo/authenticate", {
          idToken: new UnsecuredJWT({
            iss: "https://securetoken.google.com/demo-byo-auth",
            aud: "demo-byo-auth",
            sub: "victim-uid",
            auth_time: 1,
          })
            .setIssuedAt()
            .setExpirationTime("5m")
            .encode(),
        }),
      "401 id_token_invalid",
    ],
    [
      "Moojo with an unsigned token for an account the emulator never issued",
      async () =>
        action("/api/wallets/moojo/authenticate", {
          idToken: new UnsecuredJWT({
            iss: "https://securetoken.google.com/demo-byo-auth",
            aud: "demo-byo-auth",
            sub: "victim-uid",
            user_id: "victim-uid",
            auth_time: 1,
            firebase: { sign_in_provider: "password", identities: {} },
          })
            .setIssuedAt()
            .setExpirationTime("5m")
            .encode(),
        }),
      "401 id_token_invalid",
    ],
    [
      "an AIR session token that is not a JWT",
      () => action("/api/wallets/airkit/session", { token: "not.a.jwt.at.all" }),
      "401 air_token_invalid",
    ],
    [
      "an unsigned AIR session token",
      async () => action("/api/wallets/airkit/session", { token: await airToken("none") }),
      "401 air_token_invalid",
    ],
    [
      "an AIR session token signed with a guessed HMAC secret",
      async () => action("/api/wallets/airkit/session", { token: await airToken("HS256") }),
      "401 air_token_invalid",
    ],
    [
      "an AIR session token signed by an attacker's key",
      async () => action("/api/wallets/airkit/session", { token: await airToken("ES256") }),
      "401 air_token_invalid",
    ],
    ["disconnecting an unknown provider", () => signedIn.delete("/api/wallets/not-a-provider", { headers: sameOrigin }), "404 not_found"],
    [
      "a wallet step without a session",
      () =>
        playwrightRequest
          .newContext({ baseURL: APP_URL })
          .then((r) => r.post("/api/wallets/airkit/partner-token", { data: {}, headers: sameOrigin })),
      "401 unauthenticated",
    ],
  ];
  for (const [name, send, expected] of cases) {
    test(`${name} → ${expected}`, async () => {
      expect(await errorOf(await send())).toBe(expected);
    });
  }
});

test.describe("Next.js-specific bypasses", () => {
  for (const value of [
    "middleware",
    "proxy",
    "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
    "proxy:proxy:proxy:proxy:proxy",
  ]) {
    test(`x-middleware-subrequest: ${value} neither opens the dashboard nor drops the CSP`, async ({ request }) => {
      const response = await request.get("/dashboard", { headers: { "x-middleware-subrequest": value }, maxRedirects: 0 });
      expect([302, 303, 307]).toContain(response.status());
      expect(new URL(response.headers().location!, APP_URL).pathname).toBe("/signin");
      expect(response.headers()["content-security-policy"]).toContain("'strict-dynamic'");
    });
  }
  test("an RSC request for the dashboard without a session carries no user data", async ({ request }) => {
    const response = await request.get("/dashboard", { headers: { RSC: "1" }, maxRedirects: 0 });
    expect(await response.text()).not.toMatch(/@example\.com|account-address/);
  });
});

test.describe("nothing secret reaches the browser", () => {
  let bundle = "";
  test.beforeAll(async () => {
    // Every script the sign-in page and the dashboard load, plus their HTML.
    const pages = await Promise.all(["/signin", "/dashboard"].map(async (path) => (await signedIn.get(path)).text()));
    const scripts = new Set(pages.flatMap((html) => [...html.matchAll(/src="(\/_next\/static\/[^"]+\.js)"/g)].map((m) => m[1]!)));
    const bodies = await Promise.all([...scripts].map(async (src) => (await signedIn.get(src)).text()));
    bundle = [...pages, ...bodies].join("\n");
    expect(scripts.size).toBeGreaterThan(3);
  });
  for (const name of ["AUTH_SECRET", "OIDC_CLIENT_SECRET", "MAIL_API_KEY", "MOOJO_API_KEY", "ALCHEMY_API_KEY", "TURNKEY_API_PRIVATE_KEY"]) {
    test(`${name} is in no page or script`, () => {
      const value = secrets()[name];
      expect(value, `${name} exists in the dev secrets`).toBeTruthy();
      expect(bundle.includes(value!)).toBe(false);
    });
  }
  test("no private key material (PEM blocks or JWK private members) in any page or script", () => {
    expect(bundle).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    const signingKeys = JSON.parse(secrets().SIGNING_KEYS!) as { d: string }[];
    for (const key of [signingKeys].flat()) expect(bundle.includes(key.d)).toBe(false);
  });
  test("the JWKS publishes public members only", async ({ request }) => {
    const { keys } = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: Record<string, unknown>[] };
    for (const key of keys) for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(member);
  });
});
