// providers: identity/password wallet/airkit
import { expect, test } from "./support/test";
import { connectAirKit, readCodeFromMailbox, signOut } from "./support/flows";
import { MAILBOX_URL } from "./support/stack";

test.describe("Email and password → AIR Kit", () => {
  test("sign up, confirm the email, connect AIR, and come back to the same address without a code", async ({ page }) => {
    const email = `pat-${Date.now()}@example.com`;
    const password = "a long enough passphrase";
    const seen = new Set<string>();
    let firstAddress = "";

    await test.step("create an account; weak passwords are refused", async () => {
      await page.goto("/signin");
      await page.getByRole("button", { name: "No account? Create one" }).click();
      await page.getByTestId("password-form").getByLabel("Email").fill(email);
      await page.getByTestId("password-form").getByLabel("Password").fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByTestId("form-error")).toContainText("at least 10 characters");
      await page.getByTestId("password-form").getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByText(`Check your email: we sent a message to ${email}`)).toBeVisible();
    });

    await test.step("confirm the email with the code from the mailbox; a wrong code is refused", async () => {
      await page.getByLabel("6-digit code").fill("000000");
      await page.getByRole("button", { name: "Confirm and sign in" }).click();
      await expect(page.getByTestId("form-error")).toHaveText(
        "That code did not work. Check that it is the newest one we sent, or send a new code.",
      );
      const code = await readCodeFromMailbox(page.context(), email, /Confirm your email/, seen);
      await page.getByLabel("6-digit code").fill(code);
      await page.getByRole("button", { name: "Confirm and sign in" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("identity-email")).toHaveText(email);
    });

    await test.step("connect AIR Kit: first login asks for a code", async () => {
      const result = await connectAirKit(page, email, seen);
      expect(result.askedForCode).toBe(true);
      firstAddress = result.address;
    });

    await test.step("sign out", async () => {
      await signOut(page);
    });

    await test.step("signing up again with a taken email looks like any sign-up; the owner's inbox explains", async () => {
      await page.getByRole("button", { name: "No account? Create one" }).click();
      await page.getByTestId("password-form").getByLabel("Email").fill(email);
      await page.getByTestId("password-form").getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByText(`Check your email: we sent a message to ${email}`)).toBeVisible();
      await expect(page.getByTestId("form-error")).toHaveCount(0);
      const mailbox = await page.context().newPage();
      await expect
        .poll(async () => {
          await mailbox.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(email)}`);
          return mailbox.getByTestId("message-subject").filter({ hasText: "Someone tried to sign up with your address" }).count();
        })
        .toBe(1);
      await mailbox.close();
    });

    await test.step("a wrong password gets a clear error", async () => {
      await page.getByRole("button", { name: "Have an account? Sign in" }).click();
      await page.getByTestId("password-form").getByLabel("Email").fill(email);
      await page.getByTestId("password-form").getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
    });

    await test.step("sign in again: same address, no code", async () => {
      await page.getByTestId("password-form").getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      const again = await connectAirKit(page, email, seen);
      expect(again.askedForCode).toBe(false);
      expect(again.address).toBe(firstAddress);
    });
  });
});
