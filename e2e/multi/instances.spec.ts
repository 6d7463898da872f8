// providers: identity/oidc identity/password wallet/alchemy
// Two production instances on one PostgreSQL (scripts/multi-stack.ts): what one instance does,
// the other sees, at once. HTTP-level where no browser is needed; one browser walk-through.
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createConfirmedPasswordUser } from "../../scripts/lib/app-client";
import { GRACE } from "../support/stack";
import { signInWithOidc } from "../support/flows";
import { A, B, CONTROL, MAILBOX, newClient, PASSWORD, PUBLIC_URL, uniqueEmail } from "./support";

const DATABASE_URL = `postgres://postgres:test-only-password@127.0.0.1:${Number(process.env.E2E_PORT_BASE || 3400) + 90}/postgres`;

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(DATABASE_URL);
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A confirmed password account (signed up on A) that has never signed in. */
async function newPasswordUser(what: string): Promise<string> {
  const email = uniqueEmail(what);
  await createConfirmedPasswordUser(newClient(), A, MAILBOX, email, PASSWORD);
  return email;
}

test("a session made on instance A works on B and, once signed out on B, fails on A (a copied cookie included)", async () => {
  const email = await newPasswordUser("roaming");
  const person = newClient();
  expect((await person.signInWithPassword(A, email, PASSWORD)).ok).toBe(true);
  // What a thief would have copied before sign-out.
  const copied = newClient();
  for (const [k, v] of person.cookies) copied.cookies.set(k, v);

  expect((await person.sessions(B)).status).toBe(200);
  expect((await person.sessions(A)).body?.sessions).toHaveLength(1);

  const out = await person.request(B, "/api/session/sign-out", { method: "POST" });
  expect(out.status).toBe(200);
  for (const instance of [A, B]) {
    const answer = await copied.sessions(instance);
    expect(answer.status).toBe(401);
  }
});

test("rate limits count across both instances: sign-ups per client address, and sign-in delays per (email, client)", async () => {
  const client = newClient();
  // Ten sign-ups per address per hour (IP_LIMITS.signUp), alternating instances; invalid bodies
  // are counted too (the limit runs before the body is read).
  for (let i = 0; i < 10; i++) {
    const answer = await client.json(i % 2 ? B : A, "/api/password/sign-up", { email: "not-an-email" });
    expect(answer.status, `attempt ${i + 1}`).toBe(400);
  }
  for (const instance of [A, B]) {
    const refused = await client.json<{ error: { code: string } }>(instance, "/api/password/sign-up", { email: "not-an-email" });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
  }

  // Password sign-in: three free attempts per (email, client), then a wait, wherever they land.
  const email = await newPasswordUser("guessed");
  const guesser = newClient();
  const codes: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { location } = await guesser.signInWithPassword(i % 2 ? B : A, email, "wrong password!");
    codes.push(new URL(location, PUBLIC_URL).searchParams.get("code") ?? location);
  }
  expect(codes).toEqual(["invalid_credentials", "invalid_credentials", "invalid_credentials", "rate_limited"]);
});

