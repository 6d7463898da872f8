/**
 * The sparse variant (../lib/variant.ts): access tokens with only Supabase's required claims and
 * users with empty metadata, both with a field nobody knows; the real supabase-js client must
 * take them as they are. (The app's verifier reads them in
 * providers/identity/supabase/counterpart-answers.test.ts.)
 */
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmedSignUp, startHarness, type Harness } from "./test-support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("memory://", { variant: "sparse" });
});
afterAll(async () => {
  await h?.close();
});

describe("Supabase counterpart, sparse variant", () => {
  it("issues tokens without the optional claims, which supabase-js still accepts", async () => {
    const { token, email, supabase } = await confirmedSignUp(h, "sparse");

    const claims = decodeJwt(token);
    for (const optional of ["app_metadata", "user_metadata", "amr"]) expect(claims).not.toHaveProperty(optional);
    expect(claims).toHaveProperty("_counterpartUnknownField");

    const { data: user } = await supabase.auth.getUser(token);
    expect(user.user).toMatchObject({ email, user_metadata: {} });
    expect(user.user?.email_confirmed_at).toBeTruthy();
  });
});
