/**
 * End to end with the real `@supabase/supabase-js` client: mailbox + Supabase Auth counterpart on
 * loopback port 0. Codes are read from the mailbox's JSON API, as a person would read email.
 */
import {
  AuthApiError,
  AuthSessionMissingError,
  isAuthApiError,
  isAuthSessionMissingError,
  isAuthWeakPasswordError,
  type AuthError,
  type Session,
} from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OTP_MAX_ATTEMPTS, OTP_SEND_INTERVAL_SECONDS, OTP_TTL_SECONDS, PASSWORD_MAX_FAILURES } from "./index";
import { ANON_KEY, latestCode, messagesTo, otherCode, startHarness, supabaseClient, uniqueEmail, type Harness } from "./test-support";

const PASSWORD = "correct horse battery";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let h: Harness;

beforeAll(async () => {
  h = await startHarness("memory://");
});
afterAll(async () => {
  await h?.close();
});

const client = () => supabaseClient(h.auth.url);

function expectApiError(error: AuthError | null, code: string, status: number): void {
  expect(error).toBeInstanceOf(AuthApiError);
  expect(isAuthApiError(error)).toBe(true);
  expect({ code: error?.code, status: error?.status }).toEqual({ code, status });
}

/** Signs up and confirms with the emailed code; returns the session of the confirmation. */
async function confirmedUser(email: string, password = PASSWORD): Promise<Session> {
  const { error } = await client().auth.signUp({ email, password });
  expect(error).toBeNull();
  const token = await latestCode(h.mailbox, email, "Confirm your signup");
  const { data, error: verifyError } = await client().auth.verifyOtp({ email, token, type: "signup" });
  expect(verifyError).toBeNull();
  return data.session!;
}

