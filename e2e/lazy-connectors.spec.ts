// providers: identity/password wallet/airkit wallet/alchemy wallet/moojo wallet/turnkey
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { signUpWithPassword, startAirKitConnect } from "./support/flows";

// A wallet card loads its provider's code (the connector and its SDK) on the first press, not
// with the page: an empty dashboard with every SDK in its first load blocked a phone's main
// thread for over a second (issue #14). The static side is checked by
// providers/wallets/registry.client.test.ts; these check what the browser really requests.

/** Every script the page requests from now on, in order. */
function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
  });
  return scripts;
}

/** A fresh load of the dashboard, settled, with the pointer away from every card (hovering a card starts loading its code). */
async function settledDashboard(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.reload();
  await page.waitForLoadState("networkidle");
  // Hydrated: the buttons are enabled once React runs the page.
  await expect(page.getByTestId("wallet-turnkey").getByRole("button", { name: "Connect Turnkey" })).toBeEnabled();
}

test("the empty dashboard requests no wallet provider's code; each card's first press loads its own and connects without a second press", async ({
  page,
}) => {
  const email = `lazy-${Date.now()}@example.com`;
  await signUpWithPassword(page, email);
  const scripts = recordScripts(page);
  await settledDashboard(page);
  const idle = scripts.length;
  await page.waitForTimeout(1_000);
  expect(scripts.slice(idle), "scripts requested by a dashboard nobody touched").toEqual([]);

  // Each press must request code the page had not loaded: a connector loaded with the page
  // (next/dynamic renders it at once, and so fetches it) would need no request here.
  const pressed = async (id: string, connect: () => Promise<void>) => {
    const before = scripts.length;
    await connect();
    expect(scripts.slice(before), `scripts the first press on ${id} requested`).not.toEqual([]);
  };
  await test.step("Turnkey: one press loads the Embedded Wallet Kit, then connects", () =>
    pressed("turnkey", async () => {
      const card = page.getByTestId("wallet-turnkey");
      await card.getByRole("button", { name: "Connect Turnkey" }).click();
      await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    }));
  await test.step("AIR Kit: one press loads its client, then logs in (its email code is still asked for)", () =>
    pressed("airkit", async () => {
      await startAirKitConnect(page, email);
    }));
  await test.step("Alchemy: one press loads its connector, then connects", () =>
    pressed("alchemy", async () => {
      const card = page.getByTestId("wallet-alchemy");
      await card.getByRole("button", { name: "Connect Alchemy" }).click();
      await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    }));
  await test.step("Moojo: one press loads its connector (and Firebase), then connects", () =>
    pressed("moojo", async () => {
      const card = page.getByTestId("wallet-moojo");
      await card.getByRole("button", { name: "Connect Moojo" }).click();
      await expect(card.getByTestId("account-address")).toBeVisible();
    }));
});

test("a slow connector says it is loading and counts the seconds; a failed load says what to do, and the next press loads and connects", async ({
  page,
}) => {
  await signUpWithPassword(page, `lazy-fail-${Date.now()}@example.com`);
  await settledDashboard(page);
  const card = page.getByTestId("wallet-alchemy");
  const connect = card.getByRole("button", { name: "Connect Alchemy" });
  // From here on, every script the page asks for is held, then refused: the network went away.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/**", async (route) => {
    await held;
    await route.abort("internetdisconnected");
  });

  await connect.click();
  const status = card.getByRole("status");
  await expect(status).toHaveText("Loading Alchemy Smart Wallets…");
  await expect(connect).toBeDisabled();
  await expect(status).toContainText(/^Still loading Alchemy Smart Wallets… \d+ s/, { timeout: 10_000 });
  release();
  await expect(card.getByTestId("wallet-error")).toHaveText(
    "Alchemy Smart Wallets could not be loaded. Check your connection, then try again.",
  );
  await expect(status).toHaveCount(0);

  await page.unroute("**/_next/static/**");
  await connect.click();
  await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  await expect(card.getByTestId("wallet-error")).toHaveCount(0);
});
