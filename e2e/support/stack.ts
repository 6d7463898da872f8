// Where the test stack runs (scripts/stack.ts test, started by playwright.config.ts): the app
// on the port base (3200; 3300 for the sparse variant), counterparts on base+1…base+8.
// The app is served as "localhost" (see scripts/lib/stack.ts); counterparts on 127.0.0.1.
/** Which shapes the counterparts answer with in this run (packages/counterparts/lib/variant.ts). */
export const COUNTERPART_VARIANT = process.env.COUNTERPART_VARIANT || "standard";
const BASE = Number(process.env.E2E_PORT_BASE || (COUNTERPART_VARIANT === "sparse" ? 3300 : 3200));
const counterpart = (offset: number) => `http://127.0.0.1:${BASE + offset}`;
export const APP_URL = `http://localhost:${BASE}`;
/** The test stack's data folder (playwright.config.ts), e.g. for its generated dev secrets. */
export const STACK_DATA_DIR = `.data/e2e-${COUNTERPART_VARIANT}`;
export const OIDC_URL = counterpart(1);
export const MAILBOX_URL = counterpart(3);
export const FIREBASE_EMULATOR_URL = counterpart(4);
export const SUPABASE_URL = counterpart(5);
/** Wallet counterparts; the test stack lets tests take them down (PUT /counterpart/v1/fault). */
export const WALLET_COUNTERPART_URLS = {
  airkit: counterpart(2),
  moojo: counterpart(6),
  alchemy: counterpart(7),
  turnkey: counterpart(8),
} as const;

/** Seeded on the local OpenID Provider (packages/counterparts/oidc/users.ts) and, with verified emails, in the Firebase Auth Emulator. */
export const ADA = { email: "ada@example.com", password: "correct horse battery" };
export const GRACE = { email: "grace@example.com", password: "hopper-cobol-1959" };
export const MALLORY = { email: "mallory@example.com", password: "not-to-be-trusted" };
/** Each links their Firebase sign-in to their OpenID user in one spec only (firebase-supabase, moojo @core). */
export const HEDY = { email: "hedy@example.com", password: "frequency-hopping-1942" };
export const KATHERINE = { email: "katherine@example.com", password: "orbital-mechanics-1962" };
