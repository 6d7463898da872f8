/**
 * The Firebase bridge against the real Firebase Auth Emulator: the server mints a custom token
 * (firebase-admin), the Firebase web SDK exchanges it for an ID token, and the server accepts
 * that ID token only for the session it was minted for, and only while it carries the uid the
 * app decided on for that person (once, for good). Starts the emulator (~10 s).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithCustomToken } from "firebase/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EMULATOR_WEB_API_KEY,
  findFreePort,
  startFirebaseAuthEmulator,
  type RunningFirebaseAuthEmulator,
} from "@byo/counterparts/firebase";
import type { Identity } from "@/lib/identity/types";

const PROJECT_ID = "demo-byo-bridge-test";
let dataDir: string;
let emulator: RunningFirebaseAuthEmulator;
let bridge: typeof import("./bridge");
let store: Awaited<ReturnType<typeof import("@/lib/store").getStore>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "bridge-"));
  emulator = await startFirebaseAuthEmulator({
    port: await findFreePort(),
    projectId: PROJECT_ID,
    dataDir: join(dataDir, "emulator"),
    persist: false,
  });
  // The app reads its configuration once, from the environment, like in production.
  Object.assign(process.env, {
    DATA_DIR: join(dataDir, "app"),
    AUTH_PASSWORD_ENABLED: "false",
    FIREBASE_PROJECT_ID: PROJECT_ID,
    FIREBASE_API_KEY: EMULATOR_WEB_API_KEY,
    FIREBASE_AUTH_EMULATOR_HOST: emulator.emulatorHost,
  });
  bridge = await import("./bridge");
  store = await (await import("@/lib/store")).getStore();
}, 90_000);

afterAll(async () => {
  await store?.close();
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

async function exchange(customToken: string): Promise<string> {
  const app = initializeApp({ apiKey: EMULATOR_WEB_API_KEY, projectId: PROJECT_ID }, `bridge-${Math.random()}`);
  try {
    const auth = getAuth(app);
    connectAuthEmulator(auth, `http://${emulator.emulatorHost}`, { disableWarnings: true });
    const credential = await signInWithCustomToken(auth, customToken);
    return await credential.user.getIdToken();
  } finally {
    await deleteApp(app);
  }
}

/** A custom token for an arbitrary uid, as if that Firebase user had signed in on their own. */
async function adminCustomToken(uid: string): Promise<string> {
  const { getAuth } = await import("firebase-admin/auth");
  const { initializeApp, getApps } = await import("firebase-admin/app");
  const app = getApps().find((a) => a.name === "bridge-test") ?? initializeApp({ projectId: PROJECT_ID }, "bridge-test");
  return getAuth(app).createCustomToken(uid);
}

const identity = (over: Partial<Identity>): Identity => ({
  provider: "oidc",
  subject: "oidc-sub",
  email: "ada@example.com",
  emailVerified: true,
  name: null,
  userId: "usr_placeholder",
  ...over,
});

