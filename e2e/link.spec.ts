// providers: identity/oidc identity/firebase identity/supabase
// Explicit account linking (issue #9): the Firebase Auth Emulator vouches for no email, so a
// person who uses OpenID Connect and Firebase becomes ONE app user only by linking Firebase from
// the dashboard while signed in. Grace's Firebase sign-in is linked in this spec only (other
// specs that link Firebase use people of their own: e2e/support/stack.ts).
import { expect, test } from "./support/test";
import { readCodeFromMailbox, signInWithFirebase, signInWithOidc, signOut, submitFirebaseLink } from "./support/flows";
import { APP_URL, GRACE, MALLORY } from "./support/stack";

const appUserId = async (page: import("@playwright/test").Page) => (await page.getByTestId("app-user-id").innerText()).trim();

test("Grace links Firebase to her OpenID account, then either sign-in opens the same account; nobody else can link it; Supabase links the same way", async ({
  page,
}) => {
  let graceId = "";

  await test.step("sign in with OpenID Connect as Grace: Firebase is not linked yet", async () => {
    await signInWithOidc(page, GRACE);
    const linked = page.getByTestId("linked-identities");
    // Precondition, loudly: if Grace's Firebase sign-in were already someone's, this spec proves nothing.
    await expect(linked, "Grace's Firebase sign-in must not be linked before this spec (is the stack reused?)").not.toContainText(
      "Firebase",
    );
    graceId = await appUserId(page);
  });

  await test.step("link Firebase from the dashboard: the dashboard lists both sign-in methods", async () => {
    await submitFirebaseLink(page, GRACE);
    await expect(page.getByTestId("link-success")).toContainText(`Firebase (${GRACE.email}) is now linked to this account`);
    // Focus moves to the announcement, so keyboard and screen-reader users land on it.
    await expect(page.locator(":focus")).toContainText("is now linked");
    const linked = page.getByTestId("linked-identities");
    await expect(linked.getByRole("listitem")).toHaveCount(2);
    await expect(linked).toContainText("Local OpenID Provider");
    await expect(linked).toContainText("Firebase");
    // Nothing left to link for Firebase; still the same user, still signed in with OpenID.
    await expect(page.getByRole("button", { name: "Link Firebase" })).toHaveCount(0);
    await expect(page.getByTestId("app-user-id")).toHaveText(graceId);
    await expect(page.getByText(`Signed in with Local OpenID Provider as ${GRACE.email}`)).toBeVisible();
  });

  await test.step("linking left no Firebase session in the browser", async () => {
    const firebaseSessions = await page.evaluate(async () => {
      const dbs = await indexedDB.databases();
      if (!dbs.some((d) => d.name === "firebaseLocalStorageDb")) return 0;
      return new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("firebaseLocalStorageDb");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("firebaseLocalStorage")) return resolve(0);
          const count = db.transaction("firebaseLocalStorage").objectStore("firebaseLocalStorage").count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      });
    });
    expect(firebaseSessions).toBe(0);
  });

  await test.step("sign out, sign in with Firebase: the same app user", async () => {
    await signOut(page);
    await signInWithFirebase(page, GRACE);
    await expect(page.getByTestId("app-user-id")).toHaveText(graceId);
    await expect(page.getByTestId("linked-identities").getByRole("listitem")).toHaveCount(2);
    await signOut(page);
  });

  await test.step("Mallory cannot link Grace's Firebase account to hers: 409, and the message says what to do", async () => {
    await signInWithOidc(page, MALLORY);
    const malloryId = await appUserId(page);
    expect(malloryId).not.toBe(graceId);
    const form = await submitFirebaseLink(page, GRACE);
    await expect(form.getByTestId("form-error")).toHaveText(
      "This Firebase account is already linked to another account here, so it cannot be added to yours. Sign in with Firebase to use that account, or link a different Firebase account.",
    );
    await expect(page.getByTestId("link-success")).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("linked-identities")).not.toContainText("Firebase");
    await expect(page.getByTestId("app-user-id")).toHaveText(malloryId);
  });

  await test.step("Mallory links a new Supabase account instead (sign-up confirmed with a mailed code, in link mode)", async () => {
    const email = `link-sb-${Date.now()}@example.com`;
    const malloryId = await appUserId(page);
    await page.getByRole("button", { name: "Link Supabase" }).click();
    const form = page.getByTestId("link-supabase");
    await expect(form).toBeFocused();
    await form.getByRole("button", { name: "No account? Create one" }).click();
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill("supabase-pass-123");
    await form.getByRole("button", { name: "Create and link account" }).click();
    await form.getByLabel("6-digit code").fill(await readCodeFromMailbox(page.context(), email, /Confirm your signup/));
    await form.getByRole("button", { name: "Verify code and link" }).click();
    await expect(page.getByTestId("link-success")).toContainText(`Supabase (${email}) is now linked to this account`);
    await expect(page.getByTestId("linked-identities")).toContainText("Supabase");
    await expect(page.getByTestId("app-user-id")).toHaveText(malloryId);
    await expect(page.getByRole("button", { name: "Link Supabase" })).toHaveCount(0);
  });

  await test.step("the API refuses a token it cannot verify (401) and a cross-site request (403 bad_origin)", async () => {
    const refused = await page.request.post("/api/identity/link", {
      data: { provider: "firebase", idToken: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." },
      headers: { origin: APP_URL },
    });
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("id_token_invalid");

    const crossSite = await page.request.post("/api/identity/link", {
      data: { provider: "firebase", idToken: "x".repeat(40) },
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status()).toBe(403);
    expect((await crossSite.json()).error.code).toBe("bad_origin");

    const redirectOnly = await page.request.post("/api/identity/link", { data: { provider: "oidc" }, headers: { origin: APP_URL } });
    expect(redirectOnly.status()).toBe(400);
    expect((await redirectOnly.json()).error.code).toBe("link_not_supported");
  });
});
