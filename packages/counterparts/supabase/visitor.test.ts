/**
 * The public demo: every code the Supabase counterpart mails (sign-up confirmation, sign-in
 * code, resent confirmation) is tagged with the visitor whose request asked for it, so a
 * per-visitor mailbox shows it to that browser only.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_VISITOR_HEADER, newVisitorId } from "../lib/visitor";
import type { MailboxService } from "../mailbox";
import { PER_VISITOR_MAIL_KEY, startPerVisitorMailbox, visibleTo } from "../mailbox/test-support";
import { OTP_SEND_INTERVAL_SECONDS } from "./codes";
import { ANON_KEY, startHarness, uniqueEmail, type Harness } from "./test-support";

describe("Supabase codes and the demo's visitors", () => {
  let dir: string;
  let mailbox: MailboxService;
  let h: Harness;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "supabase-visitor-"));
    mailbox = await startPerVisitorMailbox();
    h = await startHarness(dir, {
      mail: { apiUrl: mailbox.url, apiKey: PER_VISITOR_MAIL_KEY, from: "Supabase Auth (counterpart) <noreply@auth.local>" },
    });
  });
  afterAll(async () => {
    await h?.close();
    await mailbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function post(pathname: string, body: unknown, visitor?: string): Promise<void> {
    const response = await fetch(`${h.auth.url}/auth/v1${pathname}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", apikey: ANON_KEY, ...(visitor ? { [DEMO_VISITOR_HEADER]: visitor } : {}) },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  it("tags the sign-up confirmation and its resend with the requesting visitor", async () => {
    const visitor = newVisitorId();
    const email = uniqueEmail("visitor-signup");
    await post("/signup", { email, password: "a-long-enough-password-1" }, visitor);
    h.clock.advance(OTP_SEND_INTERVAL_SECONDS);
    await post("/resend", { type: "signup", email }, visitor);
    expect((await visibleTo(mailbox, visitor, email)).map((m) => m.subject)).toEqual(["Confirm your signup", "Confirm your signup"]);
    expect(await visibleTo(mailbox, newVisitorId(), email)).toEqual([]);
  });

  it("tags the sign-in code (signInWithOtp) with the requesting visitor, and sends no tag without one", async () => {
    const visitor = newVisitorId();
    const email = uniqueEmail("visitor-otp");
    await post("/otp", { email, create_user: true }, visitor);
    expect(await visibleTo(mailbox, visitor, email)).toHaveLength(1);

    const anonymous = uniqueEmail("visitor-otp-anonymous");
    await post("/otp", { email: anonymous, create_user: true });
    h.clock.advance(OTP_SEND_INTERVAL_SECONDS);
    // Untagged, to an address nobody owns: nobody sees it (a tag would have made it the sender's).
    expect(await visibleTo(mailbox, visitor, anonymous, { claim: false })).toEqual([]);
    await post("/otp", { email: anonymous, create_user: true }, visitor);
    expect(await visibleTo(mailbox, visitor, anonymous, { claim: false })).toHaveLength(1);
    // Opening the address as its owner also gives the mail that waited for one.
    expect(await visibleTo(mailbox, visitor, anonymous)).toHaveLength(2);
  });
});
