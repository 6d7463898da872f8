/**
 * Moojo against the REAL Firebase Auth Emulator: users sign up in the emulator, and their
 * (unsigned) ID tokens log them in at a Moojo configured with `emulatorHost`, and only there.
 * Starting the emulator takes ≈ 8-15 s, hence the generous timeouts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth } from "firebase/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EMULATOR_WEB_API_KEY,
  findFreePort,
  signInWithPassword,
  signUpWithPassword,
  startFirebaseAuthEmulator,
  type RunningFirebaseAuthEmulator,
} from "../firebase";
import type { RunningService } from "../lib/http";
import { startMoojo } from "./index";

const PROJECT_ID = "demo-byo-moojo-it";
const API_KEY = "moojo-integration-api-key-0123456789";
const PASSWORD = "correct-horse-battery";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Envelope {
  status: string;
  traceId: string;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

let dataDir: string;
let emulator: RunningFirebaseAuthEmulator | undefined;
let moojo: RunningService | undefined;
/** The production configuration: no emulatorHost. */
let moojoProduction: RunningService | undefined;

async function authenticate(base: string, idToken: string): Promise<{ status: number; body: Envelope }> {
  const response = await fetch(`${base}/user/authenticate`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-api-key": API_KEY },
    body: JSON.stringify({ idType: "firebaseJwt", id: idToken }),
  });
  return { status: response.status, body: (await response.json()) as Envelope };
}

function running<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("not started");
  return value;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "moojo-emulator-"));
  emulator = await startFirebaseAuthEmulator({
    port: await findFreePort(),
    projectId: PROJECT_ID,
    dataDir: path.join(dataDir, "firebase"),
    persist: false,
  });
  moojo = await startMoojo({
    port: 0,
    dataDir: path.join(dataDir, "moojo"),
    apiKey: API_KEY,
    // jwksUrl stays Google's: unsigned emulator tokens never cause a fetch, so this runs offline.
    firebase: { projectId: PROJECT_ID, emulatorHost: emulator.emulatorHost },
  });
  moojoProduction = await startMoojo({
    port: 0,
    dataDir: "memory://",
    apiKey: API_KEY,
    firebase: { projectId: PROJECT_ID },
  });
}, 90_000);

afterAll(async () => {
  await moojoProduction?.close();
  await moojo?.close();
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

describe("Moojo with the real Firebase Auth Emulator", () => {
  it("an emulator user's ID token logs in; signing in again is the same Moojo user", async () => {
    const { emulatorHost } = running(emulator);
    const base = running(moojo).url;
    const email = `moojo.${Date.now()}@example.com`;
    const signedUp = await signUpWithPassword(emulatorHost, { email, password: PASSWORD });

    const first = await authenticate(base, signedUp.idToken);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("success");
    expect(first.body.traceId).toMatch(UUID);
    const data = first.body.data ?? {};
    expect(data.token).toMatch(/^[0-9a-f]{64}$/);
    expect(data.publicUserId).toMatch(UUID);
    expect(data.publicKey).toMatch(/^0x0[23][0-9a-f]{64}$/);

    // Moojo's documented user call takes the API key and the user token.
    const vault = await fetch(`${base}/user/vault/list-credentials`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, Authorization: `Bearer ${data.token}` },
    });
    expect(vault.status).toBe(200);
    expect(((await vault.json()) as Envelope).data).toEqual({ credentials: [] });

    const signedIn = await signInWithPassword(emulatorHost, { email, password: PASSWORD });
    expect(signedIn.localId).toBe(signedUp.localId);
    const second = await authenticate(base, signedIn.idToken);
    expect(second.status).toBe(200);
    expect(second.body.data?.publicUserId).toBe(data.publicUserId);
    expect(second.body.data?.publicKey).toBe(data.publicKey);
  });

  it("a token from the firebase web SDK works the same way", async () => {
    const app = initializeApp({ apiKey: EMULATOR_WEB_API_KEY, projectId: PROJECT_ID }, `moojo-it-${Date.now()}`);
    try {
      const auth = getAuth(app);
      connectAuthEmulator(auth, running(emulator).url, { disableWarnings: true });
      const credential = await createUserWithEmailAndPassword(auth, `sdk.${Date.now()}@example.com`, PASSWORD);
      const result = await authenticate(running(moojo).url, await credential.user.getIdToken());
      expect(result.status).toBe(200);
      expect(result.body.data?.publicUserId).toMatch(UUID);
    } finally {
      await deleteApp(app);
    }
  });

  it("the same emulator token is refused by a Moojo without emulatorHost (production configuration)", async () => {
    const session = await signUpWithPassword(running(emulator).emulatorHost, {
      email: `prod.${Date.now()}@example.com`,
      password: PASSWORD,
    });
    const result = await authenticate(running(moojoProduction).url, session.idToken);
    expect(result.status).toBe(401);
    expect(result.body.status).toBe("error");
    expect(result.body.error?.code).toBe("unsigned_token_rejected");
  });
});