describe("sign-up with email confirmation", () => {
  it("returns an unconfirmed user and no session, emails a code, and the code confirms and signs in", async () => {
    const email = uniqueEmail("Jane.Doe");
    const normalized = email.toLowerCase();
    const signUp = await client().auth.signUp({ email, password: PASSWORD, options: { data: { name: "Jane", email_verified: true } } });
    expect(signUp.error).toBeNull();
    expect(signUp.data.session).toBeNull();
    const user = signUp.data.user!;
    expect(user).toMatchObject({
      aud: "authenticated",
      role: "authenticated",
      email: normalized,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      // Identity claims win over caller data: nobody can sign up pre-verified.
      user_metadata: { name: "Jane", email: normalized, email_verified: false, phone_verified: false, sub: user.id },
      is_anonymous: false,
    });
    expect(user.id).toMatch(UUID);
    expect(user.email_confirmed_at).toBeUndefined();
    expect(user.confirmed_at).toBeUndefined();
    expect(user.last_sign_in_at).toBeUndefined();
    expect(Date.parse(user.confirmation_sent_at!)).not.toBeNaN();
    expect(user.identities).toEqual([
      expect.objectContaining({
        id: user.id,
        user_id: user.id,
        identity_id: expect.stringMatching(UUID),
        provider: "email",
        email: normalized,
        identity_data: { email: normalized, email_verified: false, phone_verified: false, sub: user.id },
      }),
    ]);

    // Not confirmed yet: password sign-in is refused with the GoTrue code the app branches on.
    const early = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expectApiError(early.error, "email_not_confirmed", 400);
    expect(early.data.session).toBeNull();

    const token = await latestCode(h.mailbox, normalized, "Confirm your signup");
    const wrong = await client().auth.verifyOtp({ email, token: otherCode(token), type: "signup" });
    expectApiError(wrong.error, "otp_expired", 403);
    expect(wrong.error?.message).toBe("Token has expired or is invalid");

    const verified = await client().auth.verifyOtp({ email, token, type: "signup" });
    expect(verified.error).toBeNull();
    const session = verified.data.session!;
    expect(session).toMatchObject({ token_type: "bearer", expires_in: 3600, refresh_token: expect.any(String) });
    expect(session.expires_at! - Math.floor(h.clock.now().getTime() / 1000)).toBeGreaterThan(3590);
    expect(session.user.id).toBe(user.id);
    expect(session.user.email_confirmed_at).toBeDefined();
    expect(session.user.confirmed_at).toBe(session.user.email_confirmed_at);
    expect(session.user.last_sign_in_at).toBeDefined();
    expect(session.user.user_metadata).toMatchObject({ email_verified: true, name: "Jane" });
    expect(session.user.identities?.[0]?.identity_data).toMatchObject({ email_verified: true });

    // Codes are single-use.
    const again = await client().auth.verifyOtp({ email, token, type: "signup" });
    expectApiError(again.error, "otp_expired", 403);

    const signIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user?.id).toBe(user.id);
    expect(signIn.data.session?.access_token).not.toBe(session.access_token);
  });

  it("answers a repeated sign-up of a confirmed email with GoTrue's obfuscated user and sends nothing", async () => {
    const email = uniqueEmail("taken");
    await confirmedUser(email);
    const before = (await messagesTo(h.mailbox, email)).length;
    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);

    const repeat = await client().auth.signUp({ email, password: "another password", options: { data: { x: 1 } } });
    expect(repeat.error).toBeNull();
    expect(repeat.data.session).toBeNull();
    expect(repeat.data.user).toMatchObject({ role: "", identities: [], user_metadata: { x: 1 }, email });
    expect((await messagesTo(h.mailbox, email)).length).toBe(before);
    // The original password still works; the attempt changed nothing.
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it("re-sends a code to an unconfirmed email at most once a minute and keeps the password", async () => {
    const email = uniqueEmail("pending");
    expect((await client().auth.signUp({ email, password: PASSWORD })).error).toBeNull();
    const first = await latestCode(h.mailbox, email, "Confirm your signup");

    const tooSoon = await client().auth.signUp({ email, password: "someone else's" });
    expectApiError(tooSoon.error, "over_email_send_rate_limit", 429);
    const resendTooSoon = await client().auth.resend({ type: "signup", email });
    expectApiError(resendTooSoon.error, "over_email_send_rate_limit", 429);

    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);
    const resent = await client().auth.resend({ type: "signup", email });
    expect(resent.error).toBeNull();
    const second = await latestCode(h.mailbox, email, "Confirm your signup");
    // The newer code supersedes the older one.
    if (second !== first)
      expectApiError((await client().auth.verifyOtp({ email, token: first, type: "signup" })).error, "otp_expired", 403);
    expect((await client().auth.verifyOtp({ email, token: second, type: "signup" })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    expectApiError((await client().auth.signInWithPassword({ email, password: "someone else's" })).error, "invalid_credentials", 400);

    // resend for unknown or confirmed emails is a silent no-op, as in GoTrue.
    expect((await client().auth.resend({ type: "signup", email })).error).toBeNull();
    expect((await client().auth.resend({ type: "signup", email: uniqueEmail("nobody") })).error).toBeNull();
  });

  it("lets the mailbox owner's confirmation, not an earlier unconfirmed sign-up, decide the password", async () => {
    // Someone pre-registers the victim's address with their own password and data.
    const email = uniqueEmail("victim");
    expect((await client().auth.signUp({ email, password: "attacker password", options: { data: { name: "Mallory" } } })).error).toBeNull();
    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);

    // The victim signs up too (same wire answer as GoTrue: the existing unconfirmed user) and confirms.
    const victim = await client().auth.signUp({ email, password: PASSWORD, options: { data: { name: "Victor" } } });
    expect(victim.error).toBeNull();
    expect(victim.data.user?.identities).toHaveLength(1);
    const token = await latestCode(h.mailbox, email, "Confirm your signup");
    const confirmed = await client().auth.verifyOtp({ email, token, type: "signup" });
    expect(confirmed.error).toBeNull();
    expect(confirmed.data.user?.user_metadata).toMatchObject({ name: "Victor", email_verified: true });
    expectApiError((await client().auth.signInWithPassword({ email, password: "attacker password" })).error, "invalid_credentials", 400);
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();

    // Confirming with a sign-in code instead drops the pre-registered password altogether.
    const other = uniqueEmail("victim-otp");
    expect((await client().auth.signUp({ email: other, password: "attacker password" })).error).toBeNull();
    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);
    expect((await client().auth.signInWithOtp({ email: other })).error).toBeNull();
    const code = await latestCode(h.mailbox, other, "Your sign-in code");
    expect((await client().auth.verifyOtp({ email: other, token: code, type: "email" })).error).toBeNull();
    expectApiError(
      (await client().auth.signInWithPassword({ email: other, password: "attacker password" })).error,
      "invalid_credentials",
      400,
    );
  });

  it("enforces GoTrue's password policy and email format", async () => {
    const weak = await client().auth.signUp({ email: uniqueEmail("weak"), password: "12345" });
    expect(isAuthWeakPasswordError(weak.error)).toBe(true);
    expect({ code: weak.error?.code, status: weak.error?.status }).toEqual({ code: "weak_password", status: 422 });
    expect(weak.error?.message).toBe("Password should be at least 6 characters.");
    expect((weak.error as { reasons?: string[] } | null)?.reasons).toEqual(["length"]);

    expectApiError((await client().auth.signUp({ email: uniqueEmail("long"), password: "x".repeat(73) })).error, "validation_failed", 400);
    expectApiError((await client().auth.signUp({ email: "not-an-email", password: PASSWORD })).error, "validation_failed", 400);
    expectApiError((await client().auth.signUp({ email: "", password: PASSWORD })).error, "validation_failed", 400);
    expectApiError((await client().auth.signUp({ phone: "+15555550100", password: PASSWORD })).error, "phone_provider_disabled", 400);
  });
});

