/**
 * The sparse variant (../lib/variant.ts): access tokens with only Supabase's required claims and
 * users with empty metadata, both with a field nobody knows. The app's own verifier and the
 * real supabase-js client must take them as they are.
 */
import { createRemoteJWKSet, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySupabaseAccessToken } from "../../providers/identity/supabase/verify-access-token";
import { latestCode, startHarness, supabaseClient, uniqueEmail, type Harness } from "./test-support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("memory://", { variant: "sparse" });
});
afterAll(async () => {
  await h?.close();
});

describe("Supabase counterpart, sparse variant", () => {
  it("issues tokens without the optional claims that the app's verifier and supabase-js still accept", async () => {
    const email = uniqueEmail("sparse");
    const supabase = supabaseClient(h.auth.url);
    await supabase.auth.signUp({ email, password: "correct horse battery" });
    const { data, error } = await supabase.auth.verifyOtp({ email, token: await latestCode(h.mailbox, email, "Confirm your signup"), type: "signup" });
    expect(error).toBeNull();
    const token = data.session!.access_token;

    const claims = decodeJwt(token);
    for (const optional of ["app_metadata", "user_metadata", "amr"]) expect(claims).not.toHaveProperty(optional);
    expect(claims).toHaveProperty("_sandboxUnknownField");

    const verified = await verifySupabaseAccessToken(token, { url: h.auth.url, keys: createRemoteJWKSet(new URL(`${h.auth.url}/auth/v1/.well-known/jwks.json`)) });
    expect(verified.sub).toBe(data.user!.id);

    const { data: user } = await supabase.auth.getUser(token);
    expect(user.user).toMatchObject({ email, user_metadata: {} });
    expect(user.user?.email_confirmed_at).toBeTruthy();
  });
});
