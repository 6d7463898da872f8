// providers: identity/firebase identity/oidc
/**
 * Explicit account linking against the real Firebase Auth Emulator: the signed-in user (from
 * the session, never the body) adds a Firebase sign-in by presenting a Firebase ID token that
 * passes the Firebase sign-in's own verification. Starts the emulator (~10 s).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVerifiedUser,
  EMULATOR_WEB_API_KEY,
  findFreePort,
  signUpWithPassword,
  startFirebaseAuthEmulator,
  type RunningFirebaseAuthEmulator,
} from "@byo/counterparts/firebase";

const PROJECT_ID = "demo-byo-link-test";
const PASSWORD = "correct-horse-battery";
let dataDir: string;
let emulator: RunningFirebaseAuthEmulator;
let link: typeof import("@/lib/identity/link");
let store: Awaited<ReturnType<typeof import("@/lib/store").getStore>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "link-"));
  emulator = await startFirebaseAuthEmulator({
    port: await findFreePort(),
    projectId: PROJECT_ID,
    dataDir: join(dataDir, "emulator"),
    persist: false,
  });
  // The app reads its configuration once, from the environment, like in production. OpenID
  // Connect is configured (it signs in by redirect, so it cannot be linked); Supabase is not.
  Object.assign(process.env, {
    DATA_DIR: join(dataDir, "app"),
    AUTH_PASSWORD_ENABLED: "false",
    AUTH_OIDC_ISSUER: "https://issuer.test",
    AUTH_OIDC_ID: "client",
    AUTH_OIDC_SECRET: "secret-not-used-here",
    FIREBASE_PROJECT_ID: PROJECT_ID,
    FIREBASE_API_KEY: EMULATOR_WEB_API_KEY,
    FIREBASE_AUTH_EMULATOR_HOST: emulator.emulatorHost,
    // Only this test reaches this emulator (firebase/linkable.test.ts covers a shared one).
    FIREBASE_AUTH_EMULATOR_PRIVATE: "true",
  });
  for (const name of ["SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY"]) delete process.env[name];
  link = await import("@/lib/identity/link");
  store = await (await import("@/lib/store")).getStore();
}, 90_000);

afterAll(async () => {
  await store?.close();
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

let counter = 0;
const freshEmail = () => `link${++counter}.${Date.now()}@example.com`;

/** An app user who just signed in with OpenID Connect, as the session would name them (8 h sessions). */
async function oidcUser(email: string, signedInSecondsAgo = 5) {
  const { user } = await store.linkIdentity({
    provider: "oidc",
    issuer: "https://issuer.test",
    subject: `oidc-${email}`,
    email,
    emailVerified: true,
    name: null,
    profile: {},
  });
  return { userId: user.id, sessionExpiresAt: Date.now() - signedInSecondsAgo * 1000 + 8 * 3600 * 1000 };
}