describe("password sign-in", () => {
  it("refuses wrong passwords and unknown emails alike", async () => {
    const email = uniqueEmail("pw");
    await confirmedUser(email);
    const wrong = await client().auth.signInWithPassword({ email, password: "wrong password" });
    expectApiError(wrong.error, "invalid_credentials", 400);
    expect(wrong.error?.message).toBe("Invalid login credentials");
    const unknown = await client().auth.signInWithPassword({ email: uniqueEmail("ghost"), password: PASSWORD });
    expectApiError(unknown.error, "invalid_credentials", 400);
    expect(unknown.error?.message).toBe(wrong.error?.message);
    // Emails are case-insensitive.
    expect((await client().auth.signInWithPassword({ email: email.toUpperCase(), password: PASSWORD })).error).toBeNull();
  });

  it("limits failed attempts per email, then blocks even the right password until the window passes", async () => {
    const email = uniqueEmail("brute");
    await confirmedUser(email);
    for (let i = 0; i < PASSWORD_MAX_FAILURES; i += 1) {
      expectApiError((await client().auth.signInWithPassword({ email, password: `guess-${i}` })).error, "invalid_credentials", 400);
    }
    const blocked = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expectApiError(blocked.error, "over_request_rate_limit", 429);
    // Other accounts are unaffected.
    const other = uniqueEmail("bystander");
    await confirmedUser(other);
    expect((await client().auth.signInWithPassword({ email: other, password: PASSWORD })).error).toBeNull();

    h.clock.advance(15 * 60 + 1);
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });
});