test("50 simultaneous first sign-ins of one new identity, spread over both instances, make one user, one identity and one wallet per provider", async () => {
  const email = await newPasswordUser("stampede");
  const clients = Array.from({ length: 50 }, (_, i) => newClient(`198.19.${Math.floor(i / 200)}.${(i % 200) + 1}`));
  // Each needs Auth.js's CSRF cookie first; then all sign-ins go at once.
  const csrf = await Promise.all(
    clients.map(async (c, i) => ((await (await c.request(i % 2 ? B : A, "/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken),
  );
  const results = await Promise.all(
    clients.map((c, i) =>
      c.request(i % 2 ? B : A, "/api/auth/callback/password", {
        form: { csrfToken: csrf[i]!, email, password: PASSWORD, callbackUrl: "/dashboard" },
      }),
    ),
  );
  const landed = results.map((r) => new URL(r.headers.get("location") ?? "", PUBLIC_URL).pathname);
  expect(
    landed.filter((p) => p === "/dashboard"),
    JSON.stringify(results.map((r) => r.headers.get("location")).filter((l) => !l?.endsWith("/dashboard"))),
  ).toHaveLength(50);

  // Every session is live, on the other instance too, and all are one person's.
  const lists = await Promise.all(clients.map((c, i) => c.sessions(i % 2 ? A : B)));
  expect(lists.every((l) => l.status === 200)).toBe(true);
  expect(lists[0]!.body!.sessions!.length).toBe(50);

  // Then every session pre-generates its Alchemy wallet at once (a server-side mint and exchange).
  const wallets = await Promise.all(
    clients.map((c, i) => c.json<{ address: string }>(i % 2 ? B : A, "/api/wallets/alchemy/pregenerate", {})),
  );
  expect(wallets.map((w) => w.status)).toEqual(Array(50).fill(200));
  expect(new Set(wallets.map((w) => w.body.address)).size).toBe(1);

  const users = await sql<{ id: string }>(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email]);
  expect(users).toHaveLength(1);
  const identities = await sql(`SELECT 1 FROM identities WHERE user_id = $1`, [users[0]!.id]);
  expect(identities).toHaveLength(1);
  const connections = await sql<{ provider: string }>(`SELECT provider FROM wallet_connections WHERE user_id = $1`, [users[0]!.id]);
  expect(connections.map((c) => c.provider)).toEqual(["alchemy"]);
  expect(await sql(`SELECT 1 FROM app_sessions WHERE user_id = $1 AND revoked_at IS NULL`, [users[0]!.id])).toHaveLength(50);
});

test("a database restart in the middle loses nothing; readiness fails while it is down; the instances recover without a restart", async () => {
  const email = await newPasswordUser("restart");
  const person = newClient();
  expect((await person.signInWithPassword(B, email, PASSWORD)).ok).toBe(true);
  const before = await person.json<{ address: string }>(A, "/api/wallets/alchemy/pregenerate", {});
  expect(before.status).toBe(200);

  await test.step("the database goes down", async () => {
    expect((await fetch(`${CONTROL}/db/stop`, { method: "POST" })).status).toBe(204);
    for (const instance of [A, B]) {
      const ready = await fetch(`${instance}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ok: false, database: "down" });
      // Liveness stays up: the process is fine, only its database is not.
      expect((await fetch(`${instance}/api/health`)).status).toBe(200);
    }
    // Fail closed: no session is honoured and no limit is skipped while nothing can be checked.
    expect((await person.sessions(A)).status).toBeGreaterThanOrEqual(500);
    const limited = await newClient().json<{ error: { code: string } }>(B, "/api/password/sign-up", {
      email: "x@example.com",
      password: "long enough password",
    });
    expect(limited.status).toBe(503);
    expect(limited.body.error.code).toBe("limits_unavailable");
  });

  await test.step("it comes back: both instances are ready again, by themselves", async () => {
    expect((await fetch(`${CONTROL}/db/start`, { method: "POST" })).status).toBe(204);
    for (const instance of [A, B]) {
      await expect.poll(async () => (await fetch(`${instance}/api/ready`)).status, { timeout: 30_000 }).toBe(200);
    }
  });

  await test.step("nothing was lost: the session, the user and the wallet are all still there", async () => {
    for (const instance of [A, B]) expect((await person.sessions(instance)).status).toBe(200);
    const again = await person.json<{ address: string }>(B, "/api/wallets/alchemy/pregenerate", {});
    expect(again.body.address).toBe(before.body.address);
    const rows = await sql<{ address: string }>(
      `SELECT w.address FROM wallet_connections w JOIN users u ON u.id = w.user_id WHERE lower(u.email) = lower($1) AND w.provider = 'alchemy'`,
      [email],
    );
    expect(rows.map((r) => r.address)).toEqual([before.body.address]);
  });
});

test("in a browser through the balancer: the dashboard lists both sessions, and Sign out everywhere else ends the other one on every instance", async ({
  page,
}) => {
  await signInWithOidc(page, GRACE);
  // The same person on a second device: a second browser context that signs in for itself.
  const other = newClient();
  const context = await page.context().browser()!.newContext();
  const laptop = await context.newPage();
  await signInWithOidc(laptop, GRACE);
  for (const cookie of await context.cookies(PUBLIC_URL)) other.cookies.set(cookie.name, cookie.value);
  expect((await other.sessions(A)).status).toBe(200);

  await page.reload();
  await page.getByText(/Where you are signed in \(2 sessions\)/).click();
  const sessions = page.getByTestId("active-session");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.first()).toContainText("this device");
  await expect(sessions.first()).toContainText(/Chrome on Linux|Chrome/);
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  // Not the page-wide announcer (also a status): the sessions list's own result.
  await expect(page.getByRole("status").filter({ hasText: /other session/ })).toHaveText("Signed out 1 other session.");
  await expect(sessions).toHaveCount(1);

  for (const instance of [A, B]) expect((await other.sessions(instance)).status).toBe(401);
  await laptop.reload();
  await expect(laptop).toHaveURL(/\/signin/);
  // This browser is still signed in, on either instance.
  await page.reload();
  await expect(page).toHaveURL(/\/dashboard$/);
  await context.close();
});
