import { expect, test } from "@playwright/test";
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

    const junk = await request.post("/api/password/sign-up", { data: Buffer.from("{not json"), headers: { origin: APP_URL, "content-type": "application/json" } });
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
});