describe("email codes (signInWithOtp)", () => {
  it("creates the user on first use, signs in with type 'email', then limits sends per minute", async () => {
    const email = uniqueEmail("otp");
    const sent = await client().auth.signInWithOtp({ email, options: { data: { plan: "free" } } });
    expect(sent.error).toBeNull();
    expect(sent.data).toEqual({ user: null, session: null });
    const token = await latestCode(h.mailbox, email, "Your sign-in code");

    const verified = await client().auth.verifyOtp({ email, token, type: "email" });
    expect(verified.error).toBeNull();
    const session = verified.data.session!;
    expect(session.user).toMatchObject({ email, user_metadata: { plan: "free", email_verified: true } });
    expect(session.user.email_confirmed_at).toBeDefined();
    // A code-only user has no password to sign in with.
    expectApiError((await client().auth.signInWithPassword({ email, password: PASSWORD })).error, "invalid_credentials", 400);

    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);
    expect((await client().auth.signInWithOtp({ email })).error).toBeNull();
    const tooSoon = await client().auth.signInWithOtp({ email });
    expectApiError(tooSoon.error, "over_email_send_rate_limit", 429);
    expect(tooSoon.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);

    // A confirmed user's code is a magic-link code: type 'magiclink' (or 'email') works, 'signup' does not.
    const second = await latestCode(h.mailbox, email, "Your sign-in code");
    expectApiError((await client().auth.verifyOtp({ email, token: second, type: "signup" })).error, "otp_expired", 403);
    const again = await client().auth.verifyOtp({ email, token: second, type: "magiclink" });
    expect(again.error).toBeNull();
    expect(again.data.user?.id).toBe(session.user.id);
  });

  it("lets a code succeed once even when submitted in parallel", async () => {
    const email = uniqueEmail("race");
    expect((await client().auth.signInWithOtp({ email })).error).toBeNull();
    const token = await latestCode(h.mailbox, email, "Your sign-in code");
    const results = await Promise.all(Array.from({ length: 5 }, () => client().auth.verifyOtp({ email, token, type: "email" })));
    expect(results.filter((result) => result.error === null)).toHaveLength(1);
    for (const result of results.filter((r) => r.error !== null)) expectApiError(result.error, "otp_expired", 403);
  });

  it("refuses unknown emails when shouldCreateUser is false", async () => {
    const refused = await client().auth.signInWithOtp({ email: uniqueEmail("stranger"), options: { shouldCreateUser: false } });
    expectApiError(refused.error, "otp_disabled", 422);
    expect(refused.error?.message).toBe("Signups not allowed for otp");

    const email = uniqueEmail("member");
    await confirmedUser(email);
    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);
    expect((await client().auth.signInWithOtp({ email, options: { shouldCreateUser: false } })).error).toBeNull();
  });

  it("answers wrong, exhausted, expired and unknown codes with otp_expired", async () => {
    const email = uniqueEmail("guess");
    expect((await client().auth.signInWithOtp({ email })).error).toBeNull();
    const token = await latestCode(h.mailbox, email, "Your sign-in code");
    for (let i = 0; i < OTP_MAX_ATTEMPTS; i += 1) {
      expectApiError((await client().auth.verifyOtp({ email, token: otherCode(token), type: "email" })).error, "otp_expired", 403);
    }
    // Out of attempts: even the right code no longer works.
    expectApiError((await client().auth.verifyOtp({ email, token, type: "email" })).error, "otp_expired", 403);

    h.clock.advance(OTP_SEND_INTERVAL_SECONDS + 1);
    expect((await client().auth.signInWithOtp({ email })).error).toBeNull();
    const fresh = await latestCode(h.mailbox, email, "Your sign-in code");
    h.clock.advance(OTP_TTL_SECONDS + 1);
    expectApiError((await client().auth.verifyOtp({ email, token: fresh, type: "email" })).error, "otp_expired", 403);

    expectApiError(
      (await client().auth.verifyOtp({ email: uniqueEmail("nobody"), token: "123456", type: "email" })).error,
      "otp_expired",
      403,
    );
  });
});