describe("linking a sign-in method to the signed-in user", () => {
  it("needs a recent sign-in: a session cookie left behind for an hour cannot add a way back in", async () => {
    const stale = await oidcUser(freshEmail(), 3600);
    const firebase = await createVerifiedUser(emulator.emulatorHost, PROJECT_ID, { email: freshEmail(), password: PASSWORD });
    await expect(link.linkSignInMethod(stale, { provider: "firebase", idToken: firebase.idToken })).rejects.toMatchObject({
      code: "recent_sign_in_required",
      status: 403,
    });
    expect(await store.listIdentities(stale.userId)).toHaveLength(1);
  });

  it("attaches the Firebase identity the token proves to the session's user, idempotently, without touching the user's email", async () => {
    const email = freshEmail();
    const ada = await oidcUser(email);
    const firebase = await createVerifiedUser(emulator.emulatorHost, PROJECT_ID, { email: freshEmail(), password: PASSWORD });

    await expect(link.linkSignInMethod(ada, { provider: "firebase", idToken: firebase.idToken })).resolves.toMatchObject({
      provider: "firebase",
      created: true,
    });
    const identities = await store.listIdentities(ada.userId);
    expect(identities.map((i) => [i.provider, i.subject])).toEqual([
      ["oidc", `oidc-${email}`],
      ["firebase", firebase.localId],
    ]);
    // The emulator vouches for no email: the linked identity's is unverified, the user's unchanged.
    expect(identities[1]).toMatchObject({ emailVerified: false });
    expect(await store.getUser(ada.userId)).toMatchObject({ email, emailVerified: true });

    // Linking again is a no-op success.
    await expect(link.linkSignInMethod(ada, { provider: "firebase", idToken: firebase.idToken })).resolves.toMatchObject({
      created: false,
    });
    expect(await store.listIdentities(ada.userId)).toHaveLength(2);

    // Signing in with Firebase now reaches the same app user.
    const signIn = await store.linkIdentity({
      provider: "firebase",
      issuer: `https://securetoken.google.com/${PROJECT_ID}`,
      subject: firebase.localId,
      email: null,
      emailVerified: false,
      name: null,
      profile: {},
    });
    expect(signIn.user.id).toBe(ada.userId);
  }, 30_000);

  it("takes the user from the session only: a userId in the body is ignored", async () => {
    const victim = await oidcUser(freshEmail());
    const attacker = await oidcUser(freshEmail());
    const firebase = await signUpWithPassword(emulator.emulatorHost, { email: freshEmail(), password: PASSWORD });
    await link.linkSignInMethod(attacker, { provider: "firebase", idToken: firebase.idToken, userId: victim.userId });
    expect((await store.listIdentities(attacker.userId)).map((i) => i.provider)).toContain("firebase");
    expect((await store.listIdentities(victim.userId)).map((i) => i.provider)).toEqual(["oidc"]);
  }, 30_000);

  it("refuses an identity that already belongs to another user with 409 identity_linked_elsewhere, and leaves it with its owner", async () => {
    const owner = await oidcUser(freshEmail());
    const other = await oidcUser(freshEmail());
    const firebase = await signUpWithPassword(emulator.emulatorHost, { email: freshEmail(), password: PASSWORD });
    await link.linkSignInMethod(owner, { provider: "firebase", idToken: firebase.idToken });
    await expect(link.linkSignInMethod(other, { provider: "firebase", idToken: firebase.idToken })).rejects.toMatchObject({
      code: "identity_linked_elsewhere",
      status: 409,
      message: expect.stringMatching(/Sign in with Firebase to use that account, or link a different Firebase account/),
    });
    expect((await store.listIdentities(other.userId)).map((i) => i.provider)).toEqual(["oidc"]);
    expect((await store.listIdentities(owner.userId)).map((i) => i.provider)).toEqual(["oidc", "firebase"]);
  }, 30_000);

  it.each([
    [
      "a token of another provider's shape (Supabase's accessToken field)",
      () => ({ provider: "firebase", accessToken: "x".repeat(40) }),
      { name: "ZodError" },
    ],
    [
      "a hand-made unsigned token",
      () => ({ provider: "firebase", idToken: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." }),
      { code: "iss_invalid" },
    ],
    [
      "a sign-in method that cannot be linked (OpenID Connect signs in by redirect)",
      () => ({ provider: "oidc", idToken: "x".repeat(40) }),
      { code: "link_not_supported", status: 400 },
    ],
    [
      "a provider this server does not configure",
      () => ({ provider: "supabase", accessToken: "x".repeat(40) }),
      { code: "provider_not_configured", status: 404 },
    ],
    ["an unknown provider", () => ({ provider: "github", idToken: "x".repeat(40) }), { code: "provider_not_configured", status: 404 }],
  ])(
    "refuses %s",
    async (_name, body, expected) => {
      const user = await oidcUser(freshEmail());
      await expect(link.linkSignInMethod(user, body())).rejects.toMatchObject(expected);
      expect(await store.listIdentities(user.userId)).toHaveLength(1);
    },
    30_000,
  );
});
