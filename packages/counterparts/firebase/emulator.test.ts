/**
 * Runs the real Firebase Auth Emulator (≈ 8-15 s per start), hence the generous timeouts.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth, signOut } from "firebase/auth";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EMULATOR_WEB_API_KEY,
  EmulatorRestError,
  FirebaseEmulatorError,
  findFreePort,
  isPortFree,
  markEmailVerified,
  signInWithPassword,
  signUpWithPassword,
  startFirebaseAuthEmulator,
  type FirebaseAuthEmulatorOptions,
  type FirebaseEmulatorErrorCode,
  type RunningFirebaseAuthEmulator,
} from "./index";

const PROJECT_ID = "demo-byo-emulator-test";
const EMULATOR_TIMEOUT_MS = 60_000;
const PASSWORD = "correct-horse-battery";

let dataDir: string;
let port: number;
let emulator: RunningFirebaseAuthEmulator | undefined;
const progress: string[] = [];

function start(overrides: Partial<FirebaseAuthEmulatorOptions> = {}): Promise<RunningFirebaseAuthEmulator> {
  return startFirebaseAuthEmulator({
    port,
    projectId: PROJECT_ID,
    dataDir,
    log: (line) => progress.push(line),
    ...overrides,
  });
}

async function startError(options: Partial<FirebaseAuthEmulatorOptions>): Promise<FirebaseEmulatorError> {
  const error = await start(options).then(
    async (unexpected) => {
      await unexpected.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FirebaseEmulatorError);
  return error as FirebaseEmulatorError;
}

let emailCounter = 0;
const freshEmail = () => `user${++emailCounter}.${Date.now()}@example.com`;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "firebase-emulator-"));
  port = await findFreePort();
});

afterAll(async () => {
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("startFirebaseAuthEmulator: refused before anything is spawned", () => {
  it.each<[string, Partial<FirebaseAuthEmulatorOptions>, FirebaseEmulatorErrorCode]>([
    ["a real-looking project id", { projectId: "my-production-app" }, "emulator_config_invalid"],
    ["a demo id with upper case", { projectId: "demo-Project" }, "emulator_config_invalid"],
    ["a demo id ending with a hyphen", { projectId: "demo-project-" }, "emulator_config_invalid"],
    ["port 0 (the emulator cannot report a kernel-chosen port)", { port: 0 }, "emulator_config_invalid"],
    ["a port out of range", { port: 70_000 }, "emulator_config_invalid"],
    ["a host with a path", { host: "127.0.0.1/evil" }, "emulator_config_invalid"],
  ])("%s", async (_label, options, code) => {
    expect((await startError(options)).code).toBe(code);
  });

  it("a port that is already taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    try {
      expect((await startError({ port: address.port })).code).toBe("port_in_use");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("the real Auth Emulator", () => {
  it(
    "a start that times out is stopped and its port released",
    async () => {
      const error = await startError({ startTimeoutMs: 1_500, persist: false });
      expect(error.code).toBe("emulator_start_timeout");
      expect(error.message).toContain(`did not answer on http://127.0.0.1:${port}`);
      // Whatever it had bound is released: the next test starts on the very same port.
      expect(await isPortFree(port)).toBe(true);
    },
    EMULATOR_TIMEOUT_MS,
  );

  it(
    "an emulator that exits while starting is reported with its last output",
    async () => {
      // A half-written export (e.g. the machine died during export-on-exit) makes the import fail.
      const brokenDir = await mkdtemp(path.join(tmpdir(), "firebase-emulator-broken-"));
      try {
        await mkdir(path.join(brokenDir, "export", "auth_export"), { recursive: true });
        await writeFile(
          path.join(brokenDir, "export", "firebase-export-metadata.json"),
          JSON.stringify({ version: "15.34.2", auth: { version: "15.34.2", path: "auth_export" } }),
        );
        await writeFile(
          path.join(brokenDir, "export", "auth_export", "accounts.json"),
          '{"kind":"identitytoolkit#DownloadAccountResponse","users":[',
        );
        await writeFile(path.join(brokenDir, "export", "auth_export", "config.json"), '{"signIn":{"allowDuplicateEmails":false}}');

        const error = await startError({ dataDir: brokenDir });
        expect(error.code).toBe("emulator_exited");
        expect(error.message).toMatch(/exited early \(code 1/);
        expect(error.outputTail.join("\n")).toContain("Error during Auth Emulator import");
        expect(error.message).toContain("Error during Auth Emulator import");
        expect(await isPortFree(port)).toBe(true);
      } finally {
        await rm(brokenDir, { recursive: true, force: true });
      }
    },
    EMULATOR_TIMEOUT_MS,
  );

  it(
    "starts, reporting progress while it waits",
    async () => {
      progress.length = 0;
      emulator = await start();
      expect(emulator.url).toBe(`http://127.0.0.1:${port}`);
      expect(emulator.emulatorHost).toBe(`127.0.0.1:${port}`);
      expect(emulator.projectId).toBe(PROJECT_ID);
      expect(progress[0]).toMatch(/starting/);
      expect(progress.at(-1)).toMatch(/ready on .* after [0-9.]+ s/);
      if (emulator.startupMs > 4_000) expect(progress.some((line) => /still starting/.test(line))).toBe(true);
      const config = await fetch(`${emulator.url}/emulator/v1/projects/${PROJECT_ID}/config`);
      expect(config.status).toBe(200);
    },
    EMULATOR_TIMEOUT_MS,
  );

  it("REST sign-up returns an unsigned ID token with Firebase's iss and aud", async () => {
    if (!emulator) throw new Error("emulator not started");
    const email = freshEmail();
    const session = await signUpWithPassword(emulator.emulatorHost, { email, password: PASSWORD });
    expect(session.localId).toMatch(/^[A-Za-z0-9]{20,128}$/);

    const [, , signature] = session.idToken.split(".");
    expect(signature).toBe("");
    expect(decodeProtectedHeader(session.idToken)).toEqual({ alg: "none", typ: "JWT" });
    const claims = decodeJwt(session.idToken);
    expect(claims).toMatchObject({
      iss: `https://securetoken.google.com/${PROJECT_ID}`,
      aud: PROJECT_ID,
      sub: session.localId,
      user_id: session.localId,
      email,
      email_verified: false,
    });
    const nowSeconds = Date.now() / 1000;
    expect(claims.iat).toBeLessThanOrEqual(nowSeconds + 1);
    expect(claims.exp).toBe((claims.iat ?? 0) + 3600);
    expect(claims.auth_time).toBeLessThanOrEqual(nowSeconds + 1);
  });

  it("REST sign-in, wrong password, and marking the email verified", async () => {
    if (!emulator) throw new Error("emulator not started");
    const email = freshEmail();
    const created = await signUpWithPassword(emulator.emulatorHost, { email, password: PASSWORD });

    const wrong = await signInWithPassword(emulator.emulatorHost, { email, password: "not-the-password" }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(EmulatorRestError);
    expect((wrong as EmulatorRestError).code).toBe("INVALID_PASSWORD");

    await markEmailVerified(emulator.emulatorHost, PROJECT_ID, created.localId);
    const again = await signInWithPassword(emulator.emulatorHost, { email, password: PASSWORD });
    expect(again.localId).toBe(created.localId);
    expect(decodeJwt(again.idToken)).toMatchObject({ sub: created.localId, email_verified: true });

    const duplicate = await signUpWithPassword(emulator.emulatorHost, { email, password: PASSWORD }).catch((e: unknown) => e);
    expect((duplicate as EmulatorRestError).code).toBe("EMAIL_EXISTS");
  });

  it("the firebase web SDK signs up against it from Node", async () => {
    if (!emulator) throw new Error("emulator not started");
    const app = initializeApp(
      { apiKey: EMULATOR_WEB_API_KEY, projectId: PROJECT_ID, authDomain: `${PROJECT_ID}.firebaseapp.com` },
      `sdk-test-${Date.now()}`,
    );
    try {
      const auth = getAuth(app);
      connectAuthEmulator(auth, emulator.url, { disableWarnings: true });
      const email = freshEmail();
      const credential = await createUserWithEmailAndPassword(auth, email, PASSWORD);
      const idToken = await credential.user.getIdToken();
      expect(decodeProtectedHeader(idToken).alg).toBe("none");
      expect(decodeJwt(idToken)).toMatchObject({
        iss: `https://securetoken.google.com/${PROJECT_ID}`,
        aud: PROJECT_ID,
        sub: credential.user.uid,
        email,
      });
      await signOut(auth);

      // The SDK and the REST helpers see the same user.
      const viaRest = await signInWithPassword(emulator.emulatorHost, { email, password: PASSWORD });
      expect(viaRest.localId).toBe(credential.user.uid);
    } finally {
      await deleteApp(app);
    }
  });

  it(
    "stops, frees its port, and keeps users across a restart",
    async () => {
      if (!emulator) throw new Error("emulator not started");
      const email = freshEmail();
      const created = await signUpWithPassword(emulator.emulatorHost, { email, password: PASSWORD });

      const stopped = emulator;
      emulator = undefined;
      await stopped.close();
      await stopped.close(); // Idempotent.
      expect(stopped.outputTail().join("\n")).toMatch(/Export complete/);
      expect(await isPortFree(port)).toBe(true);
      const refused = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Error);

      emulator = await start();
      // Readiness includes the import: the user is there as soon as start() resolves.
      const signedIn = await signInWithPassword(emulator.emulatorHost, { email, password: PASSWORD });
      expect(signedIn.localId).toBe(created.localId);

      await emulator.close();
      emulator = undefined;
      expect(await isPortFree(port)).toBe(true);
    },
    2 * EMULATOR_TIMEOUT_MS,
  );
});