describe("sessions", () => {
  it("rotates refresh tokens, tolerates a lost answer briefly, and revokes the family on reuse", async () => {
    const email = uniqueEmail("refresh");
    const first = await confirmedUser(email);

    const rotated = await client().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(rotated.error).toBeNull();
    const second = rotated.data.session!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.user.id).toBe(first.user.id);

    // Within the reuse interval the previous token gets the *current* one back (a client that
    // lost the answer of its refresh), never a new branch.
    const retried = await client().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(retried.error).toBeNull();
    expect(retried.data.session?.refresh_token).toBe(second.refresh_token);

    h.clock.advance(11);
    const reused = await client().auth.refreshSession({ refresh_token: first.refresh_token });
    expectApiError(reused.error, "refresh_token_already_used", 400);
    expect(reused.error?.message).toBe("Invalid Refresh Token: Already Used");

    // The whole family is gone: the current token, and access tokens of the session.
    expectApiError((await client().auth.refreshSession({ refresh_token: second.refresh_token })).error, "refresh_token_not_found", 400);
    const user = await client().auth.getUser(second.access_token);
    expect(user.error).toBeInstanceOf(AuthSessionMissingError);

    expectApiError((await client().auth.refreshSession({ refresh_token: "not-a-real-token" })).error, "refresh_token_not_found", 400);
  });

  it("gives parallel refreshes of one token the same rotated token (no branching)", async () => {
    const session = await confirmedUser(uniqueEmail("parallel"));
    const results = await Promise.all(
      Array.from({ length: 4 }, () => client().auth.refreshSession({ refresh_token: session.refresh_token })),
    );
    for (const result of results) expect(result.error).toBeNull();
    const tokens = new Set(results.map((result) => result.data.session?.refresh_token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(session.refresh_token)).toBe(false);
  });

  it("getUser needs a valid access token of a live session", async () => {
    const session = await confirmedUser(uniqueEmail("me"));
    const me = await client().auth.getUser(session.access_token);
    expect(me.error).toBeNull();
    expect(me.data.user).toMatchObject({ id: session.user.id, email: session.user.email, role: "authenticated" });

    const [header, payload] = session.access_token.split(".");
    const forged = `${header}.${payload}.${Buffer.alloc(64).toString("base64url")}`;
    expectApiError((await client().auth.getUser(forged)).error, "bad_jwt", 403);
    expectApiError((await client().auth.getUser("not.a.jwt")).error, "bad_jwt", 403);

    // Expired tokens are refused too.
    h.clock.advance(3600 + 1);
    expectApiError((await client().auth.getUser(session.access_token)).error, "bad_jwt", 403);
  });

  it("signOut ends the session: its access token stops working on /user and its refresh token is gone", async () => {
    const email = uniqueEmail("bye");
    await confirmedUser(email);
    const signedIn = client();
    const { data } = await signedIn.auth.signInWithPassword({ email, password: PASSWORD });
    const session = data.session!;
    const other = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data.session!;

    expect((await signedIn.auth.signOut({ scope: "local" })).error).toBeNull();
    const after = await client().auth.getUser(session.access_token);
    expect(isAuthSessionMissingError(after.error)).toBe(true);
    expectApiError((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error, "refresh_token_not_found", 400);
    // scope=local leaves the user's other sessions alone.
    expect((await client().auth.getUser(other.access_token)).error).toBeNull();

    // The default scope (global) ends every session of the user.
    const third = client();
    await third.auth.signInWithPassword({ email, password: PASSWORD });
    expect((await third.auth.signOut()).error).toBeNull();
    expect(isAuthSessionMissingError((await client().auth.getUser(other.access_token)).error)).toBe(true);
  });

  it("signOut with scope 'others' keeps only the caller's session", async () => {
    const email = uniqueEmail("others");
    await confirmedUser(email);
    const mine = client();
    const kept = (await mine.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const dropped = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    expect((await mine.auth.signOut({ scope: "others" })).error).toBeNull();
    expect((await client().auth.getUser(kept.access_token)).error).toBeNull();
    expect(isAuthSessionMissingError((await client().auth.getUser(dropped.access_token)).error)).toBe(true);
  });
});

describe("API key", () => {
  it("is required by every endpoint, compared exactly, and reported as Supabase's gateway does", async () => {
    const missing = await fetch(`${h.auth.url}/auth/v1/token?grant_type=password`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "a@example.com", password: PASSWORD }),
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      message: "No API key found in request",
      hint: "No `apikey` request header or url param was found.",
    });

    const wrongClient = supabaseClient(h.auth.url, `${ANON_KEY}x`);
    const wrong = await wrongClient.auth.signInWithPassword({ email: "a@example.com", password: PASSWORD });
    expect(wrong.error).toBeInstanceOf(AuthApiError);
    expect({ status: wrong.error?.status, code: wrong.error?.code, message: wrong.error?.message }).toEqual({
      status: 401,
      code: undefined,
      message: "Invalid API key",
    });
    for (const [method, path] of [
      ["POST", "/auth/v1/signup"],
      ["POST", "/auth/v1/otp"],
      ["POST", "/auth/v1/verify"],
      ["POST", "/auth/v1/resend"],
      ["GET", "/auth/v1/user"],
      ["POST", "/auth/v1/logout"],
    ] as const) {
      const response = await fetch(`${h.auth.url}${path}`, { method, headers: { apikey: "wrong-key-wrong-key-wrong-key" } });
      expect(response.status, path).toBe(401);
      expect(((await response.json()) as { message: string }).message).toBe("Invalid API key");
    }
  });
});
