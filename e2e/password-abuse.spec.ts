// providers: identity/password
// Password sign-up and sign-in under abuse, at the HTTP level against the production test
// stack (issue #10): no account enumeration, no owner lock-out, no queue of junk hashing in
// front of a real sign-in, and no client-chosen client address. The test stack trusts
// `x-test-client-ip` as its proxy header, so requests can speak as different clients.
import type { APIRequestContext } from "@playwright/test";
import { APP_URL, MAILBOX_URL } from "./support/stack";
import { expect, test } from "./support/test";

const PASSWORD = "a long enough passphrase";
const as = (client: string) => ({ origin: APP_URL, "x-test-client-ip": client });
let counter = 0;
const freshEmail = (label: string) => `${label}-${Date.now()}-${++counter}@example.com`;

async function mails(request: APIRequestContext, to: string): Promise<{ subject: string; text: string }[]> {
  return (
    (await (await request.get(`${MAILBOX_URL}/api/messages?to=${encodeURIComponent(to)}`)).json()) as {
      messages: { subject: string; text: string }[];
    }
  ).messages;
}

async function codeFor(request: APIRequestContext, email: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => (code = (await mails(request, email)).find((m) => m.subject === "Confirm your email")?.text.match(/\b(\d{6})\b/)?.[1]),
    )
    .toBeTruthy();
  return code!;
}

async function confirmedAccount(request: APIRequestContext, email: string, client: string): Promise<void> {
  expect((await request.post("/api/password/sign-up", { data: { email, password: PASSWORD }, headers: as(client) })).status()).toBe(200);
  const verified = await request.post("/api/password/verify-email", {
    data: { email, code: await codeFor(request, email) },
    headers: as(client),
  });
  expect(verified.status()).toBe(200);
}

/** A password sign-in through the Auth.js callback, as the sign-in form posts it; returns the refusal code, or "ok". */
async function signIn(request: APIRequestContext, client: string, email: string, password: string): Promise<string> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/password", {
    form: { csrfToken, email, password, callbackUrl: "/dashboard" },
    headers: as(client),
    maxRedirects: 0,
  });
  const location = new URL(response.headers().location ?? "", APP_URL);
  return location.searchParams.get("code") ?? (location.pathname === "/dashboard" ? "ok" : `status ${response.status()}`);
}

