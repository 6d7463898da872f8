/**
 * The public demo: init_otp's code is tagged with the visitor of the request that asked for it.
 * The app server makes that request; it forwards the browser's `x-demo-visitor` without knowing
 * (../lib/visitor-preload.mjs), so here the request is stamped by @turnkey/sdk-server and sent
 * with the header, as it leaves the app process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_VISITOR_HEADER, newVisitorId } from "../lib/visitor";
import type { MailboxService } from "../mailbox";
import { PER_VISITOR_MAIL_KEY, startPerVisitorMailbox, visibleTo } from "../mailbox/test-support";
import { startTurnkeyStack, type TurnkeyStack } from "./test-support";

describe("Turnkey's init_otp and the demo's visitors", () => {
  let mailbox: MailboxService;
  let stack: TurnkeyStack;

  beforeAll(async () => {
    mailbox = await startPerVisitorMailbox();
    stack = await startTurnkeyStack({
      mail: { apiUrl: mailbox.url, apiKey: PER_VISITOR_MAIL_KEY, from: "Turnkey (counterpart) <no-reply@turnkey.local>" },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await mailbox?.close();
  });

  async function initOtp(contact: string, visitor?: string): Promise<void> {
    const signed = await stack.client().stampInitOtp({ otpType: "OTP_TYPE_EMAIL", contact, appName: "Demo" });
    if (!signed) throw new Error("sdk-server did not stamp the request");
    const response = await fetch(signed.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        [signed.stamp.stampHeaderName]: signed.stamp.stampHeaderValue,
        ...(visitor ? { [DEMO_VISITOR_HEADER]: visitor } : {}),
      },
      body: signed.body,
    });
    expect(response.status).toBe(200);
  }

  it("tags the mailed code with the requesting visitor: only that browser sees it", async () => {
    const visitor = newVisitorId();
    await initOtp("turnkey-visitor@example.com", visitor);
    expect((await visibleTo(mailbox, visitor, "turnkey-visitor@example.com")).map((m) => m.subject)).toEqual([
      "Your Demo verification code",
    ]);
    expect(await visibleTo(mailbox, newVisitorId(), "turnkey-visitor@example.com")).toEqual([]);
  });

  it("sends no tag without the header: nobody owns the address, so nobody sees it until a visitor opens it", async () => {
    await initOtp("turnkey-anonymous@example.com");
    const later = newVisitorId();
    expect(await visibleTo(mailbox, later, "turnkey-anonymous@example.com", { claim: false })).toEqual([]);
    // Had it named anyone (an earlier request's visitor, say), they would own the address now
    // and this visitor would be refused it.
    expect(await visibleTo(mailbox, later, "turnkey-anonymous@example.com")).toHaveLength(1);
  });
});
