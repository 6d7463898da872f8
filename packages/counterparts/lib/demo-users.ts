/**
 * Demo people of the counterparts: the seeded end-users of the local OpenID Provider (the offline
 * Auth0/Okta/Keycloak stand-in), also created in the Firebase Auth Emulator (../firebase/counterpart.ts).
 * Shared code (not under oidc/) because each of the two may run without the other.
 *
 * These are demo credentials. They are public on purpose: the login page lists them in a hint
 * box, the app's /signin lists them (DEMO_ACCOUNTS, from `publicDemoAccounts` below), tests sign
 * in with them, and the README documents them. The retention sweeps never remove them.
 *
 *   email                 password                  email_verified
 *   ada@example.com       correct horse battery     true
 *   grace@example.com     hopper-cobol-1959         true
 *   mallory@example.com   not-to-be-trusted         false   (exercises "unverified email" handling)
 *   hedy@example.com      frequency-hopping-1942    true
 *   katherine@example.com orbital-mechanics-1962    true
 *
 * Hedy and Katherine exist so that end-to-end tests which link a Firebase sign-in to an OpenID
 * user (explicit account linking) each have a person of their own: a person's Firebase
 * identity can belong to one app user only, so specs sharing a person would depend on order.
 *
 * `sub` is a stable, opaque identifier (never the email), exactly like a real IdP would
 * issue: an RP must key its users on (iss, sub), not on the email address.
 *
 * Plaintext passwords live only here; the provider hashes them with scrypt at startup and
 * compares hashes in constant time (see ../oidc/accounts.ts).
 */

export interface SeededUser {
  /** Stable opaque subject identifier. */
  readonly sub: string;
  readonly email: string;
  readonly email_verified: boolean;
  readonly name: string;
  readonly given_name: string;
  readonly family_name: string;
  /** Demo password (plaintext on purpose, see the file header). */
  readonly password: string;
}

export const SEEDED_USERS: readonly SeededUser[] = Object.freeze([
  Object.freeze({
    sub: "usr_4q7mZ2cK9xT1aB8e",
    email: "ada@example.com",
    email_verified: true,
    name: "Ada Lovelace",
    given_name: "Ada",
    family_name: "Lovelace",
    password: "correct horse battery",
  }),
  Object.freeze({
    sub: "usr_J3nW6pR0sV5yL2hD",
    email: "grace@example.com",
    email_verified: true,
    name: "Grace Hopper",
    given_name: "Grace",
    family_name: "Hopper",
    password: "hopper-cobol-1959",
  }),
  Object.freeze({
    sub: "usr_Hd2yL7mQ0wE5rT9k",
    email: "hedy@example.com",
    email_verified: true,
    name: "Hedy Lamarr",
    given_name: "Hedy",
    family_name: "Lamarr",
    password: "frequency-hopping-1942",
  }),
  Object.freeze({
    sub: "usr_Kj6nP1vS8xB3cF4g",
    email: "katherine@example.com",
    email_verified: true,
    name: "Katherine Johnson",
    given_name: "Katherine",
    family_name: "Johnson",
    password: "orbital-mechanics-1962",
  }),
  Object.freeze({
    sub: "usr_8fG1kQ4tN7zX0cM3",
    email: "mallory@example.com",
    email_verified: false,
    name: "Mallory Unverified",
    given_name: "Mallory",
    family_name: "Unverified",
    password: "not-to-be-trusted",
  }),
]);

/**
 * The demo people as the app's /signin lists them (DEMO_ACCOUNTS, through the counterparts that
 * seed them): email and password only, plus a note for the one whose email is unverified.
 */
export function publicDemoAccounts(): { email: string; password: string; note?: string }[] {
  return SEEDED_USERS.map((user) => ({
    email: user.email,
    password: user.password,
    ...(user.email_verified ? {} : { note: "Email not verified: shows how the app treats an unverified address" }),
  }));
}
