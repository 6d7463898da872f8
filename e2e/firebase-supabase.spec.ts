// providers: identity/oidc identity/firebase identity/supabase wallet/airkit
import { readFileSync } from "node:fs";
import { expect, test } from "./support/test";
import { encode } from "next-auth/jwt";
import {
  connectAirKit,
  readCodeFromMailbox,
  signInWithFirebase,
  signInWithOidcAndLinkFirebase,
  signOut,
  signUpWithSupabase,
} from "./support/flows";
import { APP_URL, FIREBASE_EMULATOR_URL, GRACE, HEDY, STACK_DATA_DIR } from "./support/stack";

test.describe("Firebase and Supabase → AIR Kit", () => {
  test("Firebase: the emulator vouches for no email, yet a Firebase sign-in linked to a verified person reaches that person's AIR wallet", async ({
    page,
  }) => {
    // Hedy, a person of her own: her Firebase sign-in is linked to her OpenID user in this spec
    // only (a Firebase identity belongs to one app user; e2e/link.spec.ts).
    const seen = new Set<string>();
    let oidcUserId = "";
    let address = "";

    await test.step("sign in with OpenID Connect as Hedy and link her Firebase sign-in from the dashboard", async () => {
      await signInWithOidcAndLinkFirebase(page, HEDY);
      oidcUserId = (await page.getByTestId("app-user-id").innerText()).trim();
    });

    await test.step("connect AIR from OpenID Connect (a provider that verified her email)", async () => {
      address = (await connectAirKit(page, HEDY.email, seen)).address;
      await expect(page.getByTestId("wallet-airkit").getByTestId("wallet-expiry")).toContainText(/\d+m \d{2}s/);
      await expect(page.getByTestId("app-session-expiry")).toContainText(/\d+h \d{2}m \d{2}s/);
      await signOut(page);
    });

    await test.step("sign in with Firebase: the same app user; this sign-in's email counts as unverified", async () => {
      // Anyone who can reach the Auth Emulator can mark any address verified there (issue #10).
      await signInWithFirebase(page, HEDY);
      await expect(page.getByTestId("identity-email")).toHaveText(HEDY.email);
      await expect(page.getByTestId("app-user-id")).toHaveText(oidcUserId);
      await expect(page.getByText("unverified")).toBeVisible();
    });

    await test.step("AIR from the Firebase sign-in: the partner token carries the email her OpenID sign-in proved, so the same wallet, no code", async () => {
      const again = await connectAirKit(page, HEDY.email, seen);
      expect(again.askedForCode).toBe(false);
      expect(again.address).toBe(address);
    });

    await test.step("sign out ends the Firebase session too", async () => {
      await signOut(page);
      await page.goto("/dashboard");
      await expect(page).toHaveURL(/\/signin/);
    });
  });

  test("Firebase: clear errors for a wrong password, an unverified email, and an unreachable provider", async ({ page }) => {
    await test.step("an empty form asks for the email (nothing was guessed yet)", async () => {
      await page.goto("/signin");
      await page.getByRole("button", { name: "Continue with Firebase" }).click();
      const form = page.getByTestId("firebase-form");
      await form.getByRole("button", { name: "Sign in with Firebase" }).click();
      await expect(form.getByTestId("form-error")).toHaveText("Enter your email.");
    });

    await test.step("wrong password", async () => {
      const form = page.getByTestId("firebase-form");
      await form.getByLabel("Email").fill(GRACE.email);
      await form.getByLabel("Password").fill("not her password");
      await form.getByRole("button", { name: "Sign in with Firebase" }).click();
      await expect(form.getByTestId("form-error")).toHaveText("Wrong email or password.");
    });

    await test.step("provider unreachable", async () => {
      await page.route(`${FIREBASE_EMULATOR_URL}/**`, (route) => route.abort("connectionrefused"));
      const form = page.getByTestId("firebase-form");
      await form.getByLabel("Password").fill(GRACE.password);
      await form.getByRole("button", { name: "Sign in with Firebase" }).click();
      await expect(form.getByTestId("form-error")).toContainText("could not be reached");
      await page.unroute(`${FIREBASE_EMULATOR_URL}/**`);
    });

    await test.step("a new, unverified Firebase account signs in but cannot get an AIR wallet", async () => {
      const form = page.getByTestId("firebase-form");
      await form.getByRole("button", { name: "No Firebase account? Create one" }).click();
      // The mode switch re-renders the form: focus goes to its first field, not to <body>.
      await expect(form.getByLabel("Email")).toBeFocused();
      await form.getByLabel("Email").fill(`fb-${Date.now()}@example.com`);
      await form.getByLabel("Password").fill("firebase-pass-123");
      await form.getByRole("button", { name: "Create account" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByText("unverified")).toBeVisible();
      await page
        .getByTestId("wallet-airkit")
        .getByRole("button", { name: /connect air kit/i })
        .click();
      await expect(page.getByTestId("wallet-airkit").getByTestId("wallet-error")).toContainText("has not verified it");
    });

    await test.step("no dead end: the dashboard sends Firebase's verification email, and in the demo opens its link", async () => {
      const panel = page.getByTestId("email-verification");
      await panel.getByRole("button", { name: "Send verification email" }).click();
      await expect(page.getByTestId("announcer")).toHaveText(/^Verification email sent to f•••@example\.com$/);
      // The emulator sends no email; the app reads the code it kept for this address (server-side).
      await panel.getByRole("button", { name: "Verify now (demo)" }).click();
      // A new app session from a fresh ID token: Firebase now vouches for the address…
      await expect(page.getByTestId("email-verification")).toContainText("Firebase now says");
      await page.getByText("What your identity provider told the app").click();
      await expect(page.getByTestId("idp-user-info")).toContainText('"email_verified": true');
      // …and the app says plainly why it still does not take an emulator's word for it.
      await expect(page.getByTestId("email-verification")).toContainText(
        "the local Auth Emulator, whose word on an email the app does not take",
      );
    });
  });

  test(
    "Supabase: sign up with a code, connect AIR, come back with an email code to the same address",
    { tag: "@core" },
    async ({ page }) => {
      const email = `sb-${Date.now()}@example.com`;
      const seen = new Set<string>();
      let address = "";

      await test.step("sign up; Supabase emails a code to confirm the address", async () => {
        await signUpWithSupabase(page, email, seen);
        await expect(page.getByTestId("identity-email")).toHaveText(email);
      });

      await test.step("connect AIR (first time: a code)", async () => {
        const result = await connectAirKit(page, email, seen);
        expect(result.askedForCode).toBe(true);
        address = result.address;
        await signOut(page);
      });

      await test.step("a wrong password is refused clearly", async () => {
        await page.getByRole("button", { name: "Continue with Supabase" }).click();
        const form = page.getByTestId("supabase-form");
        await form.getByLabel("Email").fill(email);
        await form.getByLabel("Password").fill("wrong-password");
        await form.getByRole("button", { name: "Sign in with Supabase" }).click();
        await expect(form.getByTestId("form-error")).toHaveText("Wrong email or password.");
      });

      await test.step("sign in with an email code; AIR gives the same address without a code", async () => {
        const form = page.getByTestId("supabase-form");
        await form.getByRole("button", { name: "Email me a code instead" }).click();
        await form.getByLabel("Email").fill(email);
        await form.getByRole("button", { name: "Email me a code" }).click();
        const code = await readCodeFromMailbox(page.context(), email, /sign-in code/i, seen);
        await form.getByLabel("6-digit code").fill(code);
        await form.getByRole("button", { name: "Verify code" }).click();
        await expect(page).toHaveURL(/\/dashboard$/);
        const again = await connectAirKit(page, email, seen);
        expect(again.askedForCode).toBe(false);
        expect(again.address).toBe(address);
      });
    },
  );

  test("an expired app session sends the person back to sign in, and the API answers 401", async ({ page, context, request }) => {
    // The test stack's generated secret (scripts/lib/stack.ts).
    const { AUTH_SECRET } = JSON.parse(readFileSync(`${STACK_DATA_DIR}/dev-secrets.json`, "utf8")) as { AUTH_SECRET: string };
    const salt = "authjs.session-token";
    const expired = await encode({
      secret: AUTH_SECRET,
      salt,
      maxAge: -60,
      token: {
        sub: "usr_whoever",
        identity: { provider: "oidc", subject: "s", email: "a@example.com", emailVerified: true, name: null, userId: "usr_whoever" },
      },
    });
    await context.addCookies([{ name: salt, value: expired, url: APP_URL, httpOnly: true, sameSite: "Lax" }]);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/signin\?reason=session_expired/);
    await expect(page.getByText("Your session has ended")).toBeVisible();

    await test.step("a session renewed forever still ends AUTH_SESSION_MAX_AGE after sign-in", async () => {
      const renewed = await encode({
        secret: AUTH_SECRET,
        salt,
        maxAge: 3600, // a freshly re-issued cookie…
        token: {
          sub: "usr_whoever",
          signedInAt: Math.floor(Date.now() / 1000) - 9 * 3600, // …for a sign-in 9 h ago (the limit is 8 h)
          identity: { provider: "oidc", subject: "s", email: "a@example.com", emailVerified: true, name: null, userId: "usr_whoever" },
        },
      });
      await context.clearCookies();
      await context.addCookies([{ name: salt, value: renewed, url: APP_URL, httpOnly: true, sameSite: "Lax" }]);
      await page.goto("/dashboard");
      await expect(page).toHaveURL(/\/signin\?reason=session_expired/);
    });

    const api = await request.post("/api/wallets/airkit/partner-token", {
      data: {},
      headers: { origin: APP_URL, cookie: `${salt}=${expired}` },
    });
    expect(api.status()).toBe(401);
    expect((await api.json()).error.code).toBe("unauthenticated");
  });
});
