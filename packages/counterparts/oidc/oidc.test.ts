import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type RunningOidcProvider } from "./index";
import { JWKS_FILE } from "./keys";
import { SEEDED_USERS } from "./users";
import { PROVIDER_TITLE, WRONG_CREDENTIALS } from "./views";

const CLIENT = {
  clientId: "byo-auth-app",
  clientSecret: "test-secret-with-some-length",
  redirectUris: ["http://localhost:3000/api/auth/callback/oidc"],
  postLogoutRedirectUris: ["http://localhost:3000/"],
};
const REDIRECT_URI = CLIENT.redirectUris[0]!;

function seeded(email: string) {
  const user = SEEDED_USERS.find((u) => u.email === email);
  if (!user) throw new Error(`no seeded user ${email}`);
  return user;
}
const ADA = seeded("ada@example.com");
const MALLORY = seeded("mallory@example.com");

/** Minimal cookie jar: name -> value, honouring deletions (oidc-provider expires cookies to clear them). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attr) => {
        const [key = "", val = ""] = attr.split("=").map((s) => s.trim());
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

async function send(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set("cookie", cookie);
  const res = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.store(res);
  return res;
}

function location(res: Response, base: string): URL {
  const loc = res.headers.get("location");
  if (!loc) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(loc, base);
}

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

function formPost(body: Record<string, string>, origin?: string): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (origin) headers.origin = origin;
  return { method: "POST", headers, body: new URLSearchParams(body).toString() };
}

interface AuthRequest {
  state: string;
  nonce: string;
  verifier: string;
  url: URL;
}

function authorizationRequest(op: RunningOidcProvider, overrides: Record<string, string | undefined> = {}): AuthRequest {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString("base64url");
  const nonce = randomBytes(12).toString("base64url");
  const params: Record<string, string | undefined> = {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...overrides,
  };
  const url = new URL("/auth", op.url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { state, nonce, verifier, url };
}

/** GET /auth and follow redirects until we land on our interaction page (or back at the RP). */
async function startAuthorization(op: RunningOidcProvider, jar: CookieJar, req: AuthRequest): Promise<URL> {
  const res = await send(jar, req.url.href);
  expect([302, 303]).toContain(res.status);
  return location(res, op.url);
}

/** POST the login form, then follow the resume redirect back to the RP's redirect_uri. */
async function logIn(op: RunningOidcProvider, jar: CookieJar, interaction: URL, email: string, password: string): Promise<URL> {
  const res = await send(jar, `${interaction.href}/login`, formPost({ email, password }, new URL(op.url).origin));
  expect(res.status).toBe(303);
  const resume = location(res, op.url);
  expect(resume.origin).toBe(new URL(op.url).origin);
  const back = await send(jar, resume.href);
  expect([302, 303]).toContain(back.status);
  return location(back, op.url);
}

