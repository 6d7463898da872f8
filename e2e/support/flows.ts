import { type BrowserContext, expect, type Locator, type Page, test } from "@playwright/test";
import { MAILBOX_URL, OIDC_URL } from "./stack";

/**
 * Reads the newest 6-digit code sent to `to` whose subject matches, from the local mailbox
 * page, as a person would: in another tab. Only codes not in `seen` count, so a test never
 * reuses an older email's code.
 */
export async function readCodeFromMailbox(
  context: BrowserContext,
  to: string,
  subject: RegExp,
  seen: Set<string> = new Set(),
): Promise<string> {
  const mailbox = await context.newPage();
  try {
    let code: string | undefined;
    await expect
      .poll(
        async () => {
          await mailbox.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(to)}`);
          const messages = mailbox
            .getByTestId("message")
            .filter({ has: mailbox.getByTestId("message-subject").filter({ hasText: subject }) });
          if ((await messages.count()) === 0) return undefined;
          const body = await messages.first().getByTestId("message-body").innerText();
          const found = body.match(/\b(\d{6})\b/)?.[1];
          code = found && !seen.has(found) ? found : undefined;
          return code;
        },
        { timeout: 20_000, message: `a code for ${to} in the mailbox` },
      )
      .toBeTruthy();
    seen.add(code!);
    return code!;
  } finally {
    await mailbox.close();
  }
}

const virtualAuthenticators = new WeakMap<Page, string>();

/**
 * The P-256 login keys Turnkey's Embedded Wallet Kit keeps in this origin's IndexedDB (its
 * `TurnkeyStamperDB` / `KeyStore`, keyed by compressed public key): which keys, and whether any
 * private key could be exported.
 */
export async function turnkeyKitKeys(page: Page): Promise<{ publicKey: string; extractable: boolean }[]> {
  return page.evaluate(
    () =>
      new Promise<{ publicKey: string; extractable: boolean }[]>((resolve, reject) => {
        const open = indexedDB.open("TurnkeyStamperDB", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("KeyStore");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction("KeyStore").objectStore("KeyStore");
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () => {
            const privateKeys = values.result as CryptoKey[];
            resolve((keys.result as string[]).map((publicKey, i) => ({ publicKey, extractable: privateKeys[i]!.extractable })));
            open.result.close();
          };
        };
      }),
  );
}

/**
 * Gives the page a passkey authenticator, as a person's device would have: Chromium's virtual
 * authenticator (CTAP2, built in, resident keys, user verification that succeeds).
 */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  if (virtualAuthenticators.has(page)) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  virtualAuthenticators.set(page, authenticatorId);
}

/**
 * Clicks "Connect AIR Kit" and enters a code from the mailbox if AIR asks for one; stops when
 * the card shows either the address or AIR's "set up MFA" notice (no address before MFA).
 */
export async function startAirKitConnect(
  page: Page,
  email: string,
  seen?: Set<string>,
): Promise<{ askedForCode: boolean; askedForMfa: boolean }> {
  const wallet = page.getByTestId("wallet-airkit");
  await wallet.getByRole("button", { name: /connect air kit/i }).click();
  const codeForm = page.getByTestId("air-otp");
  const done = wallet.getByTestId("account-address").or(wallet.getByTestId("air-mfa-needed"));
  await expect(codeForm.or(done)).toBeVisible();
  const askedForCode = await codeForm.isVisible();
  if (askedForCode) {
    await test.step("read AIR Kit's code in the local mailbox and enter it", async () => {
      const code = await readCodeFromMailbox(page.context(), email, /AIR Kit/i, seen);
      await page.getByLabel("Code from AIR Kit").fill(code);
      await page.getByRole("button", { name: "Verify code" }).click();
    });
  }
  await expect(done).toBeVisible();
  return { askedForCode, askedForMfa: await wallet.getByTestId("air-mfa-needed").isVisible() };
}

/** On a card waiting for MFA: creates a passkey with the virtual authenticator; returns the address AIR then gives out. */
export async function completeAirKitMfa(page: Page): Promise<string> {
  const wallet = page.getByTestId("wallet-airkit");
  await test.step("set up MFA: create a passkey (Chromium's virtual authenticator)", async () => {
    await addVirtualAuthenticator(page);
    await wallet.getByRole("button", { name: "Set up MFA" }).click();
  });
  const address = wallet.getByTestId("account-address");
  await expect(address).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  return (await address.innerText()).trim();
}

/**
 * Connects AIR Kit from the dashboard: enters a code from the mailbox if AIR asks for one, and
 * sets up MFA with a passkey if AIR asks for that (first connect), as a person would.
 */
export async function connectAirKit(
  page: Page,
  email: string,
  seen?: Set<string>,
): Promise<{ askedForCode: boolean; askedForMfa: boolean; address: string }> {
  const { askedForCode, askedForMfa } = await startAirKitConnect(page, email, seen);
  if (askedForMfa) return { askedForCode, askedForMfa, address: await completeAirKitMfa(page) };
  const address = page.getByTestId("wallet-airkit").getByTestId("account-address");
  await expect(address).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  return { askedForCode, askedForMfa, address: (await address.innerText()).trim() };
}

/**
 * Signs out as a person would. After an OpenID sign-in the app sends the browser on to the
 * provider's logout page (RP-initiated logout), where the person confirms.
 */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.href.startsWith(OIDC_URL) || url.pathname === "/signin");
  if (page.url().startsWith(OIDC_URL)) {
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await expect(page).toHaveURL(/\/signin\?state=signed_out$/);
  } else {
    await expect(page).toHaveURL(/\/signin\?reason=signed_out/);
  }
  await expect(page.getByText("You are signed out")).toBeVisible();
}

/**
 * Signs in through the local OpenID Provider. The provider may remember the browser (single
 * sign-on) and send it straight back, or show its login page.
 */
export async function signInWithOidc(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
  await page.waitForURL((url) => url.href.startsWith(OIDC_URL) || url.pathname === "/dashboard");
  if (page.url().startsWith(OIDC_URL)) {
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signInWithFirebase(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Firebase" }).click();
  const form = page.getByTestId("firebase-form");
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Sign in with Firebase" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Creates a Supabase account (email and password, confirmed with the mailed code) and lands on the dashboard. */
export async function signUpWithSupabase(page: Page, email: string, seen?: Set<string>): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Supabase" }).click();
  const form = page.getByTestId("supabase-form");
  await form.getByRole("button", { name: "No account? Create one" }).click();
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill("supabase-pass-123");
  await form.getByRole("button", { name: "Create account" }).click();
  // The code prompt links to this address's page in the mailbox: on the public demo, opening it
  // is what gives the code (mailed on a cross-origin call, without cookies) to this browser.
  await expect(form.getByRole("link", { name: "local mailbox" })).toHaveAttribute(
    "href",
    `${MAILBOX_URL}/?to=${encodeURIComponent(email)}`,
  );
  await form.getByLabel("6-digit code").fill(await readCodeFromMailbox(page.context(), email, /Confirm your signup/, seen));
  await form.getByRole("button", { name: "Verify code" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Creates an email-and-password account (confirmed with the mailed code) and lands on the dashboard. */
export async function signUpWithPassword(page: Page, email: string, password = "a long enough passphrase"): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "No account? Create one" }).click();
  const form = page.getByTestId("password-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Create account" }).click();
  await form.getByLabel("6-digit code").fill(await readCodeFromMailbox(page.context(), email, /Confirm your email/));
  await form.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/**
 * On the dashboard of a signed-in person: opens "Link Firebase", proves `firebaseUser`'s
 * Firebase account in the form that opens (explicit account linking) and submits. Returns the
 * form; the caller checks the outcome (success announcement or error).
 */
export async function submitFirebaseLink(page: Page, firebaseUser: { email: string; password: string }): Promise<Locator> {
  const form = page.getByTestId("link-firebase");
  // A click that lands before the dashboard has hydrated opens nothing: click again until the
  // form is there (the button is replaced by the form, so a second click cannot close it).
  await expect(async () => {
    if (!(await form.isVisible())) await page.getByRole("button", { name: "Link Firebase" }).click();
    await expect(form).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await expect(form).toBeFocused();
  await form.getByLabel("Email").fill(firebaseUser.email);
  await form.getByLabel("Password").fill(firebaseUser.password);
  await form.getByRole("button", { name: "Link Firebase account" }).click();
  return form;
}

/**
 * Signs in with OpenID Connect and makes sure the person's Firebase sign-in (the seeded
 * emulator user with the same email and password) is linked to that same app user: links it
 * from the dashboard unless it is linked already. Fails loudly when the Firebase identity
 * belongs to another app user (someone signed in with it before it was linked), since every
 * later step would then test the wrong person.
 */
export async function signInWithOidcAndLinkFirebase(
  page: Page,
  user: { email: string; password: string },
): Promise<{ linkedNow: boolean }> {
  await signInWithOidc(page, user);
  const linked = page.getByTestId("linked-identities");
  if ((await linked.innerText()).includes("Firebase")) return { linkedNow: false };
  const form = await submitFirebaseLink(page, user);
  const success = page.getByTestId("link-success");
  const refused = form.getByTestId("form-error");
  await expect(success.or(refused)).toBeVisible();
  if (await refused.isVisible()) {
    throw new Error(
      `${user.email}'s Firebase sign-in could not be linked to their OpenID user (${await refused.innerText()}). Another spec signed in with it before linking it; give this spec a person of its own.`,
    );
  }
  await expect(linked).toContainText("Firebase");
  return { linkedNow: true };
}
