/**
 * Test fixtures for the Supabase Auth counterpart: a mailbox, the counterpart with a steerable clock,
 * real supabase-js clients, and helpers to read the emailed codes. Used by tests only.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { expect } from "vitest";
import type { RunningService } from "../lib/http";
import { startMailbox } from "../mailbox";
import { startSupabaseAuth, type SupabaseAuthOptions } from "./index";

export const ANON_KEY = "counterpart-anon-key-0123456789abcdef";
export const MAIL_KEY = "supabase-test-mail-key-0123456789";
export const APP_ORIGIN = "http://localhost:3000";

/** A clock that follows real time plus an offset the test can move forward. */
export class TestClock {
  offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface Harness {
  readonly mailbox: RunningService;
  auth: RunningService;
  readonly clock: TestClock;
  start(overrides?: Partial<SupabaseAuthOptions>): Promise<RunningService>;
  close(): Promise<void>;
}

export async function startHarness(dataDir: string, overrides: Partial<SupabaseAuthOptions> = {}): Promise<Harness> {
  const mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: MAIL_KEY });
  const clock = new TestClock();
  const options = (more: Partial<SupabaseAuthOptions>): SupabaseAuthOptions => ({
    port: 0,
    dataDir,
    anonKey: ANON_KEY,
    mail: { apiUrl: mailbox.url, apiKey: MAIL_KEY, from: "Supabase Auth (counterpart) <noreply@auth.local>" },
    allowedOrigins: [APP_ORIGIN],
    now: clock.now,
    ...overrides,
    ...more,
  });
  const harness: Harness = {
    mailbox,
    clock,
    auth: await startSupabaseAuth(options({})),
    async start(more = {}) {
      harness.auth = await startSupabaseAuth(options(more));
      return harness.auth;
    },
    async close() {
      await harness.auth.close();
      await mailbox.close();
    },
  };
  return harness;
}

/** The real client, configured for Node as the app's server code does. */
export function supabaseClient(url: string, key: string = ANON_KEY): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

interface ApiMessage {
  subject: string;
  text: string;
}

export async function messagesTo(mailbox: RunningService, email: string): Promise<ApiMessage[]> {
  const response = await fetch(`${mailbox.url}/api/messages?to=${encodeURIComponent(email)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: ApiMessage[] }).messages;
}

/** The 6-digit code of the newest email to `email`, checking its subject. */
export async function latestCode(mailbox: RunningService, email: string, subject: string): Promise<string> {
  const [message] = await messagesTo(mailbox, email);
  expect(message?.subject).toBe(subject);
  const code = /\b([0-9]{6})\b/.exec(message?.text ?? "")?.[1];
  if (code === undefined) throw new Error(`no code in the newest email to ${email}`);
  return code;
}

/** A code guaranteed to differ from `code`. */
export function otherCode(code: string): string {
  return code === "000000" ? "000001" : "000000";
}

let counter = 0;
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@example.com`;
}

/** Signs a fresh address up with the real supabase-js client and confirms it with the mailed code. */
export async function confirmedSignUp(
  h: Harness,
  label: string,
): Promise<{ email: string; userId: string; token: string; supabase: SupabaseClient }> {
  const email = uniqueEmail(label);
  const supabase = supabaseClient(h.auth.url);
  await supabase.auth.signUp({ email, password: "correct horse battery" });
  const { data, error } = await supabase.auth.verifyOtp({
    email,
    token: await latestCode(h.mailbox, email, "Confirm your signup"),
    type: "signup",
  });
  if (error || !data.session || !data.user) throw new Error(`sign-up confirmation failed: ${error?.message ?? "no session"}`);
  return { email, userId: data.user.id, token: data.session.access_token, supabase };
}
