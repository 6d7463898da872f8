// providers: identity/oidc identity/password identity/firebase wallet/alchemy wallet/turnkey wallet/airkit
import { expect, test } from "./support/test";
import { readCodeFromMailbox, signInWithOidc, signUpWithPassword } from "./support/flows";
import { ADA, GRACE, OIDC_URL } from "./support/stack";

// What a newcomer meets on the empty dashboard and on the first connect: focus that follows
// each step, successes said in the live region, one wording, and no dead end when the app
// session ends under an open page. Each test signs up a person of its own.

const WRONG_CODE = "That code is not right. Check the latest email, or send a new code.";
const masked = (email: string) => `${email[0]}•••${email.slice(email.indexOf("@"))}`;

test("connect and disconnect say so in the live region and keep focus on the card; an ended app session leaves one 'Sign in again' state", async ({
  page,
}) => {
  const wallet = page.getByTestId("wallet-alchemy");
  const heading = page.locator("#wallet-alchemy-heading");
  const announcer = page.getByTestId("announcer");
  await signUpWithPassword(page, `ux-ended-${Date.now()}@example.com`);

  await test.step("connect: announced, focus on the card's heading, no claim that reconnecting skips a code", async () => {
    await wallet.getByRole("button", { name: "Connect Alchemy" }).click();
    await expect(wallet.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    await expect(announcer).toHaveText("Alchemy Smart Wallets connected");
    await expect(heading).toBeFocused();
    await expect(wallet.getByTestId("wallet-expiry")).toContainText("reconnect to use it again");
    await expect(page.getByTestId("wallet-expiry").filter({ hasText: "skips the email code" })).toHaveCount(0);
  });

  await test.step("disconnect: announced, focus on the card's heading", async () => {
    await wallet.getByRole("button", { name: "Disconnect" }).click();
    await expect(wallet.getByRole("button", { name: "Connect Alchemy" })).toBeVisible();
    await expect(announcer).toHaveText("Signed out of Alchemy Smart Wallets");
    await expect(heading).toBeFocused();
    await wallet.getByRole("button", { name: "Connect Alchemy" }).click();
    await expect(wallet.getByTestId("account-address")).toBeVisible();
  });

  await test.step("the app session ends (its cookie is gone); the next call answers 401 and the whole page says so", async () => {
    await expect(page.getByTestId("app-session-expiry")).toBeVisible();
    await page.context().clearCookies();
    await wallet.getByRole("button", { name: "Sign a test message" }).click();
    const ended = page.getByRole("heading", { name: "Your session ended" });
    await expect(ended).toBeFocused();
    // No card goes on claiming a live connection, and no countdown keeps running.
    await expect(page.locator('[data-testid^="wallet-"]')).toHaveCount(0);
    await expect(page.getByTestId("app-session-expiry")).toHaveCount(0);
    await expect(page.getByText("connected", { exact: true })).toHaveCount(0);
    await page.getByRole("link", { name: "Sign in again" }).click();
    await expect(page).toHaveURL(/\/signin\?reason=session_expired$/);
    await expect(page.getByTestId("signin-reason")).toBeFocused();
  });
});

test("the empty dashboard says what each wallet will do, links its docs, explains the extra buttons, and dates read one way", async ({
  page,
}) => {
  await signUpWithPassword(page, `ux-empty-${Date.now()}@example.com`);
  for (const id of ["airkit", "turnkey", "alchemy", "moojo"]) {
    const card = page.getByTestId(`wallet-${id}`);
    if ((await card.count()) === 0) continue;
    await expect(card.getByTestId("wallet-description")).toHaveText(/\w.{40,}/);
    await expect(card.getByRole("link", { name: /^Docs for / })).toHaveAttribute("href", new RegExp(`/docs/going-live/${id}\\.md$`));
  }
  await expect(page.getByRole("button", { name: "Use an email code instead" })).toHaveAccessibleDescription(/Turnkey emails a code/);
  await expect(page.getByRole("button", { name: "Pre-generate the address only" })).toHaveAccessibleDescription(/without a browser key/);
  // "last used" in the one format, with the exact instant in dateTime.
  const lastUsed = page.getByTestId("linked-identities").locator("time").first();
  await expect(lastUsed).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
  await expect(lastUsed).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});

test("Turnkey's email code: the field takes focus, the address is masked, the sent code is announced; Cancel returns focus to the card", async ({
  page,
}) => {
  const email = `ux-tk-${Date.now()}@example.com`;
  const wallet = page.getByTestId("wallet-turnkey");
  await signUpWithPassword(page, email);
  await wallet.getByRole("button", { name: "Use an email code instead" }).click();
  await expect(page.getByLabel("Code from Turnkey")).toBeFocused();
  await expect(wallet.getByTestId("code-sent-to")).toHaveText(masked(email));
  await expect(page.getByTestId("announcer")).toHaveText(`Code sent to ${masked(email)}`);
  await wallet.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator("#wallet-turnkey-heading")).toBeFocused();
});

