// providers: identity/firebase identity/password wallet/airkit
// The account and wallet takeover of issue #10, end to end: with the Firebase Auth Emulator
// configured (as in the demo), someone who can reach the app posts a hand-made unsigned
// Firebase ID token claiming a victim's verified email to the Auth.js Firebase callback. It
// must not sign them in, let alone as the victim, and AIR Kit must stay out of reach.
import type { APIRequestContext } from "@playwright/test";
import { UnsecuredJWT } from "jose";
import { connectAirKit, signOut, signUpWithPassword } from "./support/flows";
import { APP_URL, FIREBASE_EMULATOR_URL } from "./support/stack";
import { expect, test } from "./support/test";

/** The test stack's Firebase project (packages/counterparts/firebase/counterpart.ts): demo-* projects live only in the emulator. */
const PROJECT_ID = "demo-byo-auth";

/** Posts an ID token to the Auth.js Firebase callback as the app's own sign-in form does; returns the refusal code, if any. */
async function postFirebaseIdToken(request: APIRequestContext, idToken: string): Promise<{ code: string | null; location: string }> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/firebase", {
    form: { csrfToken, idToken, callbackUrl: "/dashboard" },
    headers: { origin: APP_URL },
    maxRedirects: 0,
  });
  const location = response.headers().location ?? "";
  return { code: new URL(location, APP_URL).searchParams.get("code"), location };
}

/** Who the request context is signed in as, if anyone. */
async function sessionOf(
  request: APIRequestContext,
): Promise<{ identity?: { userId: string; email: string | null; provider: string } } | null> {
  const response = await request.get("/api/auth/session");
  return (await response.json()) as { identity?: { userId: string; email: string | null; provider: string } } | null;
}

test("a hand-made unsigned Firebase token claiming a victim's verified email signs nobody in, and AIR stays out of reach", async ({
  page,
  playwright,
}) => {
  const victimEmail = `victim-${Date.now()}@example.com`;
  let victimUserId = "";

  await test.step("the victim signs up with a password, confirms the email, and connects AIR", async () => {
    await signUpWithPassword(page, victimEmail);
    await connectAirKit(page, victimEmail);
    victimUserId = (await sessionOf(page.request))!.identity!.userId;
    expect(victimUserId).toMatch(/^usr_/);
    await signOut(page);
  });

  // The attacker: another client with no cookies, who never talks to the emulator.
  const attacker = await playwright.request.newContext({ baseURL: APP_URL });
  try {
    await test.step("the attacker forges an emulator-style token (alg none) for the victim's verified email", async () => {
      const now = Math.floor(Date.now() / 1000);
      const uid = `forged${now}`;
      const forged = new UnsecuredJWT({
        iss: `https://securetoken.google.com/${PROJECT_ID}`,
        aud: PROJECT_ID,
        sub: uid,
        user_id: uid,
        iat: now,
        auth_time: now,
        exp: now + 3600,
        email: victimEmail,
        email_verified: true,
        firebase: { identities: { email: [victimEmail] }, sign_in_provider: "password" },
      }).encode();

      const { code, location } = await postFirebaseIdToken(attacker, forged);
      expect(location).toContain("error=CredentialsSignin");
      expect(code).toBe("emulator_token_unknown");
    });

    await test.step("no session, and no AIR partner token for the victim", async () => {
      expect((await sessionOf(attacker))?.identity).toBeUndefined();
      const token = await attacker.post("/api/wallets/airkit/partner-token", { data: {}, headers: { origin: APP_URL } });
      expect(token.status()).toBe(401);
      expect((await token.json()).error.code).toBe("unauthenticated");
    });

    await test.step("a genuine emulator token whose claims were edited to the victim's email is refused too", async () => {
      // The attacker's own emulator account, then its token with the claims rewritten.
      const signUp = await attacker.post(`${FIREBASE_EMULATOR_URL}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key`, {
        data: { email: `attacker-${Date.now()}@example.com`, password: "attacker-pass-123", returnSecureToken: true },
      });
      expect(signUp.ok()).toBe(true);
      const { idToken } = (await signUp.json()) as { idToken: string };
      const payload = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
      const edited = new UnsecuredJWT({ ...payload, email: victimEmail, email_verified: true }).encode();
      expect((await postFirebaseIdToken(attacker, edited)).code).toBe("emulator_token_mismatch");
      expect((await sessionOf(attacker))?.identity).toBeUndefined();
    });
  } finally {
    await attacker.dispose();
  }

  await test.step("the victim still signs in to their own account", async () => {
    await page.goto("/signin");
    const form = page.getByTestId("password-form");
    await form.getByLabel("Email").fill(victimEmail);
    await form.getByLabel("Password").fill("a long enough passphrase");
    await form.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    expect((await sessionOf(page.request))!.identity!.userId).toBe(victimUserId);
  });
});

test("even an account the emulator really has, with the victim's address marked verified, gets its own app user", async ({
  page,
  playwright,
}) => {
  // Someone who CAN reach the emulator (its admin API needs no credentials) can create such an
  // account. It must not join the victim's app user by email.
  const victimEmail = `victim2-${Date.now()}@example.com`;
  await test.step("the victim signs up with a password", async () => {
    await signUpWithPassword(page, victimEmail);
  });
  const victimUserId = (await sessionOf(page.request))!.identity!.userId;

  const attacker = await playwright.request.newContext({ baseURL: APP_URL });
  try {
    await test.step("an emulator account with the victim's address, marked verified, signs in as a new user", async () => {
      const rest = `${FIREBASE_EMULATOR_URL}/identitytoolkit.googleapis.com/v1`;
      const created = (await (
        await attacker.post(`${rest}/accounts:signUp?key=fake-api-key`, {
          data: { email: victimEmail, password: "attacker-pass-123", returnSecureToken: true },
        })
      ).json()) as { localId: string };
      const verified = await attacker.post(`${rest}/projects/${PROJECT_ID}/accounts:update`, {
        data: { localId: created.localId, emailVerified: true },
        headers: { authorization: "Bearer owner" },
      });
      expect(verified.ok()).toBe(true);
      const { idToken } = (await (
        await attacker.post(`${rest}/accounts:signInWithPassword?key=fake-api-key`, {
          data: { email: victimEmail, password: "attacker-pass-123", returnSecureToken: true },
        })
      ).json()) as { idToken: string };

      const { code } = await postFirebaseIdToken(attacker, idToken);
      expect(code).toBeNull();
      const session = await sessionOf(attacker);
      expect(session?.identity).toMatchObject({ provider: "firebase", email: victimEmail });
      expect(session!.identity!.userId).not.toBe(victimUserId);
    });
  } finally {
    await attacker.dispose();
  }
});
