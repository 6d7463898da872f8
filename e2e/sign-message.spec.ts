// providers: identity/password wallet/airkit wallet/alchemy
import type { Locator, Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { expect, test } from "./support/test";
import { connectAirKit, signUpWithPassword } from "./support/flows";
import { APP_URL } from "./support/stack";

/**
 * Presses "Sign a test message" on a live card and waits for the server's verdict. Returns the
 * request the browser sent to sign-verify ({ nonce, signature }), for the refused cases.
 */
async function signTestMessage(page: Page, card: Locator, provider: string): Promise<{ nonce: string; signature: string }> {
  const verify = page.waitForRequest((request) => request.url().endsWith(`/api/wallets/${provider}/sign-verify`));
  await card.getByRole("button", { name: "Sign a test message" }).click();
  const sent = (await verify).postDataJSON() as { nonce: string; signature: string };
  const result = card.getByTestId("sign-result");
  await expect(result).toContainText("Signature verified");
  // The recovered address is the card's, and the signature is the one the browser sent.
  await expect(result.getByTestId("sign-address")).toHaveText((await card.getByTestId("account-address").innerText()).trim());
  await expect(result.getByTestId("sign-signature")).toHaveText(sent.signature.toLowerCase());
  await expect(result.getByTestId("sign-message-text")).toContainText(`Nonce: ${sent.nonce}`);
  await expect(result.getByTestId("sign-message-text")).toContainText("Sign a test message for BYO Auth.");
  return sent;
}

/** A state-changing call to the app's API with this browser's session cookies. */
const post = (page: Page, path: string, data: unknown) => page.request.post(path, { data, headers: { origin: APP_URL } });

async function refusal(response: Awaited<ReturnType<typeof post>>): Promise<[number, string, string]> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return [response.status(), body.error.code, body.error.message];
}

test(
  "Alchemy: sign a test message with the browser's session key (sign-payload); the server verifies it, and refuses a replay",
  { tag: "@core" },
  async ({ page }) => {
    const card = page.getByTestId("wallet-alchemy");
    await signUpWithPassword(page, `al-sign-${Date.now()}@example.com`);
    await test.step("connect Alchemy", async () => {
      await card.getByRole("button", { name: /connect alchemy/i }).click();
      await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    });

    let sent = { nonce: "", signature: "" };
    await test.step("sign a test message: Alchemy signs with the session key kept in this browser, the server shows it verified", async () => {
      sent = await signTestMessage(page, card, "alchemy");
    });

    await test.step("the verified signature and message fit a 360 px wide phone without sideways scrolling", async () => {
      await page.setViewportSize({ width: 360, height: 800 });
      await expect(card.getByTestId("sign-result")).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.setViewportSize({ width: 1280, height: 720 });
    });

    await test.step("replaying the same nonce and signature is refused: the nonce was spent", async () => {
      const [status, code, message] = await refusal(await post(page, "/api/wallets/alchemy/sign-verify", sent));
      expect([status, code]).toEqual([409, "sign_nonce_used"]);
      expect(message).toContain("Sign a test message");
    });

    await test.step("after a reload the kept key still signs (a fresh nonce each time)", async () => {
      await page.reload();
      const again = await signTestMessage(page, card, "alchemy");
      expect(again.nonce).not.toBe(sent.nonce);
    });

    await test.step("after disconnecting, the key is gone from this browser", async () => {
      await card.getByRole("button", { name: "Disconnect" }).click();
      await expect(card.getByRole("button", { name: /connect alchemy/i })).toBeVisible();
      const kept = await page.evaluate(
        () =>
          new Promise<boolean>((resolve, reject) => {
            const open = indexedDB.open("byo-alchemy", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("keys");
            open.onsuccess = () => {
              const get = open.result.transaction("keys").objectStore("keys").get("session");
              get.onsuccess = () => resolve(get.result !== undefined);
              get.onerror = () => reject(get.error);
            };
            open.onerror = () => reject(open.error);
          }),
      );
      expect(kept).toBe(false);
    });
  },
);

test(
  "AIR Kit: sign a test message with personal_sign; the server verifies it, and refuses a signature by another key",
  { tag: "@core" },
  async ({ page }) => {
    const card = page.getByTestId("wallet-airkit");
    const email = `air-sign-${Date.now()}@example.com`;
    await signUpWithPassword(page, email);
    await test.step("connect AIR Kit (code, then MFA with a passkey)", async () => {
      await connectAirKit(page, email);
    });

    await test.step("sign a test message: AIR's wallet signs (personal_sign), the server shows it verified", async () => {
      await signTestMessage(page, card, "airkit");
    });

    await test.step("after a reload the page opens an AIR session again, without a code, and signs", async () => {
      await page.reload();
      await signTestMessage(page, card, "airkit");
    });

    await test.step("a signature of the server's message by another key is refused, naming the signer", async () => {
      const challenge = (await (await post(page, "/api/wallets/airkit/sign-challenge", {})).json()) as {
        nonce: string;
        message: string;
        address: string;
      };
      const stranger = privateKeyToAccount(generatePrivateKey());
      const signature = await stranger.signMessage({ message: challenge.message });
      const [status, code, message] = await refusal(
        await post(page, "/api/wallets/airkit/sign-verify", { nonce: challenge.nonce, signature }),
      );
      expect([status, code]).toEqual([400, "signature_wrong_signer"]);
      expect(message).toContain(stranger.address);
      expect(message).toContain(challenge.address);
      // The refused attempt spent the nonce: even the right wallet cannot use it now.
      const retry = await post(page, "/api/wallets/airkit/sign-verify", { nonce: challenge.nonce, signature });
      expect((await refusal(retry)).slice(0, 2)).toEqual([409, "sign_nonce_used"]);
    });

    await test.step("a cross-site page cannot ask for challenges or spend nonces (Origin check)", async () => {
      for (const path of ["/api/wallets/airkit/sign-challenge", "/api/wallets/airkit/sign-verify"]) {
        const response = await page.request.post(path, { data: {}, headers: { origin: "https://evil.example" } });
        expect((await refusal(response)).slice(0, 2)).toEqual([403, "bad_origin"]);
      }
    });

    await test.step("Moojo documents no signing: the server has no signing step for it", async () => {
      expect((await refusal(await post(page, "/api/wallets/moojo/sign-challenge", {}))).slice(0, 2)).toEqual([404, "not_found"]);
    });
  },
);
