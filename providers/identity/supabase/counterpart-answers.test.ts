/**
 * The Supabase Auth counterpart's sparse variant (access tokens with only Supabase's required
 * claims and a field nobody knows) read by the app's own verifier (./verify-access-token.ts).
 * Which claims each variant sends is tested in the counterparts package: supabase/variant.test.ts.
 */
import { createRemoteJWKSet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmedSignUp, startHarness, type Harness } from "@byo/counterparts/supabase/test-support";
import { verifySupabaseAccessToken } from "./verify-access-token";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("memory://", { variant: "sparse" });
});
afterAll(async () => {
  await h?.close();
});

describe("the Supabase counterpart's sparse tokens, read by the app", () => {
  it("verify with the app's verifier although the optional claims are missing", async () => {
    const { token, userId } = await confirmedSignUp(h, "sparse-app");
    const verified = await verifySupabaseAccessToken(token, {
      url: h.auth.url,
      keys: createRemoteJWKSet(new URL(`${h.auth.url}/auth/v1/.well-known/jwks.json`)),
    });
    expect(verified.sub).toBe(userId);
  });
});