test.describe("password abuse", () => {
  test("sign-up with a taken address answers exactly like a fresh one and emails the owner", async ({ request }) => {
    const owner = freshEmail("taken");
    await confirmedAccount(request, owner, "198.51.100.80");
    const fresh = freshEmail("fresh");

    const forFresh = await request.post("/api/password/sign-up", {
      data: { email: fresh, password: "another long passphrase" },
      headers: as("198.51.100.81"),
    });
    const forTaken = await request.post("/api/password/sign-up", {
      data: { email: owner, password: "another long passphrase" },
      headers: as("198.51.100.81"),
    });
    expect([forFresh.status(), forTaken.status()]).toEqual([200, 200]);
    expect(await forFresh.json()).toEqual({ email: fresh });
    expect(await forTaken.json()).toEqual({ email: owner });
    await expect
      .poll(async () => (await mails(request, owner)).map((m) => m.subject))
      .toContain("Someone tried to sign up with your address");
    expect(await signIn(request, "198.51.100.82", owner, PASSWORD)).toBe("ok");
  });

  test("verify-email answers a wrong code alike for confirmed, unknown and pending addresses", async ({ request }) => {
    const confirmed = freshEmail("confirmed");
    await confirmedAccount(request, confirmed, "198.51.100.83");
    const pending = freshEmail("pending");
    await request.post("/api/password/sign-up", { data: { email: pending, password: PASSWORD }, headers: as("198.51.100.83") });
    const code = (await codeFor(request, pending)) === "000000" ? "111111" : "000000";

    const answers = [];
    for (const email of [confirmed, freshEmail("unknown"), pending]) {
      const response = await request.post("/api/password/verify-email", { data: { email, code }, headers: as("198.51.100.83") });
      answers.push({ status: response.status(), body: await response.json() });
    }
    expect(answers[0]).toEqual({ status: 400, body: { error: { code: "code_invalid", message: expect.any(String) } } });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  test("wrong passwords from another client slow that client down but never lock the owner out", async ({ request }) => {
    const owner = freshEmail("owner");
    await confirmedAccount(request, owner, "198.51.100.84");
    const attacker = [];
    for (let i = 0; i < 8; i++) attacker.push(await signIn(request, "203.0.113.84", owner, `wrong guess ${i}`));
    expect(attacker.slice(0, 3)).toEqual(["invalid_credentials", "invalid_credentials", "invalid_credentials"]);
    expect(attacker.slice(3)).toContain("rate_limited");
    expect(await signIn(request, "198.51.100.85", owner, PASSWORD)).toBe("ok");
  });

  test("an attacker with many clients who exhausts the per-email ceiling still cannot lock the owner's own browser out", async ({
    request,
    playwright,
  }) => {
    const email = freshEmail("device");
    await confirmedAccount(request, email, "198.51.100.90");
    // The owner signs in once in their browser: it gets a known-device cookie for this email.
    const ownerBrowser = await playwright.request.newContext({ baseURL: APP_URL });
    expect(await signIn(ownerBrowser, "198.51.100.91", email, PASSWORD)).toBe("ok");
    expect((await ownerBrowser.storageState()).cookies.map((c) => c.name)).toContain("byo.device");

    // 34 clients × 3 free guesses each: 102 failures, past the ceiling of 100 a day.
    for (let client = 0; client < 34; client++) {
      for (let guess = 0; guess < 3; guess++) await signIn(request, `203.0.113.${100 + client}`, email, `guess ${client}-${guess}`);
    }
    const stranger = await playwright.request.newContext({ baseURL: APP_URL });
    expect(await signIn(stranger, "198.51.100.92", email, PASSWORD)).toBe("rate_limited");
    // The owner's browser proves who it has been: in, with the right password.
    expect(await signIn(ownerBrowser, "198.51.100.91", email, PASSWORD)).toBe("ok");
    await Promise.all([ownerBrowser.dispose(), stranger.dispose()]);
  });

  test("24 parallel junk sign-ins from one client are mostly refused at once, and a real sign-in from another goes through", async ({
    request,
    playwright,
  }) => {
    const owner = freshEmail("busy");
    await confirmedAccount(request, owner, "198.51.100.86");
    // Each sign-in in its own cookie jar: Auth.js binds its CSRF token to a cookie.
    const contexts = await Promise.all(Array.from({ length: 25 }, () => playwright.request.newContext({ baseURL: APP_URL })));
    try {
      const junk = contexts.slice(1).map((c, i) => signIn(c, "203.0.113.86", freshEmail(`junk${i}`), "not the password"));
      const real = signIn(contexts[0]!, "198.51.100.87", owner, PASSWORD);
      const outcomes = await Promise.all(junk);
      expect(await real).toBe("ok");
      // One hash at a time per client: the rest are refused without hashing, not queued behind.
      expect(outcomes.filter((o) => o === "rate_limited").length).toBeGreaterThanOrEqual(12);
      expect(outcomes.every((o) => o === "rate_limited" || o === "invalid_credentials")).toBe(true);
    } finally {
      await Promise.all(contexts.map((c) => c.dispose()));
    }
  });

  test("a client cannot choose its own address: a forged peer-address header is replaced by the connection's", async ({ request }) => {
    // From this host (the test runner), without the proxy header, requests are not counted
    // per client. Were the forged header believed, this "client" would hit the 10 sign-ups an hour.
    for (let i = 0; i < 11; i++) {
      const response = await request.post("/api/password/sign-up", {
        data: { email: freshEmail("forged-peer"), password: PASSWORD },
        headers: { origin: APP_URL, "x-byo-peer-address": "203.0.113.88" },
      });
      expect(response.status()).toBe(200);
    }
  });
});
