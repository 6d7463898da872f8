// Where the test stack runs (scripts/stack.ts test): app on 3200, counterparts on 3201-3208.
// The app is served as "localhost" (see scripts/lib/stack.ts); counterparts on 127.0.0.1.
export const APP_URL = "http://localhost:3200";
export const OIDC_URL = "http://127.0.0.1:3201";
export const MAILBOX_URL = "http://127.0.0.1:3203";
export const FIREBASE_EMULATOR_URL = "http://127.0.0.1:3204";
export const SUPABASE_URL = "http://127.0.0.1:3205";
/** Wallet counterparts; the test stack lets tests take them down (PUT /sandbox/v1/fault). */
export const WALLET_SANDBOX_URLS = {
  airkit: "http://127.0.0.1:3202",
  moojo: "http://127.0.0.1:3206",
  alchemy: "http://127.0.0.1:3207",
  turnkey: "http://127.0.0.1:3208",
} as const;

/** Seeded on the local OpenID Provider (sandboxes/oidc/users.ts) and, with verified emails, in the Firebase Auth Emulator. */
export const ADA = { email: "ada@example.com", password: "correct horse battery" };
export const GRACE = { email: "grace@example.com", password: "hopper-cobol-1959" };
export const MALLORY = { email: "mallory@example.com", password: "not-to-be-trusted" };
