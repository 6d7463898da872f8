// Where the multi-instance stack runs (scripts/multi-stack.ts, started by playwright.multi.config.ts).
import { AppClient } from "../../scripts/lib/app-client";

const BASE = Number(process.env.E2E_PORT_BASE || 3400);
/** The public origin (the balancer): every instance's AUTH_URL. */
export const PUBLIC_URL = `http://localhost:${BASE}`;
/** The two instances, addressed directly. */
export const A = `http://127.0.0.1:${BASE + 10}`;
export const B = `http://127.0.0.1:${BASE + 11}`;
export const CONTROL = `http://127.0.0.1:${BASE + 12}`;
export const MAILBOX = `http://127.0.0.1:${BASE + 3}`;
export const AIRKIT = `http://127.0.0.1:${BASE + 2}`;

let n = 0;
/** A client with an address of its own, so per-client limits of one test never touch another's. */
export function newClient(ip = `198.18.${Math.floor(Math.random() * 250)}.${(n++ % 250) + 1}`): AppClient {
  return new AppClient({ origin: PUBLIC_URL, ip });
}

export const uniqueEmail = (what: string) => `${what}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
export const PASSWORD = "multi-instance-pass-1";
