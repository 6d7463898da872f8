// Where the test stack runs (scripts/stack.ts test, started by playwright.config.ts): the app
// on the port base (3200; 3300 for the sparse variant), counterparts on base+1…base+8.
// The app is served as "localhost" (see scripts/lib/stack.ts); counterparts on 127.0.0.1.
/** Which shapes the counterparts answer with in this run (packages/counterparts/lib/variant.ts). */
export const COUNTERPART_VARIANT = process.env.COUNTERPART_VARIANT || "standard";
const BASE = Number(process.env.E2E_PORT_BASE || (COUNTERPART_VARIANT === "sparse" ? 3300 : 3200));
/**
 * The host-routed run (playwright.demo.config.ts) sets E2E_PUBLIC_URL: everything is then on one
 * port, the app on that host and each browser-facing counterpart on `<name>.<host>`.
 */
const PUBLIC_URL = process.env.E2E_PUBLIC_URL ? new URL(process.env.E2E_PUBLIC_URL) : undefined;
const subHost = (name: string) => `${PUBLIC_URL!.protocol}//${name}.${PUBLIC_URL!.host}`;
const counterpart = (offset: number, name: string) => (PUBLIC_URL ? subHost(name) : `http://127.0.0.1:${BASE + offset}`);
export const APP_URL = PUBLIC_URL?.origin ?? `http://localhost:${BASE}`;
/** The test stack's data folder (playwright.config.ts), e.g. for its generated dev secrets. */
export const STACK_DATA_DIR = `.data/e2e-${COUNTERPART_VARIANT}`;
export const OIDC_URL = counterpart(1, "oidc");
export const MAILBOX_URL = counterpart(3, "mailbox");
export const FIREBASE_EMULATOR_URL = counterpart(4, "firebase");
export const SUPABASE_URL = counterpart(5, "supabase");
/** Wallet counterparts; the test stack lets tests take them down (PUT /counterpart/v1/fault). */
export const WALLET_COUNTERPART_URLS = {
  airkit: counterpart(2, "airkit"),
  moojo: counterpart(6, "moojo"),
  alchemy: counterpart(7, "alchemy"),
  turnkey: counterpart(8, "turnkey"),
} as const;

/** Seeded on the local OpenID Provider (packages/counterparts/oidc/users.ts) and, with verified emails, in the Firebase Auth Emulator. */
export const ADA = { email: "ada@example.com", password: "correct horse battery" };
export const GRACE = { email: "grace@example.com", password: "hopper-cobol-1959" };
export const MALLORY = { email: "mallory@example.com", password: "not-to-be-trusted" };
/** Each links their Firebase sign-in to their OpenID user in one spec only (firebase-supabase, moojo @core). */
export const HEDY = { email: "hedy@example.com", password: "frequency-hopping-1942" };
export const KATHERINE = { email: "katherine@example.com", password: "orbital-mechanics-1962" };