async function exchangeCode(
  op: RunningOidcProvider,
  code: string,
  verifier: string,
  auth: "basic" | "post" = "basic",
  secret = CLIENT.clientSecret,
): Promise<Response> {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "basic") {
    const basic = `${encodeURIComponent(CLIENT.clientId)}:${encodeURIComponent(secret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  } else {
    body.set("client_id", CLIENT.clientId);
    body.set("client_secret", secret);
  }
  return fetch(new URL("/token", op.url), { method: "POST", headers, body: body.toString() });
}

async function discovery(op: RunningOidcProvider) {
  const res = await fetch(new URL("/.well-known/openid-configuration", op.url));
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown> & { jwks_uri: string; end_session_endpoint: string };
}

async function jwks(op: RunningOidcProvider): Promise<JSONWebKeySet> {
  const { jwks_uri } = await discovery(op);
  const res = await fetch(jwks_uri);
  expect(res.status).toBe(200);
  return (await res.json()) as JSONWebKeySet;
}

/** Full happy path: returns tokens plus the request that produced them. */
async function signIn(op: RunningOidcProvider, jar: CookieJar, email: string, password: string, auth: "basic" | "post" = "basic") {
  const req = authorizationRequest(op);
  const interaction = await startAuthorization(op, jar, req);
  expect(interaction.pathname).toMatch(/^\/interaction\//);
  const callback = await logIn(op, jar, interaction, email, password);
  const code = callback.searchParams.get("code");
  expect(code).toBeTruthy();
  const res = await exchangeCode(op, code!, req.verifier, auth);
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as { id_token: string; access_token: string; token_type: string };
  return { req, callback, tokens };
}

describe("local OpenID Provider (packages/counterparts/oidc)", () => {
  let dataDir: string;
  let op: RunningOidcProvider;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "oidc-counterpart-test-"));
    op = await startOidcProvider({ port: 0, dataDir, clients: [CLIENT] });
  });

  afterAll(async () => {
    await op?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("listens on a real port and uses it in the issuer", () => {
    expect(op.name).toBe("oidc");
    expect(op.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(op.url).not.toMatch(/:0$/);
  });

  it("publishes a discovery document an RP can consume", async () => {
    const doc = await discovery(op);
    expect(doc.issuer).toBe(op.url);
    expect(doc.jwks_uri).toBe(`${op.url}/jwks`);
    expect(doc.authorization_endpoint).toBe(`${op.url}/auth`);
    expect(doc.token_endpoint).toBe(`${op.url}/token`);
    expect(doc.userinfo_endpoint).toBe(`${op.url}/me`);
    expect(doc.end_session_endpoint).toBe(`${op.url}/session/end`);
    expect(doc.code_challenge_methods_supported).toContain("S256");
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "ES256"]));
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile"]));
  });

  it("serves a JWKS with only public key members (RS256 + ES256)", async () => {
    const { keys } = await jwks(op);
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const key of keys) {
      expect(key.kid).toBeTruthy();
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(member);
    }
  });

  it("stores the private JWKs in dataDir with mode 0600", async () => {
    const file = path.join(dataDir, JWKS_FILE);
    const info = await stat(file);
    if (process.platform !== "win32") expect(info.mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, "utf8")) as JSONWebKeySet;
    expect(stored.keys.every((k) => typeof k.d === "string")).toBe(true);
  });

  it("runs the authorization-code + PKCE flow end to end and issues a verifiable ID token", async () => {
    const jar = new CookieJar();
    const req = authorizationRequest(op);

    const interaction = await startAuthorization(op, jar, req);
    expect(interaction.origin).toBe(new URL(op.url).origin);
    expect(interaction.pathname).toMatch(/^\/interaction\/[\w-]+$/);

    const page = await send(jar, interaction.href);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(PROVIDER_TITLE);
    expect(html).toContain('<label for="email">');
    expect(html).toContain('id="email"');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('id="password"');
    expect(html).toContain(">Continue</button>");
    expect(html).toContain(ADA.email);
    expect(html).toContain(ADA.password);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no external assets

    const origin = new URL(op.url).origin;
    const wrong = await send(jar, `${interaction.href}/login`, formPost({ email: ADA.email, password: "wrong password" }, origin));
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain(WRONG_CREDENTIALS);
    expect(wrongHtml).toContain(`value="${ADA.email}"`);

    const unknown = await send(jar, `${interaction.href}/login`, formPost({ email: "nobody@example.com", password: ADA.password }, origin));
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain(WRONG_CREDENTIALS);

    const callback = await logIn(op, jar, interaction, ADA.email, ADA.password);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(req.state);
    expect(callback.searchParams.get("iss")).toBe(op.url);
    expect(callback.searchParams.get("error")).toBeNull();
    const code = callback.searchParams.get("code");
    expect(code).toBeTruthy();
    expect(jar.has("op_session")).toBe(true);

    const tokenRes = await exchangeCode(op, code!, req.verifier, "basic");
    expect(tokenRes.status).toBe(200);
    const tokens = (await tokenRes.json()) as Record<string, unknown>;
    expect(tokens.token_type).toBe("Bearer");
    expect(typeof tokens.access_token).toBe("string");
    expect(tokens.refresh_token).toBeUndefined();
    expect(typeof tokens.id_token).toBe("string");
    const idToken = tokens.id_token as string;

    const keySet = await jwks(op);
    const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(keySet), {
      issuer: op.url,
      audience: CLIENT.clientId,
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(keySet.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    expect(payload.iss).toBe(op.url);
    expect(payload.aud).toBe(CLIENT.clientId);
    expect(payload.nonce).toBe(req.nonce);
    expect(payload.sub).toBe(ADA.sub);
    expect(payload.sub).not.toContain("@");
    expect(payload.email).toBe(ADA.email);
    expect(payload.email_verified).toBe(true);
    expect(payload.name).toBe(ADA.name);
    expect(payload.given_name).toBe(ADA.given_name);
    expect(payload.family_name).toBe(ADA.family_name);
    expect(typeof payload.exp).toBe("number");
    expect(payload.exp! - payload.iat!).toBe(3600);

    // The access token works at the userinfo endpoint.
    const bearer = { authorization: `Bearer ${tokens.access_token as string}` };
    const userinfo = await fetch(new URL("/me", op.url), { headers: bearer });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: ADA.sub, email: ADA.email, email_verified: true, name: ADA.name });

    // SSO: a second authorization in the same browser goes straight back to the RP.
    const again = authorizationRequest(op);
    const sso = await startAuthorization(op, jar, again);
    expect(`${sso.origin}${sso.pathname}`).toBe(REDIRECT_URI);
    expect(sso.searchParams.get("state")).toBe(again.state);
    expect(sso.searchParams.get("code")).toBeTruthy();

    // The code is single-use; replaying it also revokes what it issued.
    const replay = await exchangeCode(op, code!, req.verifier, "basic");
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await fetch(new URL("/me", op.url), { headers: bearer })).status).toBe(401);

    // A grant revoked this way is re-created silently (first-party: no consent screen, and
    // the browser session is still signed in, so no login form either).
    const afterRevoke = authorizationRequest(op);
    const consent = await startAuthorization(op, jar, afterRevoke);
    expect(consent.pathname).toMatch(/^\/interaction\//);
    const consentRes = await send(jar, consent.href);
    expect(consentRes.status).toBe(303);
    const resumed = location(await send(jar, location(consentRes, op.url).href), op.url);
    expect(`${resumed.origin}${resumed.pathname}`).toBe(REDIRECT_URI);
    expect(resumed.searchParams.get("state")).toBe(afterRevoke.state);
    expect(resumed.searchParams.get("code")).toBeTruthy();
  });

  it("accepts client_secret_post and reports email_verified=false for the unverified user", async () => {
    const { tokens, req } = await signIn(op, new CookieJar(), MALLORY.email, MALLORY.password, "post");
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(await jwks(op)), {
      issuer: op.url,
      audience: CLIENT.clientId,
    });
    expect(payload.nonce).toBe(req.nonce);
    expect(payload.sub).toBe(MALLORY.sub);
    expect(payload.email).toBe(MALLORY.email);
    expect(payload.email_verified).toBe(false);
  });

  it("rejects authorization requests without a code_challenge (PKCE required)", async () => {
    const jar = new CookieJar();
    const req = authorizationRequest(op, { code_challenge: undefined, code_challenge_method: undefined });
    const back = await startAuthorization(op, jar, req);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toMatch(/PKCE/i);
    expect(back.searchParams.get("state")).toBe(req.state);
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("rejects the plain code_challenge_method", async () => {
    const req = authorizationRequest(op, { code_challenge_method: "plain" });
    const back = await startAuthorization(op, new CookieJar(), req);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("rejects a token request with the wrong code_verifier or client secret", async () => {
    const jar = new CookieJar();
    const req = authorizationRequest(op);
    const interaction = await startAuthorization(op, jar, req);
    const callback = await logIn(op, jar, interaction, ADA.email, ADA.password);
    const code = callback.searchParams.get("code")!;

    const badSecret = await exchangeCode(op, code, req.verifier, "basic", "not-the-secret");
    expect(badSecret.status).toBe(401);
    expect(((await badSecret.json()) as { error: string }).error).toBe("invalid_client");

    const badVerifier = await exchangeCode(op, code, pkcePair().verifier, "basic");
    expect(badVerifier.status).toBe(400);
    expect(((await badVerifier.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("rejects cross-origin login POSTs and POSTs without the interaction cookie", async () => {
    const jar = new CookieJar();
    const interaction = await startAuthorization(op, jar, authorizationRequest(op));

    const crossOrigin = await send(
      jar,
      `${interaction.href}/login`,
      formPost({ email: ADA.email, password: ADA.password }, "http://evil.example"),
    );
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.headers.get("location")).toBeNull();

    const noCookie = await fetch(`${interaction.href}/login`, {
      ...formPost({ email: ADA.email, password: ADA.password }),
      redirect: "manual",
    });
    expect(noCookie.status).toBe(400);
    expect(noCookie.headers.get("location")).toBeNull();

    // Still usable from the right browser afterwards.
    const callback = await logIn(op, jar, interaction, ADA.email, ADA.password);
    expect(callback.searchParams.get("code")).toBeTruthy();
  });

  it("returns access_denied to the RP when the user cancels", async () => {
    const jar = new CookieJar();
    const req = authorizationRequest(op);
    const interaction = await startAuthorization(op, jar, req);
    const res = await send(jar, `${interaction.href}/abort`, formPost({}, new URL(op.url).origin));
    expect(res.status).toBe(303);
    const back = await send(jar, location(res, op.url).href);
    const callback = location(back, op.url);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(req.state);
  });

  it("HTML-escapes user-controlled values on the login page", async () => {
    const jar = new CookieJar();
    const payload = `"><script>alert(1)</script>`;
    const interaction = await startAuthorization(op, jar, authorizationRequest(op, { login_hint: payload }));
    const html = await (await send(jar, interaction.href)).text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("renders errors as a simple page without stack traces", async () => {
    const req = authorizationRequest(op, { client_id: "no-such-client" });
    const res = await fetch(req.url, { redirect: "manual", headers: { accept: "text/html" } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("invalid_client");
    expect(html).not.toMatch(/\bat\s+\S+\s+\(|node_modules|\.js:\d+/);
  });

  it("supports RP-initiated logout back to a registered post_logout_redirect_uri", async () => {
    const jar = new CookieJar();
    const { tokens } = await signIn(op, jar, ADA.email, ADA.password);
    const { end_session_endpoint } = await discovery(op);

    const url = new URL(end_session_endpoint);
    url.searchParams.set("id_token_hint", tokens.id_token);
    url.searchParams.set("post_logout_redirect_uri", CLIENT.postLogoutRedirectUris[0]!);
    url.searchParams.set("state", "bye");
    const confirm = await send(jar, url.href);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain(PROVIDER_TITLE);
    const action = /<form[^>]*id="op\.logoutForm"[^>]*action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(action).toBeTruthy();
    expect(xsrf).toBeTruthy();

    const done = await send(jar, new URL(action!, op.url).href, formPost({ xsrf: xsrf!, logout: "yes" }, new URL(op.url).origin));
    expect([302, 303]).toContain(done.status);
    const back = location(done, op.url);
    expect(back.href).toBe(`${CLIENT.postLogoutRedirectUris[0]!}?state=bye`);

    // The OP session is gone: the next authorization asks for credentials again.
    const next = await startAuthorization(op, jar, authorizationRequest(op));
    expect(next.pathname).toMatch(/^\/interaction\//);
  });

  it("keeps the same signing keys (kid) across a restart with the same dataDir", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "oidc-counterpart-restart-"));
    try {
      const first = await startOidcProvider({ port: 0, dataDir: dir, clients: [CLIENT] });
      let kids: string[];
      let idToken: string;
      try {
        kids = (await jwks(first)).keys.map((k) => k.kid!).sort();
        ({ id_token: idToken } = (await signIn(first, new CookieJar(), ADA.email, ADA.password)).tokens);
      } finally {
        await first.close();
      }

      const second = await startOidcProvider({ port: 0, dataDir: dir, clients: [CLIENT] });
      try {
        const keySet = await jwks(second);
        expect(keySet.keys.map((k) => k.kid!).sort()).toEqual(kids);
        // A token issued before the restart still verifies against the new instance's JWKS.
        const { kid } = decodeProtectedHeader(idToken);
        expect(kids).toContain(kid);
        await expect(jwtVerify(idToken, createLocalJWKSet(keySet), { audience: CLIENT.clientId })).resolves.toBeTruthy();
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps a signed-in browser's session across a restart with the same dataDir, until the retention sweep removes it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "oidc-counterpart-session-"));
    try {
      const jar = new CookieJar();
      const first = await startOidcProvider({ port: 0, dataDir: dir, clients: [CLIENT] });
      const port = Number(new URL(first.url).port);
      try {
        await signIn(first, jar, ADA.email, ADA.password);
      } finally {
        await first.close();
      }

      const second = await startOidcProvider({ port, dataDir: dir, clients: [CLIENT] });
      try {
        expect(second.url).toBe(first.url);
        // Single sign-on, as with a hosted IdP: straight back to the app with a code, no login page.
        const again = await startAuthorization(second, jar, authorizationRequest(second));
        expect(again.href.startsWith(REDIRECT_URI)).toBe(true);
        expect(again.searchParams.get("code")).toBeTruthy();

        // Nothing is older than an hour ago; everything is older than a second from now.
        expect(await second.sweep(new Date(Date.now() - 3600_000))).toEqual({ removed: 0 });
        expect((await second.sweep(new Date(Date.now() + 1000))).removed).toBeGreaterThan(0);
        const afterSweep = await startAuthorization(second, jar, authorizationRequest(second));
        expect(afterSweep.pathname).toMatch(/^\/interaction\//);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("sparse variant: the ID token carries no scope claims; UserInfo has email but no profile claims, plus an unknown claim", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "oidc-counterpart-sparse-"));
    const sparse = await startOidcProvider({ port: 0, dataDir: dir, clients: [CLIENT], variant: "sparse" });
    try {
      const { tokens } = await signIn(sparse, new CookieJar(), ADA.email, ADA.password);
      const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(await jwks(sparse)), {
        issuer: sparse.url,
        audience: CLIENT.clientId,
      });
      expect(payload.sub).toBe(ADA.sub);
      for (const claim of ["email", "email_verified", "name", "given_name", "family_name"]) expect(payload).not.toHaveProperty(claim);
      const userinfo = (await (
        await fetch(new URL("/me", sparse.url), { headers: { authorization: `Bearer ${tokens.access_token}` } })
      ).json()) as Record<string, unknown>;
      expect(userinfo).toMatchObject({
        sub: ADA.sub,
        email: ADA.email,
        email_verified: true,
        "https://example.com/claims/unknown": { tier: "counterpart" },
      });
      expect(userinfo).not.toHaveProperty("name");
    } finally {
      await sparse.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("close() is idempotent and frees the port", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "oidc-counterpart-close-"));
    try {
      const instance = await startOidcProvider({ port: 0, dataDir: dir, clients: [CLIENT] });
      await instance.close();
      await instance.close();
      await expect(fetch(`${instance.url}/jwks`)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