test("AIR Kit's email code: focus on the field, the same masked address, the one wrong-code message, and 'Send a new code'", async ({
  page,
}) => {
  const email = `ux-air-${Date.now()}@example.com`;
  const wallet = page.getByTestId("wallet-airkit");
  const seen = new Set<string>();
  await signUpWithPassword(page, email);
  await wallet.getByRole("button", { name: "Connect AIR Kit" }).click();
  const field = page.getByLabel("Code from AIR Kit");
  await expect(field).toBeFocused();
  await expect(wallet.getByTestId("code-sent-to")).toHaveText(masked(email));
  await expect(page.getByTestId("announcer")).toHaveText(`Code sent to ${masked(email)}`);
  const first = await readCodeFromMailbox(page.context(), email, /AIR Kit/i, seen);
  await field.fill(first === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(page.getByTestId("air-otp")).toContainText(WRONG_CODE);

  await test.step("Send a new code: a new code arrives, and it is the one that works", async () => {
    await page.getByRole("button", { name: "Send a new code" }).click();
    await expect(page.getByLabel("Code from AIR Kit")).toBeFocused();
    await expect(page.getByTestId("air-otp")).not.toContainText(WRONG_CODE);
    const second = await readCodeFromMailbox(page.context(), email, /AIR Kit/i, seen);
    await page.getByLabel("Code from AIR Kit").fill(second);
    await page.getByRole("button", { name: "Verify code" }).click();
    await expect(wallet.getByTestId("air-mfa-needed").or(wallet.getByTestId("account-address"))).toBeVisible();
    await expect(page.getByTestId("announcer")).toHaveText("Moca AIR Kit connected");
    await expect(page.locator("#wallet-airkit-heading")).toBeFocused();
  });
});

test("sign-in forms: an empty form asks for the email; 'Create one' moves focus to the new form's first field", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "No account? Create one" }).click();
  await expect(page.getByLabel("Name (optional)")).toBeFocused();
  await page.getByRole("button", { name: "Have an account? Sign in" }).click();
  const form = page.getByTestId("password-form");
  await expect(form.getByLabel("Email")).toBeFocused();
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(form.getByTestId("form-error")).toHaveText("Enter your email.");
});

test.describe("before the page hydrates", () => {
  test.use({ javaScriptEnabled: false });
  test("buttons that need JavaScript are disabled, so an early click is visibly refused", async ({ page }) => {
    await page.goto("/signin");
    const opener = page.locator('button[type="button"]', { hasText: /^Continue with / });
    expect(await opener.count()).toBeGreaterThan(0);
    for (const button of await opener.all()) await expect(button).toBeDisabled();
  });

  test("the dashboard's connect, link and sign-out buttons are disabled too", async ({ page }) => {
    // The OpenID sign-in is plain forms and redirects: it works without JavaScript.
    await signInWithOidc(page, GRACE);
    const main = page.getByRole("main");
    await expect(main.getByRole("button", { name: "Sign out" })).toBeDisabled();
    await expect(main.getByRole("button", { name: "Link Firebase" })).toBeDisabled();
    // Whatever earlier specs left connected for Grace: every button on the page is a JavaScript
    // action (connect, disconnect, sign, copy, …), and none may look clickable yet.
    const buttons = await main.getByRole("button").all();
    expect(buttons.length).toBeGreaterThan(3);
    for (const button of buttons) await expect(button).toBeDisabled();
  });
});

test("a demo on the counterparts says so on every page, with the repository and going-live links", async ({ page }) => {
  for (const path of ["/", "/signin"]) {
    await page.goto(path);
    const banner = page.getByRole("complementary", { name: "Demo" });
    await expect(banner).toContainText("This is a demo on local stand-ins of the real providers. Nothing here is a real wallet.");
    await expect(banner.getByRole("link", { name: "Going live" })).toHaveAttribute("href", /\/docs\/going-live\.md$/);
    await expect(banner.getByRole("link", { name: "Source code" })).toHaveAttribute("href", /^https:\/\//);
  }
});

test("/signin lists the demo's public accounts, each value copyable, and signing in with one works", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/signin");
  const panel = page.getByRole("region", { name: "Demo accounts" });
  // The OpenID Provider and the Firebase emulator both seed them: the panel says both accept them.
  await expect(panel).toContainText("Sign in with Local OpenID Provider or Firebase.");
  const rows = panel.getByTestId("demo-account");
  await expect(rows.filter({ hasText: ADA.email })).toContainText(ADA.password);
  await expect(rows.filter({ hasText: GRACE.email })).toContainText(GRACE.password);

  // Copy, as a visitor would, then sign in with what the clipboard holds.
  const copy = async (name: string) => {
    await panel.getByRole("button", { name }).click();
    await expect(panel.getByRole("button", { name })).toHaveText("Copied ✓");
    return page.evaluate(() => navigator.clipboard.readText());
  };
  const email = await copy(`Copy email: ${ADA.email}`);
  const password = await copy(`Copy password of ${ADA.email}: ${ADA.password}`);
  expect({ email, password }).toEqual(ADA);

  await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
  await page.waitForURL((url) => url.href.startsWith(OIDC_URL) || url.pathname === "/dashboard");
  if (page.url().startsWith(OIDC_URL)) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page).toHaveURL(/\/dashboard$/);
});
