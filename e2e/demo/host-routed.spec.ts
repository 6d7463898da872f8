// providers: identity/oidc identity/firebase wallet/airkit
// The demo as strangers reach it: one public https origin on one port, behind a TLS proxy
// (playwright.demo.config.ts).
// Every URL the browser is handed (pages, redirects, scripts, API calls, the OpenID Provider,
// the Firebase Auth Emulator, AIR Kit, the mailbox) must be on that origin or one of its
// sub-hosts, on the same port: a 127.0.0.1 address or another port would work only on the
// machine that runs the demo.
import type { Page, Request, Response } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { ADA, APP_URL, FIREBASE_EMULATOR_URL, OIDC_URL, WALLET_COUNTERPART_URLS } from "../support/stack";
import { connectAirKit, signOut } from "../support/flows";
import { expect, test } from "../support/test";

const PUBLIC = new URL(APP_URL);

/** True when `url` is the public origin or a sub-host of it, with the same scheme and port. */
function onPublicOrigin(url: string): boolean {
  if (!/^https?:/.test(url)) return true; // data:, blob:, about:
  const u = new URL(url);
  return (
    u.protocol === PUBLIC.protocol &&
    u.port === PUBLIC.port &&
    (u.hostname === PUBLIC.hostname || u.hostname.endsWith(`.${PUBLIC.hostname}`))
  );
}

/** Records every URL the browser requests, is redirected to or is handed in a page, across all pages of the context. */
function watchUrls(page: Page): { offenders: () => string[] } {
  const seen = new Set<string>();
  const onRequest = (request: Request) => seen.add(request.url());
  const onResponse = async (response: Response) => {
    const location = await response.headerValue("location");
    if (location) seen.add(new URL(location, response.url()).href);
    const type = (await response.headerValue("content-type")) ?? "";
    if (/text\/html|json/.test(type) && response.status() < 300) {
      // Absolute URLs inside documents and JSON (the client config in a page, a discovery
      // document). Not inside scripts: SDK bundles carry default URLs they never use.
      const body = await response.text().catch(() => "");
      for (const match of body.matchAll(/https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]|[a-z0-9.-]*localhost)(?::\d+)?/gi))
        seen.add(match[0]);
    }
  };
  page.context().on("request", onRequest);
  page.context().on("response", (response) => void onResponse(response));
  return { offenders: () => [...seen].filter((url) => !onPublicOrigin(url)).sort() };
}

test("the core path works on one public origin and never sends the browser to 127.0.0.1 or another port", async ({ page }) => {
  const urls = watchUrls(page);

  await test.step("sign in through the OpenID Provider on its sub-host", async () => {
    await page.goto("/signin");
    await expect(page.getByTestId("demo-banner")).toBeVisible();
    await expectAccessible(page, "demo /signin");
    await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
    await page.waitForURL((url) => url.href.startsWith(OIDC_URL));
    expect(new URL(page.url()).host).toBe(`oidc.${PUBLIC.host}`);
    await page.getByLabel("Email").fill(ADA.email);
    await page.getByLabel("Password").fill(ADA.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  });

  await test.step("over https every cookie is Secure, the session's with its __Secure- prefix", async () => {
    const cookies = await page.context().cookies();
    expect(cookies.length).toBeGreaterThan(0);
    if (PUBLIC.protocol === "https:") {
      expect(cookies.filter((c) => !c.secure).map((c) => `${c.domain} ${c.name}`)).toEqual([]);
      expect(cookies.find((c) => c.name === "__Secure-authjs.session-token")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    }
    // One visitor id for the public host and its sub-hosts, out of scripts' reach.
    expect(cookies.find((c) => c.name === "demo_visitor")).toMatchObject({ domain: `.${PUBLIC.hostname}`, httpOnly: true });
  });

  await test.step("connect AIR Kit (its API and the mailbox on their sub-hosts)", async () => {
    const { address } = await connectAirKit(page, ADA.email);
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await expectAccessible(page, "demo /dashboard connected");
  });

  await test.step("sign out through the OpenID Provider's logout page", async () => {
    await signOut(page);
  });

  expect(urls.offenders(), "URLs off the public origin").toEqual([]);
});

test("Firebase sign-in reaches the Auth Emulator on its sub-host", async ({ page }) => {
  const urls = watchUrls(page);
  const emulatorCalls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("identitytoolkit.googleapis.com")) emulatorCalls.push(new URL(request.url()).host);
  });
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Firebase" }).click();
  const form = page.getByTestId("firebase-form");
  await form.getByLabel("Email").fill(ADA.email);
  await form.getByLabel("Password").fill(ADA.password);
  await form.getByRole("button", { name: "Sign in with Firebase" }).click();
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
  expect(emulatorCalls.length).toBeGreaterThan(0);
  expect(new Set(emulatorCalls)).toEqual(new Set([`firebase.${PUBLIC.host}`]));
  expect(urls.offenders(), "URLs off the public origin").toEqual([]);
});

test("hosts other than the public one and its sub-hosts are refused", async ({ page }) => {
  // A Host the front proxy does not serve (what a DNS-rebinding page would send) gets 421.
  const response = await page.goto(`${PUBLIC.protocol}//nope.${PUBLIC.host}/`);
  expect(response?.status()).toBe(421);
  await expect(page.getByText(`This server answers only for ${PUBLIC.host}`)).toBeVisible();
});

test("the Firebase Auth Emulator's own API and the counterparts' launcher routes are not open to visitors", async ({ page }) => {
  // Its out-of-band codes (anyone's email verification or password reset), read from the internet.
  const codes = await page.goto(`${FIREBASE_EMULATOR_URL}/emulator/v1/projects/demo-byo-auth/oobCodes`);
  expect(codes?.status()).toBe(403);
  const launcherRoute = await page.goto(`${WALLET_COUNTERPART_URLS.turnkey}/counterpart/v1/keys`);
  expect(launcherRoute?.status()).toBe(403);
});
