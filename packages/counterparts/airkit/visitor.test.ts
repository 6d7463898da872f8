/**
 * The public demo: an email login code goes to the mailbox tagged with the visitor whose request
 * asked for it (`x-demo-visitor`), so a per-visitor mailbox shows it to that browser only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../lib/http";
import { createTestSigningKey, signTestToken, startJwksServer, type JwksServer, type TestSigningKey } from "../lib/test-signing";
import { DEMO_VISITOR_HEADER, newVisitorId } from "../lib/visitor";
import type { MailboxService } from "../mailbox";
import { PER_VISITOR_MAIL_KEY, startPerVisitorMailbox, visibleTo } from "../mailbox/test-support";
import { startAirKit } from "./index";

const PARTNER = "demo-partner";

describe("AIR Kit login codes and the demo's visitors", () => {
  let key: TestSigningKey;
  let jwks: JwksServer;
  let mailbox: MailboxService;
  let air: RunningService;

  beforeAll(async () => {
    key = await createTestSigningKey("ES256");
    jwks = await startJwksServer([key.publicJwk]);
    mailbox = await startPerVisitorMailbox();
    air = await startAirKit({
      port: 0,
      dataDir: "memory://",
      partners: [{ partnerId: PARTNER, jwksUrl: jwks.url, allowedOrigins: ["http://localhost:3000"] }],
      mail: { apiUrl: mailbox.url, apiKey: PER_VISITOR_MAIL_KEY, from: "AIR Kit (test) <no-reply@air.local>" },
    });
  });
  afterAll(async () => {
    await air?.close();
    await mailbox?.close();
    await jwks?.close();
  });

  async function login(email: string, headers: Record<string, string>): Promise<void> {
    const iat = Math.floor(Date.now() / 1000);
    const authToken = await signTestToken({ key, claims: { partnerId: PARTNER, email, iat, exp: iat + 300 } });
    const response = await fetch(`${air.url}/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify({ partnerId: PARTNER, authToken }),
    });
    expect(((await response.json()) as { status: string }).status).toBe("verification_required");
  }

  it("tags the code with the requesting visitor: only that browser sees it", async () => {
    const visitor = newVisitorId();
    await login("airkit-visitor@example.com", { [DEMO_VISITOR_HEADER]: visitor });
    const seen = await visibleTo(mailbox, visitor, "airkit-visitor@example.com");
    expect(seen.map((m) => m.subject)).toEqual(["Your AIR Kit verification code"]);
    expect(await visibleTo(mailbox, newVisitorId(), "airkit-visitor@example.com")).toEqual([]);
  });

  it("sends no tag without the header (plain npm run dev): nobody owns the address, so nobody sees it here", async () => {
    await login("airkit-anonymous@example.com", {});
    const later = newVisitorId();
    expect(await visibleTo(mailbox, later, "airkit-anonymous@example.com", { claim: false })).toEqual([]);
    // Had it named anyone, they would own the address and this visitor would be refused it.
    expect(await visibleTo(mailbox, later, "airkit-anonymous@example.com")).toHaveLength(1);
  });
});