describe("Firebase custom-token bridge", () => {
  it("gives a user of another provider a Firebase ID token for their app user id, accepted only for their session", async () => {
    const { user } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-ada",
      email: "ada@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    const ada = identity({ subject: "oidc-ada", userId: user.id });
    const { customToken, uid } = await bridge.mintFirebaseCustomToken(ada);
    expect(uid).toBe(user.id);

    const idToken = await exchange(customToken);
    await expect(bridge.verifyFirebaseIdTokenForSession(idToken, ada)).resolves.toMatchObject({ sub: user.id });

    const { user: other } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-bob",
      email: "bob@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    await expect(
      bridge.verifyFirebaseIdTokenForSession(idToken, identity({ subject: "oidc-bob", userId: other.id })),
    ).rejects.toMatchObject({
      code: "firebase_token_mismatch",
    });
  }, 30_000);

  it("uses the linked Firebase uid, so a person reaches the same Firebase user from any provider", async () => {
    const { user } = await store.linkIdentity({
      provider: "firebase",
      issuer: `https://securetoken.google.com/${PROJECT_ID}`,
      subject: "fb-uid-grace",
      email: "grace@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-grace",
      email: "grace@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    const viaOidc = identity({ subject: "oidc-grace", email: "grace@example.com", userId: user.id });
    const { uid, customToken } = await bridge.mintFirebaseCustomToken(viaOidc);
    expect(uid).toBe("fb-uid-grace");
    const idToken = await exchange(customToken);
    await expect(bridge.verifyFirebaseIdTokenForSession(idToken, viaOidc)).resolves.toMatchObject({ sub: "fb-uid-grace" });
  }, 30_000);

  it("keeps the first uid for good: a Firebase identity linked later does not change it, and its own token is refused", async () => {
    // Grace, as in issue #9: OpenID first, so the bridge decides on her app user id…
    const { user } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-hopper",
      email: "hopper@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    const viaOidc = identity({ subject: "oidc-hopper", email: "hopper@example.com", userId: user.id });
    expect((await bridge.mintFirebaseCustomToken(viaOidc)).uid).toBe(user.id);

    // …then she signs in with Firebase (a uid of its own, linked by verified email).
    const firebaseUser = await exchange(await adminCustomToken("fb-uid-hopper"));
    const { user: same } = await store.linkIdentity({
      provider: "firebase",
      issuer: `https://securetoken.google.com/${PROJECT_ID}`,
      subject: "fb-uid-hopper",
      email: "hopper@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    expect(same.id).toBe(user.id);
    const viaFirebase = identity({ provider: "firebase", subject: "fb-uid-hopper", email: "hopper@example.com", userId: user.id });

    // Whatever she signs in with, the uid stays the first one.
    expect(await bridge.firebaseUidFor(viaFirebase)).toBe(user.id);
    expect(await bridge.firebaseUidFor(viaOidc)).toBe(user.id);
    // Her own Firebase ID token carries another uid: refused, she goes through the bridge…
    await expect(bridge.verifyFirebaseIdTokenForSession(firebaseUser, viaFirebase)).rejects.toMatchObject({
      code: "firebase_token_mismatch",
    });
    // …which mints for the recorded uid, accepted for either session.
    const { customToken, uid } = await bridge.mintFirebaseCustomToken(viaFirebase);
    expect(uid).toBe(user.id);
    const bridged = await exchange(customToken);
    await expect(bridge.verifyFirebaseIdTokenForSession(bridged, viaFirebase)).resolves.toMatchObject({ sub: user.id });
    await expect(bridge.verifyFirebaseIdTokenForSession(bridged, viaOidc)).resolves.toMatchObject({ sub: user.id });
  }, 30_000);

  it("decides once under concurrency: parallel first requests all get the same uid", async () => {
    const { user } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-racer",
      email: "racer@example.com",
      emailVerified: true,
      name: null,
      profile: {},
    });
    const racer = identity({ subject: "oidc-racer", email: "racer@example.com", userId: user.id });
    const issuer = `https://securetoken.google.com/${PROJECT_ID}`;
    // Two candidates race (as if a Firebase identity were linked between two requests): one wins for everyone.
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => bridge.firebaseUidFor(racer)),
      store.claimFirebaseUid(user.id, issuer, "fb-uid-racer"),
      store.claimFirebaseUid(user.id, issuer, "fb-uid-racer"),
    ]);
    expect(new Set(results).size).toBe(1);
    expect(await bridge.firebaseUidFor(racer)).toBe(results[0]);
  }, 30_000);

  it("never gives one uid to two users", async () => {
    const { user: first } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-first",
      email: null,
      emailVerified: false,
      name: null,
      profile: {},
    });
    const { user: second } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.test",
      subject: "oidc-second",
      email: null,
      emailVerified: false,
      name: null,
      profile: {},
    });
    const issuer = `https://securetoken.google.com/${PROJECT_ID}`;
    expect(await store.claimFirebaseUid(first.id, issuer, "shared-uid")).toBe("shared-uid");
    expect(await store.claimFirebaseUid(second.id, issuer, "shared-uid")).toBeNull();
    // Another project is another namespace of uids.
    expect(await store.claimFirebaseUid(second.id, "https://securetoken.google.com/other-project", "shared-uid")).toBe("shared-uid");
  }, 30_000);
});
