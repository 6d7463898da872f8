/**
 * Unsigned (emulator) Firebase ID tokens against the real Firebase Auth Emulator: accepted only
 * when the emulator confirms the token names one of its accounts, with that account's email and
 * verification. A hand-made token must fail however plausible its claims. Starts the emulator
 * (≈ 10 s).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, type JWTPayload, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVerifiedUser,
  EMULATOR_WEB_API_KEY,
  findFreePort,
  signUpWithPassword,
  startFirebaseAuthEmulator,
  type RunningFirebaseAuthEmulator,
} from "@byo/counterparts/firebase";
import { verifyFirebaseIdToken } from "./verify-id-token";

const PROJECT_ID = "demo-byo-verify-test";
const PASSWORD = "correct-horse-battery";
let dataDir: string;
let emulator: RunningFirebaseAuthEmulator;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "verify-emulator-"));
  emulator = await startFirebaseAuthEmulator({ port: await findFreePort(), projectId: PROJECT_ID, dataDir, persist: false });
}, 90_000);

afterAll(async () => {
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

const verify = (token: string) =>
  verifyFirebaseIdToken(token, {
    projectId: PROJECT_ID,
    keys: async () => Promise.reject(new Error("no Google keys here")),
    emulator: { host: emulator.emulatorHost, apiKey: EMULATOR_WEB_API_KEY },
  });

/** An unsigned token with the real emulator token's claims, some of them changed. */
const forge = (genuine: string, change: JWTPayload) => new UnsecuredJWT({ ...decodeJwt(genuine), ...change }).encode();

let emailCounter = 0;
const freshEmail = () => `verify${++emailCounter}.${Date.now()}@example.com`;

describe("unsigned Firebase ID tokens, confirmed by the Auth Emulator", () => {
  it("accepts a token the emulator issued, for the account it names", async () => {
    const victim = await createVerifiedUser(emulator.emulatorHost, PROJECT_ID, { email: freshEmail(), password: PASSWORD });
    await expect(verify(victim.idToken)).resolves.toMatchObject({ sub: victim.localId, email: victim.email, email_verified: true });
  });

  it("refuses a hand-made token for an account the emulator does not have, however plausible its claims", async () => {
    const template = await signUpWithPassword(emulator.emulatorHost, { email: freshEmail(), password: PASSWORD });
    const forged = forge(template.idToken, {
      sub: "attacker-made-uid",
      user_id: "attacker-made-uid",
      email: "victim@example.com",
      email_verified: true,
    });
    await expect(verify(forged)).rejects.toMatchObject({ code: "emulator_token_unknown" });
  });

  it.each([
    ["another email", () => ({ email: "someone-else@example.com" })],
    ["a verification the account does not have", () => ({ email_verified: true })],
    ["another subject than the account the emulator looks up", (victim: { localId: string }) => ({ sub: `${victim.localId}x` })],
  ])("refuses a token for a real account that claims %s", async (_name, change) => {
    // An unverified account: only its (unsigned) token's claims could say otherwise.
    const account = await signUpWithPassword(emulator.emulatorHost, { email: freshEmail(), password: PASSWORD });
    await expect(verify(forge(account.idToken, change(account)))).rejects.toMatchObject({ code: "emulator_token_mismatch" });
  });

  it("reports an emulator that does not answer as unreachable, never as a valid token", async () => {
    const account = await signUpWithPassword(emulator.emulatorHost, { email: freshEmail(), password: PASSWORD });
    const down = verifyFirebaseIdToken(account.idToken, {
      projectId: PROJECT_ID,
      keys: async () => Promise.reject(new Error("unused")),
      emulator: { host: `127.0.0.1:${await findFreePort()}`, apiKey: EMULATOR_WEB_API_KEY },
    });
    await expect(down).rejects.toMatchObject({ code: "provider_unreachable" });
  });
});
