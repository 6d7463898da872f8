// providers: identity/password identity/supabase
// Two strangers on the public demo at once (playwright.demo.config.ts): two browsers, each its
// own visitor (the front proxy's cookie). Each reads the codes for the address it uses in the
// shared local mailbox; neither sees the other's, and neither can read a code meant for the
// other's address by asking for one (no takeover through the demo mailbox).
import type { BrowserContext } from "@playwright/test";
import { signOut, signUpWithPassword, signUpWithSupabase } from "../support/flows";
import { MAILBOX_URL } from "../support/stack";
import { expect, test } from "../support/test";

/** The mailbox page of `to` as this browser sees it: its messages' recipients, and whether it is another visitor's. */
async function mailboxOf(context: BrowserContext, to?: string): Promise<{ recipients: string[]; taken: boolean; page: string }> {
  const page = await context.newPage();
  try {
    await page.goto(`${MAILBOX_URL}/${to ? `?to=${encodeURIComponent(to)}` : ""}`);
    const recipients = await page.getByTestId("message").evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ""));
    return { recipients, taken: await page.getByTestId("inbox-taken").isVisible(), page: await page.content() };
  } finally {
    await page.close();
  }
}

test("two visitors each see only their own codes, and cannot read codes for each other's address", async ({ browser }) => {
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  const stamp = Date.now();
  const aliceEmail = `alice-${stamp}@example.com`;
  const bobEmail = `bob-${stamp}@example.com`;
  try {
    await test.step("Alice signs up with a password (the app's own mail), Bob with Supabase (the counterpart's), at once", async () => {
      const [alicePage, bobPage] = [await alice.newPage(), await bob.newPage()];
      await Promise.all([signUpWithPassword(alicePage, aliceEmail), signUpWithSupabase(bobPage, bobEmail)]);
    });

    await test.step("each mailbox lists only its own browser's address", async () => {
      const forAlice = await mailboxOf(alice);
      const forBob = await mailboxOf(bob);
      expect(forAlice.recipients.some((r) => r.includes(aliceEmail))).toBe(true);
      expect(forAlice.page).not.toContain(bobEmail);
      expect(forBob.recipients.some((r) => r.includes(bobEmail))).toBe(true);
      expect(forBob.page).not.toContain(aliceEmail);
    });

    await test.step("opening the other's address shows that it is taken, and nothing of it", async () => {
      const bobLooks = await mailboxOf(bob, aliceEmail);
      expect(bobLooks.taken).toBe(true);
      expect(bobLooks.recipients).toEqual([]);
      const aliceLooks = await mailboxOf(alice, bobEmail);
      expect(aliceLooks.taken).toBe(true);
      expect(aliceLooks.recipients).toEqual([]);
    });

    await test.step("Bob asks for a code to Alice's address: it reaches Alice's mailbox, not his", async () => {
      const page = await bob.newPage();
      await page.goto("/dashboard");
      // Signed out, Bob is still the same visitor (the cookie is the browser's, not the session's).
      await signOut(page);
      await page.getByRole("button", { name: "No account? Create one" }).click();
      const form = page.getByTestId("password-form");
      await form.getByLabel("Email").fill(aliceEmail);
      await form.getByLabel("Password").fill("a long enough passphrase");
      await form.getByRole("button", { name: "Create account" }).click();
      await expect(form.getByLabel("6-digit code")).toBeVisible();
      await expect
        .poll(async () => (await mailboxOf(alice, aliceEmail)).recipients.length, { message: "the second message reaches Alice" })
        .toBe(2);
      expect((await mailboxOf(bob)).page).not.toContain(aliceEmail);
    });
  } finally {
    await alice.close();
    await bob.close();
  }
});
