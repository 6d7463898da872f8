import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { oidcProvider } from "./index";

const ISSUER = "https://tenant.example.auth0.com/";
// Only the payload matters here: Auth.js has already verified the ID token's signature.
const idToken = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(32)));
const account = async (claims: Record<string, unknown> = { iss: ISSUER, sub: "auth0|1" }) => ({
  provider: "oidc",
  type: "oidc" as const,
  providerAccountId: "auth0|1",
  id_token: await idToken(claims),
});

describe("oidcProvider", () => {
  it("asks Auth.js for the UserInfo profile, since a conforming provider may keep scope claims out of the ID token", () => {
    const provider = oidcProvider.authjs({ oidc: { issuer: ISSUER, clientId: "c", clientSecret: "s", name: "Auth0" } } as never) as {
      idToken?: boolean;
    };
    expect(provider.idToken).toBe(false);
  });

  it("takes the issuer from the verified ID token: UserInfo carries none", async () => {
    const identity = oidcProvider.toVerifiedIdentity({
      account: await account(),
      profile: { sub: "auth0|1", email: "Ada@Example.com", email_verified: true },
      user: {},
    });
    expect(identity).toMatchObject({
      provider: "oidc",
      issuer: ISSUER,
      subject: "auth0|1",
      email: "ada@example.com",
      emailVerified: true,
      name: null,
    });
    expect(identity.profile).toEqual({ iss: ISSUER, sub: "auth0|1", email: "Ada@Example.com", email_verified: true });
  });

  it.each([
    ["absent", {}],
    ['the string "true"', { email_verified: "true" }],
    ["null", { email_verified: null }],
  ])("treats email_verified %s as not verified", async (_name, extra) => {
    const identity = oidcProvider.toVerifiedIdentity({
      account: await account(),
      profile: { sub: "auth0|1", email: "a@example.com", ...extra } as never,
      user: {},
    });
    expect(identity.emailVerified).toBe(false);
  });

  it("has no email (and so no verified email) when the provider sends none", async () => {
    const identity = oidcProvider.toVerifiedIdentity({
      account: await account(),
      profile: { sub: "auth0|1", unknown_claim: { a: 1 } },
      user: {},
    });
    expect(identity).toMatchObject({ email: null, emailVerified: false, name: null });
  });

  it("refuses a sign-in without any issuer", async () => {
    const withoutIssuer = await account({ sub: "auth0|1" });
    expect(() => oidcProvider.toVerifiedIdentity({ account: withoutIssuer, profile: { sub: "auth0|1" }, user: {} })).toThrow(/no iss/);
  });
});
