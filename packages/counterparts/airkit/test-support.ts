// What the AIR Kit counterpart's HTTP tests share: a partner signing key and its JWKS, a
// mailbox for the login codes, and the counterpart itself in one variant, with vitest hooks
// that start them before a describe block and stop them after it.
import { afterAll, beforeAll } from "vitest";
import type { RunningService } from "../lib/http";
import { startMailbox } from "../mailbox";
import { createTestSigningKey, startJwksServer, type JwksServer, type TestSigningKey } from "../lib/test-signing";
import type { CounterpartVariant } from "../lib/variant";
import { startAirKit } from "./index";

export const PARTNER = "demo-partner";
export const APP_ORIGIN = "http://localhost:3000";
const MAIL_KEY = "airkit-test-mail-key-0123456789";

export interface AirKitTestContext {
  partnerKey: TestSigningKey;
  jwks: JwksServer;
  mailbox: RunningService;
  air: RunningService;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Call inside a describe block: the context is filled in by its beforeAll. */
export function useAirKitCounterpart(variant: CounterpartVariant) {
  const ctx = {} as AirKitTestContext;
  beforeAll(async () => {
    ctx.partnerKey = await createTestSigningKey("ES256");
    ctx.jwks = await startJwksServer([ctx.partnerKey.publicJwk]);
    ctx.mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: MAIL_KEY });
    ctx.air = await startAirKit({
      port: 0,
      dataDir: "memory://",
      variant,
      partners: [{ partnerId: PARTNER, jwksUrl: ctx.jwks.url, allowedOrigins: [APP_ORIGIN] }],
      mail: { apiUrl: ctx.mailbox.url, apiKey: MAIL_KEY, from: "AIR Kit (test) <no-reply@air.local>" },
    });
  });
  afterAll(async () => {
    await ctx.air?.close();
    await ctx.mailbox?.close();
    await ctx.jwks?.close();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${ctx.air.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The newest code the counterpart mailed to `email`. */
  async function mailedCode(email: string): Promise<string> {
    const messages = (await (await fetch(`${ctx.mailbox.url}/api/messages?to=${encodeURIComponent(email)}`)).json()) as {
      messages: { text: string }[];
    };
    return /\b(\d{6})\b/.exec(messages.messages[0]!.text)![1]!;
  }

  return { ctx, call, mailedCode };
}
