// providers: identity/oidc identity/password wallet/airkit
import { expect, test } from "./support/test";
import { APP_URL } from "./support/stack";

test.describe("what the app publishes and refuses", () => {
  test("the JWKS holds public keys only, with thumbprint kids and caching", async ({ request }) => {
    const response = await request.get("/.well-known/jwks.json");
    expect(response.ok()).toBe(true);
    expect(response.headers()["cache-control"]).toContain("max-age=");
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const key of keys) {
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(member);
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  test.describe("content security policy", () => {
    // This test injects a handler on purpose; the guard in support/test.ts would fail it.
    test.use({ allowCspViolations: true });

    test("pages carry a per-request nonce CSP; Next's scripts run under it and injected ones do not", async ({ page, request }) => {
      const policies = await Promise.all(
        [request.get("/signin"), request.get("/signin")].map(async (r) => (await r).headers()["content-security-policy"] ?? ""),
      );
      const nonces = policies.map((p) => /'nonce-([^']+)'/.exec(p)?.[1]);
      expect(nonces[0]).toBeTruthy();
      expect(nonces[0]).not.toBe(nonces[1]);
      expect(policies[0]).toContain("'strict-dynamic'");
      expect(policies[0]).toContain("frame-ancestors 'none'");
      expect(policies[0]).not.toContain("unsafe-inline");

      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto("/signin");
      // Hydrated: React handled the click, which needs Next's nonce'd scripts to have run.
      await page.getByRole("button", { name: "No account? Create one" }).click();
      await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();
      // Markup injected without the nonce (as an XSS would) does not run.
      const ran = await page.evaluate(async () => {
        const host = document.createElement("div");
        host.innerHTML = '<img src="x" onerror="window.__injected = true">';
        document.body.append(host);
        await new Promise((r) => setTimeout(r, 200));
        return (window as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      expect(violations.some((v) => /inline event handler|script-src/i.test(v))).toBe(true);
      expect(violations.filter((v) => !/inline event handler/i.test(v))).toEqual([]);
    });
  });

  test("the discovery document lists what token consumers need", async ({ request }) => {
    const doc = await (await request.get("/.well-known/openid-configuration")).json();
    expect(doc).toMatchObject({
      issuer: APP_URL,
      jwks_uri: `${APP_URL}/.well-known/jwks.json`,
      response_types_supported: expect.any(Array),
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: expect.arrayContaining(["ES256", "RS256"]),
      authorization_endpoint: expect.stringContaining(APP_URL),
    });
  });

  test("state-changing routes check Origin first, then the session", async ({ request }) => {
    const foreign = await request.post("/api/wallets/airkit/partner-token", { data: {}, headers: { origin: "https://evil.example" } });
    expect(foreign.status()).toBe(403);
    expect((await foreign.json()).error.code).toBe("bad_origin");

    const anonymous = await request.post("/api/wallets/airkit/partner-token", { data: {}, headers: { origin: APP_URL } });
    expect(anonymous.status()).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthenticated");

    const junk = await request.post("/api/password/sign-up", {
      data: Buffer.from("{not json"),
      headers: { origin: APP_URL, "content-type": "application/json" },
    });
    expect(junk.status()).toBe(400);
    const body = await junk.json();
    expect(body.error.code).toBe("invalid_json");
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules/);
  });

  test("session cookies are HttpOnly and SameSite", async ({ page, context }) => {
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
    await expect(page).toHaveURL(/\/interaction\//);
    const cookies = await context.cookies(APP_URL);
    const authCookies = cookies.filter((c) => c.name.includes("authjs"));
    expect(authCookies.length).toBeGreaterThan(0);
    for (const cookie of authCookies) {
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe("Lax");
    }
  });

  test.describe("per-client-IP limits (the test stack trusts x-test-client-ip as its proxy header)", () => {
    const from = (ip: string) => ({ origin: APP_URL, "x-test-client-ip": ip });

    test("sign-ups: ten an hour per IP, whatever the emails; other clients are unaffected", async ({ request }) => {
      const stamp = Date.now();
      const signUp = (ip: string, i: number) =>
        request.post("/api/password/sign-up", {
          data: { email: `ip-${stamp}-${ip}-${i}@example.com`, password: "a long enough passphrase" },
          headers: from(ip),
        });
      for (let i = 0; i < 10; i++) expect((await signUp("203.0.113.50", i)).status()).toBe(200);
      const refused = await signUp("203.0.113.50", 10);
      expect(refused.status()).toBe(429);
      expect((await refused.json()).error.code).toBe("rate_limited");
      expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
      expect((await signUp("203.0.113.51", 0)).status()).toBe(200);
    });

    test("password sign-ins: thirty per IP in 15 minutes across any emails", async ({ request }) => {
      const signIn = async (ip: string, i: number) => {
        const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
        const response = await request.post("/api/auth/callback/password", {
          form: { csrfToken, email: `nobody-${i}@example.com`, password: "not the password", callbackUrl: "/dashboard" },
          headers: from(ip),
          maxRedirects: 0,
        });
        return new URL(response.headers().location ?? "", APP_URL).searchParams.get("code");
      };
      for (let i = 0; i < 30; i++) expect(await signIn("203.0.113.60", i)).toBe("invalid_credentials");
      expect(await signIn("203.0.113.60", 30)).toBe("rate_limited");
      expect(await signIn("203.0.113.61", 31)).toBe("invalid_credentials");
    });
  });
});
