/**
 * The password service against a real store and the local mailbox (Resend-shaped API): what
 * an attacker learns from sign-up and email confirmation (nothing), whether failures from
 * another client can lock the owner out (no), and whether resends or repeated sign-ups buy
 * fresh guesses at a confirmation code (no).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@byo/counterparts/lib/http";
import { startMailbox } from "@byo/counterparts/mailbox";

const API_KEY = "service-test-mailbox-key-0123";
const PASSWORD = "a long enough passphrase";
let dataDir: string;
let mailbox: RunningService;
let service: typeof import("./service");

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "password-service-"));
  mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: API_KEY });
  Object.assign(process.env, { DATA_DIR: dataDir, AUTH_PASSWORD_ENABLED: "true", MAIL_API_URL: mailbox.url, MAIL_API_KEY: API_KEY });
  service = await import("./service");
}, 60_000);

afterAll(async () => {
  await (await (await import("@/lib/store")).getStore()).close();
  await mailbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let counter = 0;
const freshEmail = (label: string) => `${label}-${++counter}-${Date.now()}@example.com`;

async function mails(to: string): Promise<{ subject: string; text: string }[]> {
  const response = await fetch(`${mailbox.url}/api/messages?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { messages: { subject: string; text: string }[] }).messages;
}

async function latestCode(to: string): Promise<string> {
  const code = (await mails(to)).find((m) => m.subject === "Confirm your email")?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code for ${to}`);
  return code;
}

/** What a call answered: its value, or its error's code, status, message and details. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await promise };
  } catch (error) {
    const e = error as { code?: string; status?: number; message?: string; details?: unknown };
    return { code: e.code, status: e.status, message: e.message, details: e.details };
  }
}

async function confirmedAccount(email: string): Promise<void> {
  await service.signUp({ email, password: PASSWORD });
  await service.confirmEmail({ email, code: await latestCode(email) });
}

const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");

describe("no account enumeration", () => {
  it("answers a sign-up with a taken address exactly like a fresh one, changes nothing, and tells the owner", async () => {
    const owner = freshEmail("owner");
    await confirmedAccount(owner);
    const fresh = freshEmail("fresh");

    const forFresh = await outcome(service.signUp({ email: fresh, password: "another long passphrase" }));
    const forTaken = await outcome(service.signUp({ email: owner, password: "another long passphrase" }));
    expect(forTaken).toEqual({ value: { email: owner } });
    expect(forFresh).toEqual({ value: { email: fresh } });

    expect((await mails(owner)).map((m) => m.subject)).toContain("Someone tried to sign up with your address");
    // The account and its password are unchanged.
    await expect(service.authenticate({ email: owner, password: PASSWORD }, "owner-laptop")).resolves.toMatchObject({ email: owner });
    await expect(service.authenticate({ email: owner, password: "another long passphrase" }, "owner-laptop")).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });

  it("sends at most a few such notices an hour, and says nothing about it", async () => {
    const owner = freshEmail("notices");
    await confirmedAccount(owner);
    for (let i = 0; i < 4; i++)
      await expect(service.signUp({ email: owner, password: `yet another passphrase ${i}` })).resolves.toEqual({ email: owner });
    expect((await mails(owner)).filter((m) => m.subject === "Someone tried to sign up with your address")).toHaveLength(3);
  });

  it("answers a wrong code the same for a confirmed, an unknown and a pending address", async () => {
    const confirmed = freshEmail("confirmed");
    await confirmedAccount(confirmed);
    const pending = freshEmail("pending");
    await service.signUp({ email: pending, password: PASSWORD });
    const code = wrongCode(await latestCode(pending));

    const answers = await Promise.all(
      [confirmed, freshEmail("unknown"), pending].map((email) => outcome(service.confirmEmail({ email, code }))),
    );
    expect(answers[0]).toMatchObject({ code: "code_invalid", status: 400 });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it("answers a resend the same for pending, confirmed and unknown addresses", async () => {
    const confirmed = freshEmail("resend-confirmed");
    await confirmedAccount(confirmed);
    const pending = freshEmail("resend-pending");
    await service.signUp({ email: pending, password: PASSWORD });
    for (const email of [pending, confirmed, freshEmail("resend-unknown")]) {
      expect(await outcome(service.resendConfirmation({ email }))).toEqual({ value: undefined });
    }
  });
});

describe("confirmation codes: one guessing budget per address and hour", () => {
  it("a repeated sign-up sends a new code but gives no new guesses", async () => {
    const email = freshEmail("budget");
    await service.signUp({ email, password: PASSWORD });
    const first = await latestCode(email);
    for (let i = 0; i < 4; i++)
      await expect(service.confirmEmail({ email, code: wrongCode(first) })).rejects.toMatchObject({ code: "code_invalid" });

    // Signing up again replaces the unconfirmed account and mails a new code…
    await service.signUp({ email, password: PASSWORD });
    await expect.poll(() => latestCode(email)).not.toBe(first);
    const second = await latestCode(email);
    // …but one guess is all that is left, for both codes together.
    await expect(service.confirmEmail({ email, code: wrongCode(second) })).rejects.toMatchObject({ code: "code_invalid" });
    await expect(service.confirmEmail({ email, code: second })).rejects.toMatchObject({ code: "code_invalid" });
    // A resend sends nothing new while the budget is spent.
    await service.resendConfirmation({ email });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await latestCode(email)).toBe(second);
  });

  it("a code sent to a replaced (never confirmed) account confirms nothing", async () => {
    const email = freshEmail("replaced");
    await service.signUp({ email, password: "the squatter's passphrase" });
    const squatterCode = await latestCode(email);
    await service.signUp({ email, password: PASSWORD });
    await expect.poll(() => latestCode(email)).not.toBe(squatterCode);
    await expect(service.confirmEmail({ email, code: squatterCode })).rejects.toMatchObject({ code: "code_invalid" });
    await expect(service.confirmEmail({ email, code: await latestCode(email) })).resolves.toBeUndefined();
  });
});

describe("sign-in throttling: delays per (email, client), a ceiling per email, no lock-out", () => {
  it("slows down wrong passwords from one client, while the owner on another client signs in", async () => {
    const owner = freshEmail("lockout");
    await confirmedAccount(owner);
    const attempt = (client: string, password: string) => outcome(service.authenticate({ email: owner, password }, client));

    const attacker = [];
    for (let i = 0; i < 10; i++) attacker.push(await attempt("203.0.113.66", `guess number ${i}`));
    expect(attacker.slice(0, 3)).toEqual(Array(3).fill(expect.objectContaining({ code: "invalid_credentials" })));
    // From the 4th attempt on, the attacker must wait (refused at once, with a retry time).
    expect(attacker[3]).toMatchObject({ code: "rate_limited", status: 429, details: { retryAfterSeconds: 1 } });

    // The owner, from their own client, with the right password: in, at once.
    expect(await attempt("198.51.100.20", PASSWORD)).toMatchObject({ value: { email: owner } });
    // Even with a wrong password first.
    expect(await attempt("198.51.100.21", "a typo in it")).toMatchObject({ code: "invalid_credentials" });
    expect(await attempt("198.51.100.21", PASSWORD)).toMatchObject({ value: { email: owner } });
  });

  it("caps wrong passwords per email at 100 a day across clients", async () => {
    const owner = freshEmail("ceiling");
    await confirmedAccount(owner);
    // 100 failures from 100 clients (one each: never delayed per client).
    for (let i = 0; i < 100; i++) {
      await expect(service.authenticate({ email: owner, password: `guess ${i} wrong` }, `10.1.${i >> 8}.${i & 255}`)).rejects.toMatchObject(
        { code: "invalid_credentials" },
      );
    }
    await expect(service.authenticate({ email: owner, password: PASSWORD }, "198.51.100.30")).rejects.toMatchObject({
      code: "rate_limited",
      status: 429,
    });
    // A browser known for another email is not exempt…
    const other = freshEmail("other");
    await expect(
      service.authenticate({ email: owner, password: PASSWORD }, "198.51.100.32", { knownDeviceFor: (email) => email === other }),
    ).rejects.toMatchObject({ code: "rate_limited" });
    // …but the owner's own browser (a known-device cookie for this email) is: a wrong password
    // from it is still wrong, the right one gets in (and, a success, clears the failures).
    const knownDeviceFor = (email: string) => email === owner;
    await expect(
      service.authenticate({ email: owner, password: "still not it" }, "198.51.100.31", { knownDeviceFor }),
    ).rejects.toMatchObject({ code: "invalid_credentials" });
    await expect(service.authenticate({ email: owner, password: PASSWORD }, "198.51.100.31", { knownDeviceFor })).resolves.toMatchObject({
      email: owner,
    });
  }, 120_000);
});
