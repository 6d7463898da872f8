// The local OpenID Provider's view of the demo people (../lib/demo-users.ts): the claims it issues.
import type { SeededUser } from "../lib/demo-users";

export { SEEDED_USERS, type SeededUser } from "../lib/demo-users";

/** The claims a seeded user carries (everything except the password). */
export type SeededUserClaims = Omit<SeededUser, "password">;

/** The sparse variant's claims: no profile claims, and one claim no client knows. */
export function sparseClaims(user: SeededUser): { sub: string } & Record<string, unknown> {
  return {
    sub: user.sub,
    email: user.email,
    email_verified: user.email_verified,
    "https://example.com/claims/unknown": { tier: "counterpart" },
  };
}

export function publicClaims(user: SeededUser): SeededUserClaims {
  return {
    sub: user.sub,
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
  };
}
