// The app's Moojo calls against the local counterpart over real HTTP: the documented shapes,
// "define once" under concurrency and across processes, and what each failure becomes.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningService } from "@byo/counterparts/lib/http";
import { startMoojo } from "@byo/counterparts/moojo";
import {
  createRsaKey,
  firebaseClaims,
  signIdToken,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from "@byo/counterparts/moojo/test-support";
import { MoojoSessionExpired, addCredential, authenticate, ensureDemoCredentialDefined, listCredentials } from "./client";
import { DEMO_CREDENTIAL_DEFINITION, demoCredentialRequest } from "./demo-credential";

const PROJECT = "byo-client-test";
const API_KEY = "moojo-client-test-key-0123456789abcdef";
let google: SigningKey;
let jwks: JwksServer;
let clockMs = Date.now();
const running: RunningService[] = [];
/** One counterpart for the tests that need no fresh definitions (each starts an embedded Postgres). */
let shared: { apiUrl: string; apiKey: string };

async function counterpart(): Promise<{ apiUrl: string; apiKey: string }> {
  const service = await startMoojo({
    port: 0,
    dataDir: "memory://",
    apiKey: API_KEY,
    firebase: { projectId: PROJECT, jwksUrl: jwks.url },
    now: () => new Date(clockMs),
  });
  running.push(service);
  return { apiUrl: service.url, apiKey: API_KEY };
}

const idToken = (uid: string) => signIdToken(google, firebaseClaims(PROJECT, uid, Math.floor(clockMs / 1000)));

function countRequests(path: string): () => number {
  const spy = vi.spyOn(globalThis, "fetch");
  return () => spy.mock.calls.filter(([url]) => String(url).endsWith(path)).length;
}

beforeAll(async () => {
  google = await createRsaKey();
  jwks = await startJwksServer([google.publicJwk!]);
  shared = await counterpart();
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await Promise.all(running.map((s) => s.close()));
  await jwks?.close();
});

describe("Moojo client", () => {
  it("authenticates, lists with the user token, defines once for concurrent first issues, and lists what it added", async () => {
    const moojo = shared;
    const user = await authenticate(moojo, await idToken("clientUser00000000000001"));
    expect(await listCredentials(moojo, user.token)).toEqual([]);

    const defines = countRequests("/define-credential");
    await Promise.all([ensureDemoCredentialDefined(moojo), ensureDemoCredentialDefined(moojo), ensureDemoCredentialDefined(moojo)]);
    expect(defines()).toBe(1);
    await addCredential(moojo, demoCredentialRequest(user.publicUserId, "oidc", new Date(clockMs)));
    await ensureDemoCredentialDefined(moojo);
    expect(defines()).toBe(1);

    const [credential] = await listCredentials(moojo, user.token);
    expect(credential).toMatchObject({ slug: DEMO_CREDENTIAL_DEFINITION.slug, fields: { "sign-in-method": "oidc" } });
  });

  it("a slug another process already defined the same way is fine", async () => {
    const moojo = await counterpart();
    const other = await fetch(`${moojo.apiUrl}/define-credential`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": API_KEY },
      body: JSON.stringify(DEMO_CREDENTIAL_DEFINITION),
    });
    expect(other.status).toBe(200);
    await ensureDemoCredentialDefined(moojo);
    const user = await authenticate(moojo, await idToken("clientUser00000000000002"));
    await addCredential(moojo, demoCredentialRequest(user.publicUserId, "firebase", new Date(clockMs)));
    expect(await listCredentials(moojo, user.token)).toHaveLength(1);
  }, 40_000);

  it("a slug defined differently is reported when adding, and defined again next time", async () => {
    const moojo = await counterpart();
    await fetch(`${moojo.apiUrl}/define-credential`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": API_KEY },
      body: JSON.stringify({ slug: DEMO_CREDENTIAL_DEFINITION.slug, fieldDefinitions: [{ name: "other", type: "uint" }] }),
    });
    const user = await authenticate(moojo, await idToken("clientUser00000000000003"));
    const defines = countRequests("/define-credential");
    await ensureDemoCredentialDefined(moojo); // 409: counts as defined…
    await expect(addCredential(moojo, demoCredentialRequest(user.publicUserId, "oidc", new Date(clockMs)))).rejects.toMatchObject({
      code: "upstream_unavailable",
      status: 502,
    });
    await ensureDemoCredentialDefined(moojo); // …but after a refused add, the memo is dropped.
    expect(defines()).toBe(2);
  }, 40_000);

  it("an expired user token is a session to renew, not an upstream failure", async () => {
    const moojo = shared;
    const user = await authenticate(moojo, await idToken("clientUser00000000000004"));
    clockMs += 2 * 3600 * 1000;
    try {
      const error = await listCredentials(moojo, user.token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MoojoSessionExpired);
      expect(error).toMatchObject({ code: "moojo_session_expired", status: 409 });
    } finally {
      clockMs -= 2 * 3600 * 1000;
    }
  });

  it.each<[string, { apiUrl?: string; apiKey?: string }, string]>([
    ["a wrong API key", { apiKey: `${API_KEY}x` }, "wallet_refused"],
    ["nobody answering", { apiUrl: "http://127.0.0.1:9" }, "upstream_unavailable"],
  ])("%s", async (_label, override, code) => {
    const moojo = { ...shared, ...override };
    await expect(authenticate(moojo, await idToken("clientUser00000000000005"))).rejects.toMatchObject({ code, status: 502 });
  });
});
