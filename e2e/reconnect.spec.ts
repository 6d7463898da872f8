// providers: identity/password wallet/alchemy wallet/turnkey
import type { Page } from "@playwright/test";
import { expectAccessible } from "./support/a11y";
import { expect, test } from "./support/test";
import { signOut, signUpWithPassword } from "./support/flows";

// Signing out ends every wallet session, not the wallets: after the next sign-in, each card of
// a wallet this person connected before says so, with its address, and offers "Reconnect".
// What it says comes from the store's record of this user (the session's), never another's.

const PASSWORD = "a long enough passphrase";

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  const form = page.getByTestId("password-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("after signing in again, each wallet connected before offers to reconnect with its earlier address, and reconnecting gives that address", async ({
  page,
  browser,
}) => {
  const email = `again-${Date.now()}@example.com`;
  await signUpWithPassword(page, email, PASSWORD);
  const ids = ["alchemy", "turnkey"] as const;
  const label = { alchemy: "Alchemy", turnkey: "Turnkey" } as const;
  const earlier: Record<string, string> = {};

  await test.step("a fresh account: nothing to reconnect", async () => {
    await expect(page.getByTestId("previous-wallet")).toHaveCount(0);
  });

  await test.step("connect Alchemy and Turnkey, then sign out", async () => {
    for (const id of ids) {
      const card = page.getByTestId(`wallet-${id}`);
      await card.getByRole("button", { name: `Connect ${label[id]}`, exact: true }).click();
      await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
      earlier[id] = (await card.getByTestId("account-address").innerText()).trim();
      // A live card shows the live connection, not the record of an earlier one.
      await expect(card.getByTestId("previous-wallet")).toHaveCount(0);
    }
    await signOut(page);
  });

  await test.step("signed in again: each card names the earlier address and offers Reconnect", async () => {
    await signInWithPassword(page, email);
    for (const id of ids) {
      const card = page.getByTestId(`wallet-${id}`);
      await expect(card.getByTestId("account-address")).toHaveCount(0);
      await expect(card.getByTestId("previous-wallet")).toContainText("You connected this wallet before, last on");
      await expect(card.getByTestId("previous-address")).toHaveText(earlier[id]!);
      await expect(card.getByRole("button", { name: `Reconnect ${label[id]}`, exact: true })).toBeEnabled();
      await expect(card.getByRole("button", { name: `Connect ${label[id]}`, exact: true })).toHaveCount(0);
    }
    // The wallet exists: no second one offered.
    await expect(page.getByRole("button", { name: "Create a wallet with a passkey" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Pre-generate the address only" })).toHaveCount(0);
    // Cards of wallets never connected stay as they were.
    await expect(page.getByTestId("wallet-moojo").getByTestId("previous-wallet")).toHaveCount(0);
    await expectAccessible(page, "dashboard offering to reconnect earlier wallets");
  });

  await test.step("'Reconnect previous wallets' reconnects each in turn, saying which; each gets its earlier address", async () => {
    const all = page.getByTestId("reconnect-previous");
    await expect(all).toContainText("You connected");
    // Every text the panel shows on the way (each step can pass faster than a poll would see it).
    await page.evaluate(() => {
      const panel = document.querySelector('[data-testid="reconnect-previous"]')!;
      const seen: string[] = [];
      (window as unknown as { reconnectTexts: string[] }).reconnectTexts = seen;
      new MutationObserver(() => {
        const text = panel.querySelector('[role="status"]')?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(panel, { subtree: true, childList: true, characterData: true });
    });
    await all.getByRole("button", { name: "Reconnect previous wallets" }).click();
    await expect(all.getByTestId("reconnect-previous-outcome")).toHaveText("Reconnected 2 wallets.");
    const texts = await page.evaluate(() => (window as unknown as { reconnectTexts: string[] }).reconnectTexts);
    expect(texts.filter((t) => /^Reconnecting (Turnkey|Alchemy Smart Wallets) \([12] of 2\)…$/.test(t)).length, texts.join(" | ")).toBe(2);
    await expect(all.getByTestId("reconnect-previous-outcome").locator("..")).toBeFocused();
    for (const id of ids) {
      const card = page.getByTestId(`wallet-${id}`);
      await expect(card.getByTestId("account-address")).toHaveText(earlier[id]!);
      await expect(card.getByTestId("previous-wallet")).toHaveCount(0);
    }
    // Nothing left to reconnect: the button goes, the outcome stays.
    await expect(all.getByRole("button", { name: "Reconnect previous wallets" })).toHaveCount(0);
    await expectAccessible(page, "dashboard after reconnecting previous wallets");
  });

  await test.step("once more, a card's own Reconnect: the same address again", async () => {
    await signOut(page);
    await signInWithPassword(page, email);
    const card = page.getByTestId("wallet-alchemy");
    await expect(card.getByTestId("previous-address")).toHaveText(earlier.alchemy!);
    await card.getByRole("button", { name: "Reconnect Alchemy", exact: true }).click();
    await expect(card.getByTestId("account-address")).toHaveText(earlier.alchemy!);
    // One left (Turnkey): its card's button is enough, no page-wide action for one wallet.
    await expect(page.getByTestId("reconnect-previous")).toHaveCount(0);
  });

  await test.step("someone else, in another browser, is offered none of it", async () => {
    const other = await browser.newContext();
    try {
      const stranger = await other.newPage();
      await signUpWithPassword(stranger, `stranger-${Date.now()}@example.com`, PASSWORD);
      await expect(stranger.getByTestId("wallet-alchemy")).toBeVisible();
      await expect(stranger.getByTestId("previous-wallet")).toHaveCount(0);
      await expect(stranger.getByText(earlier.alchemy!)).toHaveCount(0);
      await expect(stranger.getByRole("button", { name: /^Reconnect/ })).toHaveCount(0);
    } finally {
      await other.close();
    }
  });
});
